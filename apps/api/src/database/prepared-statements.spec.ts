import { PREPARED_MARK, preparedStatementName } from './prepared-statements';

describe(preparedStatementName.name, () => {
  it('names a text the same every time, and two texts differently', () => {
    const claim = `${PREPARED_MARK}SELECT 1 WHERE $1::int > 0`;
    const name = preparedStatementName(claim);
    expect(name).toMatch(/^lanyard_[0-9a-f]{24}$/);
    expect(preparedStatementName(claim)).toBe(name);
    expect(preparedStatementName(`${PREPARED_MARK}SELECT 2`)).not.toBe(name);
  });

  it('stops naming new texts at its bound, and keeps the names it gave', () => {
    const first = preparedStatementName(`${PREPARED_MARK}SELECT 'kept'`);
    const names = Array.from({ length: 100 }, (_, index) => preparedStatementName(`${PREPARED_MARK}SELECT ${index + 100}`));
    expect(names.filter((name) => name === null).length).toBeGreaterThan(0);
    expect(names.slice(0, 10).every((name) => name !== null)).toBe(true);
    expect(preparedStatementName(`${PREPARED_MARK}SELECT 'kept'`)).toBe(first);
  });
});
