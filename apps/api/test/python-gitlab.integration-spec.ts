import { spawnSync } from 'node:child_process';
import { AddressInfo, createServer } from 'node:net';
import { SYSTEM_PYTHON, runCompatScript } from './support/python-compat';
import { TestApp, startTestApp, uniqueName } from './support/test-app';

describe('python-gitlab compatibility', () => {
  let api: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    // The external URL must be where the client reaches us: python-gitlab warns when they differ, as it should.
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    api = await startTestApp({ LANYARD_EXTERNAL_URL: baseUrl });
    await api.app.listen(port, '127.0.0.1');
  });

  afterAll(() => api.close());

  /** Runs one compat script against the server and returns the JSON it printed. */
  const runScript = (name: string, suffix: string) => runCompatScript(name, [baseUrl, api.rootToken, suffix]);

  it('drives groups, subgroups, projects, members, files, branches and protection unmodified', async () => {
    const suffix = uniqueName('py').toLowerCase();
    const result = await runScript('python_gitlab_flow.py', suffix);
    expect(result).toEqual({
      group: `compat-${suffix}`,
      subgroup: `compat-${suffix}/platform`,
      project: `compat-${suffix}/platform/service`,
      default_branch: 'main',
      group_members: [`dev-${suffix}`, 'root'].sort(),
      project_members: [[`rep-${suffix}`, 20]],
      branches: ['feature/x', 'main'],
      protected_branches: ['main', 'release/*'],
      commit_sha: expect.stringMatching(/^[0-9a-f]{40}$/),
      groups_listed: [`compat-${suffix}`, `compat-${suffix}/platform`],
    });
  });

  it('lints CI configs and creates, reads, lists and deletes pipelines, their jobs and variables unmodified', async () => {
    const result = await runScript('python_gitlab_pipelines.py', uniqueName('py').toLowerCase());
    const missingAud = 'jobs:deploy:id_tokens:AWS_TOKEN id token config missing required keys: aud';
    const unknownKey = 'jobs:deploy:id_tokens:AWS_TOKEN id token config contains unknown keys: audience';
    const audType = 'jobs:deploy:id_tokens:AWS_TOKEN id token aud should be an array of strings or a string';
    expect(result).toEqual({
      lint_valid: [true, [], [], ['compile', 'unit']],
      lint_invalid: [false, [missingAud, unknownKey, audType]],
      validate_error: [missingAud, unknownKey, audType].join(',\n'),
      lint_default_branch: true,
      created: ['pending', 'main', 'api', false],
      fetched: [true, 'pending', true, 'root'],
      jobs: [
        ['compile', 'build', 'pending', true],
        ['unit', 'test', 'created', true],
      ],
      missing_ref: [400, { base: ['Reference not found'] }],
      listed: true,
      // The config commit's push pipeline is the project's first.
      iids: [2, 2, 4],
      latest: [true, true, 'main'],
      variables: [['DEPLOY_TARGET', 'eu-1', 'env_var']],
      deleted: [404, 1],
    });
  });

  it('simulates a pipeline with ci_lint dry_run, then creates it, unmodified', async () => {
    const result = await runScript('python_gitlab_dry_run.py', uniqueName('py').toLowerCase());
    expect(result).toEqual({
      dry_run: [
        true,
        [],
        [
          ['build', 'build', 'on_success'],
          ['test', 'test', 'on_success'],
          ['deploy', 'deploy', 'on_success'],
        ],
      ],
      dry_run_fields: expect.arrayContaining([
        'after_script',
        'allow_failure',
        'before_script',
        'environment',
        'name',
        'needs',
        'script',
        'stage',
        'tag_list',
        'when',
      ]),
      on_feature: ['build', 'test'],
      merged_yaml: true,
      lint_default_branch: [true, []],
      pipeline: ['main', 'api'],
      jobs: [
        ['build', 'build'],
        ['deploy', 'deploy'],
        ['test', 'test'],
      ],
    });
  });

  it('plays, cancels, retries and erases jobs, and cancels and retries pipelines, unmodified', async () => {
    expect(await runScript('python_gitlab_manual_jobs.py', uniqueName('py').toLowerCase())).toEqual({
      before: ['manual', true],
      refused: [403, 'manual'],
      played: ['pending', 'root'],
      replayed: [400, '400 Bad request - Unplayable Job'],
      cancel_refused: 403,
      canceled: [true, 'canceled'],
      retried: [true, 'build', 'pending'],
      retried_twice: [403, '403 Forbidden - Job is not retryable'],
      pipeline_canceled: ['canceled', ['canceled', 'canceled']],
      // The manual deploy's copy waits to be played again, as GitLab's pipeline retry leaves it.
      pipeline_retried: ['pending', ['manual', 'pending']],
      erased: [true, ''],
      erased_twice: [403, '403 Forbidden - Job is not erasable!'],
    });
  });

  it('forks, opens a merge request to the parent and runs its pipeline there unmodified', async () => {
    const suffix = uniqueName('py').toLowerCase();
    expect(await runScript('python_gitlab_forks.py', suffix)).toEqual({
      fork: [`downstream-${suffix}/service`, true, 'main'],
      forks: [true],
      merge_request: [1, true, true, `Change ${suffix}`],
      pipeline: [true, 'merge_request_event', 'refs/merge-requests/1/head'],
      listed: [true],
      closed: 'closed',
    });
  });

  it('previews ID token claims through http_post, as the issue promises python-gitlab users', async () => {
    const suffix = uniqueName('py').toLowerCase();
    const result = await runScript('python_gitlab_id_token_preview.py', suffix);
    expect(result).toEqual({
      variable: 'AWS_TOKEN',
      sub: `project_path:root/preview-${suffix}:ref_type:branch:ref:main`,
      aud: 'sts.amazonaws.com',
      custom_claims: [{ key: 'deploy_kind', value: 'blue', source: 'job:deploy' }],
      missing_job: [400, { job: ['is not a job of this CI config'] }],
    });
  });

  it('finds python-gitlab in the system interpreter (install: apt-get install python3-gitlab)', () => {
    const probe = spawnSync(SYSTEM_PYTHON, ['-c', 'import gitlab; print(gitlab.__version__)'], { encoding: 'utf8' });
    expect(probe.stderr).toBe('');
    expect(probe.stdout.trim()).toMatch(/^\d+\.\d+/);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
