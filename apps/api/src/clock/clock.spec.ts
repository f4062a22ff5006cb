import { systemClock, utcDate } from './clock';

describe(utcDate.name, () => {
  it.each([
    ['2026-11-29T00:00:00.000Z', '2026-11-29'],
    ['2026-11-29T23:59:59.999Z', '2026-11-29'],
    ['2026-11-29T23:30:00.000-02:00', '2026-11-30'],
  ])('gives the UTC calendar day of %s', (at, day) => {
    expect(utcDate(new Date(at))).toBe(day);
  });
});

describe('systemClock', () => {
  it('reads a fresh Date on every call, which callers may not mutate into the next', () => {
    const first = systemClock.now();
    first.setTime(0);
    expect(systemClock.now().getTime()).toBeGreaterThan(0);
  });
});
