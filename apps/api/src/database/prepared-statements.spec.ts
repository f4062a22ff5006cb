import { PREPARED_MARK, PreparingClient, preparedStatementDigest } from './prepared-statements';

describe(preparedStatementDigest.name, () => {
  it('gives a text the same digest every time, and two texts different ones', () => {
    const claim = `${PREPARED_MARK}SELECT 1 WHERE $1::int > 0`;
    const digest = preparedStatementDigest(claim);
    expect(digest).toMatch(/^[0-9a-f]{24}$/);
    expect(preparedStatementDigest(claim)).toBe(digest);
    expect(preparedStatementDigest(`${PREPARED_MARK}SELECT 2`)).not.toBe(digest);
  });

  it('stops taking new texts at its bound, and keeps the digests it gave', () => {
    const first = preparedStatementDigest(`${PREPARED_MARK}SELECT 'kept'`);
    const digests = Array.from({ length: 100 }, (_, index) => preparedStatementDigest(`${PREPARED_MARK}SELECT ${index + 100}`));
    expect(digests.filter((digest) => digest === null).length).toBeGreaterThan(0);
    expect(digests.slice(0, 10).every((digest) => digest !== null)).toBe(true);
    expect(preparedStatementDigest(`${PREPARED_MARK}SELECT 'kept'`)).toBe(first);
  });
});

describe(PreparingClient.name, () => {
  it('gives each client its own statement names, so connections sharing one PGlite session never collide', () => {
    const [one, two] = [new PreparingClient(), new PreparingClient()];
    expect(one.statementPrefix).toMatch(/^lanyard_[0-9a-f]{12}_$/);
    expect(two.statementPrefix).not.toBe(one.statementPrefix);
  });
});
