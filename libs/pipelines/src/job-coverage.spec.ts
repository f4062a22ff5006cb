import { extractCoverage } from './job-coverage';

describe(extractCoverage.name, () => {
  const log = [
    '$ pytest --cov',
    'Name    Stmts   Miss  Cover',
    'app.py     40      4    90%',
    'TOTAL     200     25  87.50%',
    'done',
    '',
  ].join('\r\n');

  it.each([
    ['the last group of the last matching line', 'TOTAL.*\\s+(\\d+(?:\\.\\d+)?)%', 87.5],
    ['the whole match when there is no group', 'TOTAL\\s.*%', 200],
    ['the line nearest the end among several matches', '[\\d.]+%', 87.5],
    ['the last match on a line (87 and 50 in 87.50)', '(\\d+)', 50],
    ['flags folded in', '(?i)total.*\\s(\\S+)%$', 87.5],
  ])('takes %s', (_case, pattern, coverage) => {
    expect(extractCoverage(log, pattern)).toBe(coverage);
  });

  it('skips a matching line without a number and goes on up', () => {
    expect(extractCoverage('Coverage: 71.2%\nCoverage: n/a\n', 'Coverage: \\S+')).toBe(71.2);
  });

  it('gives none without a match, for an empty log, and when the last group took no part (GitLab rescues to nil)', () => {
    expect(extractCoverage(log, 'lines: (\\d+)')).toBeNull();
    expect(extractCoverage('', '.*')).toBeNull();
    expect(extractCoverage('TOTAL 90%', 'TOTAL (\\d+)%|(x)')).toBeNull();
  });

  it('runs a pattern that backtracking engines take exponential time on in linear time', () => {
    // A backtracking engine would not finish before the test's timeout; RE2 answers at once.
    expect(extractCoverage(`${'a'.repeat(50_000)}!`, '(a+)+$')).toBeNull();
  });
});
