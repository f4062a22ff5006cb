import { parseRetry } from './retry-entry';
import { parseCiConfig } from './index';

const lint = (yaml: string) => parseCiConfig(yaml, { optInJwt: true });

describe(parseRetry.name, () => {
  it.each([
    ['0', '0', { max: 0, when: ['always'], exitCodes: [] }],
    ['2', '2', { max: 2, when: ['always'], exitCodes: [] }],
    ['a hash with max only', '{max: 1}', { max: 1, when: ['always'], exitCodes: [] }],
    ['one reason', '{max: 2, when: runner_system_failure}', { max: 2, when: ['runner_system_failure'], exitCodes: [] }],
    [
      'reasons and exit codes',
      '{max: 2, when: [script_failure, stuck_or_timeout_failure], exit_codes: [137, 255]}',
      { max: 2, when: ['script_failure', 'stuck_or_timeout_failure'], exitCodes: [137, 255] },
    ],
    ['one exit code', '{exit_codes: 1}', { max: 0, when: ['always'], exitCodes: [1] }],
  ])('accepts %s', (_case, retry, expected) => {
    const result = lint(`job: {script: x, retry: ${retry}}`);
    expect(result.errors).toEqual([]);
    expect(result.jobs[0].retry).toEqual(expected);
  });

  // GitLab's Retry entries report as `retry`, without the job's path.
  it.each([
    ['true', 'true', ['retry config has to be either an integer or a hash']],
    ['1.5', '1.5', ['retry config has to be either an integer or a hash']],
    ['a string', 'twice', ['retry config has to be either an integer or a hash']],
    ['-1', '-1', ['retry config must be greater than or equal to 0']],
    ['3', '3', ['retry config must be less than or equal to 2']],
    ['unknown keys', '{max: 1, unknown_key: 1, one_more: 2}', ['retry config contains unknown keys: unknown_key, one_more']],
    ['max 3', '{max: 3}', ['retry max must be less than or equal to 2']],
    ['max -1', '{max: -1}', ['retry max must be greater than or equal to 0']],
    ['max 1.5', '{max: 1.5}', ['retry max must be an integer']],
    ['max as a word', '{max: two}', ['retry max is not a number']],
    ['an unknown reason', '{when: unknown_reason}', ['retry when is not included in the list']],
    ['an unknown reason in a list', '{when: [script_failure, unknown_reason]}', ['retry when contains unknown values: unknown_reason']],
    ['reasons as a hash', '{when: {a: b}}', ['retry when should be an array of strings or a string']],
    ['exit codes as strings', '{exit_codes: [a]}', ['retry exit codes should be an array of integers or an integer']],
  ])('rejects %s', (_case, retry, errors) => {
    expect(lint(`job: {script: x, retry: ${retry}}`).errors).toEqual(errors);
  });

  it('is inherited from default:', () => {
    expect(lint('default: {retry: 1}\njob: {script: x}').jobs[0].retry).toEqual({ max: 1, when: ['always'], exitCodes: [] });
  });
});
