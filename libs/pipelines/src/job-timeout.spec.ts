import { JobTimeout, JobTimeoutInput, decideJobTimeout } from './job-timeout';

describe(decideJobTimeout.name, () => {
  it.each<[string, JobTimeoutInput, JobTimeout]>([
    [
      'the project’s timeout when the job sets none',
      { jobTimeout: null, projectTimeout: 3600, runnerMaximumTimeout: null },
      { seconds: 3600, source: 'project_timeout_source' },
    ],
    [
      'the job’s timeout over the project’s, longer or shorter',
      { jobTimeout: 7200, projectTimeout: 3600, runnerMaximumTimeout: null },
      { seconds: 7200, source: 'job_timeout_source' },
    ],
    [
      'a shorter job timeout',
      { jobTimeout: 900, projectTimeout: 3600, runnerMaximumTimeout: null },
      { seconds: 900, source: 'job_timeout_source' },
    ],
    [
      'the runner’s maximum caps a longer job timeout',
      { jobTimeout: 3600, projectTimeout: 600, runnerMaximumTimeout: 900 },
      { seconds: 900, source: 'runner_timeout_source' },
    ],
    [
      'the runner’s maximum caps the project’s timeout',
      { jobTimeout: null, projectTimeout: 3600, runnerMaximumTimeout: 1800 },
      { seconds: 1800, source: 'runner_timeout_source' },
    ],
    [
      'a runner maximum above the timeout changes nothing',
      { jobTimeout: 600, projectTimeout: 3600, runnerMaximumTimeout: 7200 },
      { seconds: 600, source: 'job_timeout_source' },
    ],
    [
      'a tie keeps the job’s source (GitLab’s min_by keeps the first)',
      { jobTimeout: 900, projectTimeout: 3600, runnerMaximumTimeout: 900 },
      { seconds: 900, source: 'job_timeout_source' },
    ],
    [
      'a runner maximum of 0 is no cap (GitLab’s runner_timeout_set?)',
      { jobTimeout: null, projectTimeout: 3600, runnerMaximumTimeout: 0 },
      { seconds: 3600, source: 'project_timeout_source' },
    ],
  ])('takes %s', (_title, input, expected) => {
    expect(decideJobTimeout(input)).toEqual(expected);
  });
});
