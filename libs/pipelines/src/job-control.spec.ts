import { isErasable, isRetryable, mayEraseJob } from './job-control';

describe(isRetryable.name, () => {
  it.each([
    ['success', false, true],
    ['failed', false, true],
    ['canceled', false, true],
    ['failed', true, false],
    ['running', false, false],
    ['pending', false, false],
    ['manual', false, false],
    ['skipped', false, false],
  ] as const)('%s, retried %s: %s', (status, retried, expected) => {
    expect(isRetryable({ status, retried })).toBe(expected);
  });
});

describe(isErasable.name, () => {
  it.each([
    ['success', true, true],
    ['canceled', true, true],
    ['skipped', true, true],
    ['success', false, false],
    ['running', true, false],
    ['pending', true, false],
  ] as const)('%s with a log %s: %s', (status, hasLog, expected) => {
    expect(isErasable({ status, hasLog })).toBe(expected);
  });
});

describe(mayEraseJob.name, () => {
  it.each([
    ['a maintainer, any job on a protected ref', { maintainer: true, developer: true, startedJob: false, refProtected: true }, true],
    ['a developer, their own job on an open ref', { maintainer: false, developer: true, startedJob: true, refProtected: false }, true],
    ["a developer, another's job", { maintainer: false, developer: true, startedJob: false, refProtected: false }, false],
    ['a developer, their own job on a protected ref', { maintainer: false, developer: true, startedJob: true, refProtected: true }, false],
    ['a reporter who started the job', { maintainer: false, developer: false, startedJob: true, refProtected: false }, false],
  ] as const)('%s: %s', (_case, input, expected) => {
    expect(mayEraseJob(input)).toBe(expected);
  });
});
