import { autoRetryAllowed, failureAllowedByExitCode } from './auto-retry';

const retry = (max: number, when: string[] = ['always'], exitCodes: number[] = []) => ({ max, when, exitCodes });

describe(autoRetryAllowed.name, () => {
  it.each([
    ['no retry', null, 'script_failure', null, 0, false],
    ['max 2, none yet', retry(2), 'script_failure', null, 0, true],
    ['max 2, one retried', retry(2), 'script_failure', null, 1, true],
    ['max 2, two retried', retry(2), 'script_failure', null, 2, false],
    ['max 0', retry(0), 'script_failure', null, 0, false],
    ['reason listed', retry(1, ['runner_system_failure']), 'runner_system_failure', null, 0, true],
    ['reason not listed', retry(1, ['runner_system_failure']), 'script_failure', null, 0, false],
    ['exit code listed', retry(1, ['always'], [137]), 'script_failure', 137, 0, true],
    ['exit code not listed', retry(1, ['always'], [137]), 'script_failure', 1, 0, false],
    ['exit codes but none sent', retry(1, ['always'], [137]), 'script_failure', null, 0, false],
  ] as const)('%s', (_, definition, failureReason, exitCode, retriesCount, expected) => {
    expect(autoRetryAllowed({ retry: definition, failureReason, exitCode, retriesCount })).toBe(expected);
  });
});

describe(failureAllowedByExitCode.name, () => {
  it('allows a failure only with a listed exit code', () => {
    expect(failureAllowedByExitCode([1, 137], 137)).toBe(true);
    expect(failureAllowedByExitCode([1, 137], 2)).toBe(false);
    expect(failureAllowedByExitCode([1], null)).toBe(false);
    expect(failureAllowedByExitCode(null, 1)).toBe(false);
  });
});
