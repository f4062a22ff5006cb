import { parseWhen } from './when-entry';
import { parseCiConfig } from './index';
import type { JobDefinition } from './index';

const errorsOf = (yaml: string): string[] => parseCiConfig(yaml, { optInJwt: true }).errors;
const jobOf = (job: string): JobDefinition => {
  const result = parseCiConfig(`job: {script: x, ${job}}`, { optInJwt: true });
  expect(result.errors).toEqual([]);
  return result.jobs[0];
};
const pick = ({ when, startInSeconds, allowFailure, allowFailureExitCodes }: JobDefinition) => ({
  when,
  startInSeconds,
  allowFailure,
  allowFailureExitCodes,
});

describe(parseWhen.name, () => {
  it.each([
    ['nothing', '', 'on_success', null, false, null],
    ['on_success', 'when: on_success', 'on_success', null, false, null],
    ['on_failure', 'when: on_failure', 'on_failure', null, false, null],
    ['always', 'when: always', 'always', null, false, null],
    ['manual (may fail by default)', 'when: manual', 'manual', null, true, null],
    ['manual that must not fail', 'when: manual, allow_failure: false', 'manual', null, false, null],
    [
      'manual with exit codes (then it must not fail otherwise)',
      'when: manual, allow_failure: {exit_codes: 3}',
      'manual',
      null,
      false,
      [3],
    ],
    ['delayed by 30 minutes', 'when: delayed, start_in: 30 minutes', 'delayed', 1800, false, null],
    ['delayed by a week', 'when: delayed, start_in: 1 week', 'delayed', 604800, false, null],
    ['allow_failure: true', 'allow_failure: true', 'on_success', null, true, null],
    ['exit codes as a list', 'allow_failure: {exit_codes: [1, 137]}', 'on_success', null, false, [1, 137]],
    ['an empty allow_failure hash', 'allow_failure: {}', 'on_success', null, false, null],
  ] as const)('reads %s', (_case, job, when, startInSeconds, allowFailure, allowFailureExitCodes) => {
    expect(pick(jobOf(job))).toEqual({ when, startInSeconds, allowFailure, allowFailureExitCodes });
  });

  it.each([
    ['never (only rules may say it)', 'when: never', ['jobs:job when should be one of: on_success, on_failure, always, manual, delayed']],
    [
      'a list',
      'when: [manual]',
      ['jobs:job when should be a string', 'jobs:job when should be one of: on_success, on_failure, always, manual, delayed'],
    ],
    ['delayed without start_in', 'when: delayed', ['jobs:job start in should be a duration']],
    ['delayed by an unparsable time', 'when: delayed, start_in: soon', ['jobs:job start in should be a duration']],
    ['delayed by an integer', 'when: delayed, start_in: 60', ['jobs:job start in should be a duration']],
    ['delayed by more than a week', 'when: delayed, start_in: 8 days', ['jobs:job start in should not exceed the limit']],
    ['start_in without delayed', 'start_in: 1 hour', ['jobs:job start in must be blank']],
    ['start_in on a manual job', 'when: manual, start_in: 1 hour', ['jobs:job start in must be blank']],
    ['allow_failure as a string', 'allow_failure: "yes"', ['jobs:job allow failure should be a hash or a boolean value']],
    ['allow_failure with unknown keys', 'allow_failure: {codes: 1}', ['jobs:job:allow_failure config contains unknown keys: codes']],
    [
      'exit codes that are strings',
      'allow_failure: {exit_codes: ["1"]}',
      ['jobs:job:allow_failure exit codes should be an array of integers or an integer'],
    ],
  ])('rejects %s', (_case, job, errors) => {
    expect(errorsOf(`job: {script: x, ${job}}`)).toEqual(errors);
  });
});
