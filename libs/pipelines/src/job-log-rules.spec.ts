import { contentRangeStart, decideJobToken, limitAppend, logLimitMessage, repeatsFinalState } from './job-log-rules';

describe(contentRangeStart.name, () => {
  it.each([
    ['0-9', 0],
    ['10-19', 10],
    [' 5-5 ', 5],
    [undefined, 'missing'],
    ['', 'malformed'],
    ['bytes 0-9', 'malformed'],
    ['-1-3', 'malformed'],
    ['1-', 'malformed'],
    ['9999999999999999-1', 'malformed'],
  ])('reads %p as %p', (header, expected) => {
    expect(contentRangeStart(header)).toBe(expected);
  });
});

describe(limitAppend.name, () => {
  it('stores an append that fits whole', () => {
    expect(limitAppend(5, 'abcde', false, 10)).toEqual({ store: 'abcde', truncated: false });
  });

  it("cuts an append at the limit and adds GitLab's limit line", () => {
    expect(limitAppend(8, 'abcde', false, 10)).toEqual({ store: `ab${logLimitMessage(10)}`, truncated: true });
    expect(logLimitMessage(10)).toContain("Job's log exceeded limit of 10 bytes.");
  });

  it('does not cut a UTF-8 character in two', () => {
    const bytes = String.fromCharCode(...new TextEncoder().encode('aé'));
    expect(limitAppend(0, bytes, false, 2).store.startsWith(`a${'\n'}`)).toBe(true);
  });

  it('stores nothing more once truncated', () => {
    expect(limitAppend(10, 'more', true, 10)).toEqual({ store: '', truncated: true });
  });
});

describe(decideJobToken.name, () => {
  const job = (status: string) => ({ tokenDigest: 'd1', status });
  it.each([
    ['the running job with its token', job('running'), 'd1', 'accepted'],
    ['a job being canceled gracefully, with its token', job('canceling'), 'd1', 'accepted'],
    ['a wrong token', job('running'), 'd2', 'refused'],
    ['no job', null, 'd1', 'refused'],
    ['a job never given a token', { tokenDigest: null, status: 'running' as const }, 'd1', 'refused'],
    ['a finished job with its token', job('success'), 'd1', 'not_running'],
    ['a canceled job with its token', job('canceled'), 'd1', 'not_running'],
  ])('decides %s', (_, given, digest, expected) => {
    expect(decideJobToken(given, digest)).toBe(expected);
  });
});

describe(repeatsFinalState.name, () => {
  it.each([
    ['success', 'success', true],
    ['failed', 'failed', true],
    ['success', 'failed', false],
    ['success', 'running', false],
    ['canceled', 'failed', false],
    ['running', 'running', false],
  ] as const)('%s job, %s sent again: %p', (status, state, expected) => {
    expect(repeatsFinalState(status, state)).toBe(expected);
  });
});
