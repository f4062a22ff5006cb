import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { LOCK_CONFLICT_ATTEMPTS, isLockConflict, retryingLockConflicts } from './lock-conflicts';

const typeormError = (code: string) => new QueryFailedError('SELECT 1', [], Object.assign(new Error('failed'), { code }));
const pgError = (code: string) => Object.assign(new DatabaseError('failed', 0, 'error'), { code });

/** A transaction that fails with `errors`, one per attempt, then answers 'done'. */
function failing(errors: unknown[]) {
  let attempts = 0;
  const run = async () => {
    attempts += 1;
    if (attempts <= errors.length) throw errors[attempts - 1];
    return 'done';
  };
  return { run, attempts: () => attempts };
}

describe('retryingLockConflicts', () => {
  it('tells a deadlock and a serialization failure, from TypeORM or the pg client, from any other error', () => {
    expect([typeormError('40P01'), typeormError('40001'), pgError('40P01'), pgError('40001')].map(isLockConflict)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect([typeormError('23505'), pgError('57014'), new Error('40P01'), undefined].map(isLockConflict)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('runs the transaction again after a deadlock or a serialization failure, and answers what the last attempt answered', async () => {
    const transaction = failing([typeormError('40P01'), pgError('40001')]);
    await expect(retryingLockConflicts(transaction.run)).resolves.toBe('done');
    expect(transaction.attempts()).toBe(3);
  });

  it(`gives up after ${LOCK_CONFLICT_ATTEMPTS} attempts with the last error`, async () => {
    const errors = Array.from({ length: LOCK_CONFLICT_ATTEMPTS }, () => typeormError('40P01'));
    const transaction = failing(errors);
    await expect(retryingLockConflicts(transaction.run)).rejects.toBe(errors[LOCK_CONFLICT_ATTEMPTS - 1]);
    expect(transaction.attempts()).toBe(LOCK_CONFLICT_ATTEMPTS);
  });

  it('never repeats a transaction that failed otherwise', async () => {
    const refused = typeormError('23505');
    const transaction = failing([refused]);
    await expect(retryingLockConflicts(transaction.run)).rejects.toBe(refused);
    expect(transaction.attempts()).toBe(1);
  });
});
