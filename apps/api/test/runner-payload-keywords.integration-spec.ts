import { createHash } from 'node:crypto';
import { commitCiConfig, createCiFixture, finishJob, requestJob } from './support/ci-fixtures';
import { client } from './support/resources';
import { JobPayload, createRunner, runPipeline, takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, createUser, startTestApp } from './support/test-app';

/** A Python service's `.gitlab-ci.yml`, in the style of the ones GitLab's own templates start from. */
const PYTHON_APP = `
stages: [build, test, deploy]

default:
  image: python:3.12-slim
  before_script:
    - pip install -r requirements.txt
  after_script:
    - echo "cleanup"
  tags: [docker]

variables:
  PIP_CACHE_DIR: "$CI_PROJECT_DIR/.cache/pip"

build:
  stage: build
  script: [python -m build]
  cache:
    key:
      files: [requirements.txt]
    paths: [.cache/pip]
  artifacts:
    name: dist
    paths: [dist/]
    expire_in: 1 week

test:
  stage: test
  services:
    - name: postgres:16
      alias: db
      variables:
        POSTGRES_PASSWORD: secret
    - redis:7
  script: [pytest --junitxml=report.xml]
  parallel: 3
  coverage: '/TOTAL.*\\s+(\\d+%)$/'
  artifacts:
    reports:
      junit: report.xml
      dotenv: build.env

compat:
  stage: test
  image: { name: "python:$PY", entrypoint: [""], pull_policy: if-not-present }
  script: [tox -e "py$PY"]
  interruptible: true
  parallel:
    matrix:
      - PY: ["3.11", "3.12"]
        DB: [postgres]
  cache:
    - key: tox-$PY
      paths: [.tox]
      policy: pull
      fallback_keys: [tox-main]
  dependencies: []

deploy:
  stage: deploy
  before_script: []
  script: [./deploy.sh]
  dependencies: [build]
  tags: [docker, production]
`;

const REQUIREMENTS = 'flask==3.0.0\n';
/** `git hash-object` of REQUIREMENTS: GitLab's `key:files` digest is the SHA-1 of the files' blob ids. */
const REQUIREMENTS_BLOB = '5bd19d39d1a803a2be1d5b241855ebbdd7f391fd';
const FILES_KEY = `0-${createHash('sha1').update(REQUIREMENTS_BLOB).digest('hex')}`;

const TIMEOUT = 3600;
const AFTER_SCRIPT = { name: 'after_script', script: ['echo "cleanup"'], timeout: TIMEOUT, when: 'always', allow_failure: true };
const PYTHON_IMAGE = { name: 'python:3.12-slim', entrypoint: null, ports: [], executor_opts: {}, pull_policy: null };

/** The job-specific fields of a payload (`spec.Job`'s steps, image, services, artifacts, cache, dependencies). */
function specOf(payload: JobPayload) {
  const { steps, image, services, artifacts, cache, dependencies } = payload;
  return { steps, image, services, artifacts, cache, dependencies };
}

describe('runner payload keywords (issue 16)', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });

  afterAll(() => api.close());

  it('carries a realistic file to runners in GitLab’s payload shape, field by field, each job to a runner with its tags', async () => {
    const fixture = await createCiFixture(api, PYTHON_APP);
    const { projectId, maintainer } = fixture;
    const as = client(api, maintainer);
    await as
      .post(`/projects/${projectId}/repository/files/requirements.txt`, {
        branch: 'main',
        content: REQUIREMENTS,
        commit_message: 'requirements [skip ci]',
      })
      .expect(201);
    const scope = { runner_type: 'project_type', project_id: projectId } as const;
    const docker = await createRunner(api, maintainer, scope, { tag_list: ['docker'] });
    // GitLab's comma-separated form of `tag_list`.
    const production = await createRunner(api, maintainer, scope, { tag_list: 'docker, production,linux' });
    const untagged = fixture.runnerToken;
    const pipeline = await runPipeline(api, maintainer, projectId);

    // Every job is tagged: the fixture's untagged runner gets none of them.
    await requestJob(api, untagged).expect(204);

    const build = await takeJob(api, docker.token);
    expect(build.job_info.name).toBe('build');
    expect(variableMap(build).get('CI_COMMIT_REF_PROTECTED')?.value).toBe('true');
    expect(specOf(build)).toEqual({
      steps: [
        {
          name: 'script',
          script: ['pip install -r requirements.txt', 'python -m build'],
          timeout: TIMEOUT,
          when: 'on_success',
          allow_failure: false,
        },
        AFTER_SCRIPT,
      ],
      image: PYTHON_IMAGE,
      services: [],
      artifacts: [{ name: 'dist', paths: ['dist/'], when: null, expire_in: '1 week', artifact_type: 'archive', artifact_format: 'zip' }],
      cache: [
        {
          key: `${FILES_KEY}-protected`,
          untracked: null,
          paths: ['.cache/pip'],
          policy: 'pull-push',
          when: 'on_success',
          fallback_keys: [],
        },
      ],
      dependencies: [],
    });
    expect(variableMap(build).has('CI_NODE_INDEX')).toBe(false);
    expect(variableMap(build).get('CI_NODE_TOTAL')?.value).toBe('1');
    await finishJob(api, build.id, build.token, 'success').expect(200);

    const testJobs: JobPayload[] = [];
    for (let i = 0; i < 5; i++) testJobs.push(await takeJob(api, docker.token));
    await requestJob(api, docker.token).expect(204);
    expect(testJobs.map((job) => job.job_info.name)).toEqual([
      'test 1/3',
      'test 2/3',
      'test 3/3',
      'compat: [3.11, postgres]',
      'compat: [3.12, postgres]',
    ]);

    const [firstTest] = testJobs;
    expect(specOf(firstTest)).toEqual({
      steps: [
        {
          name: 'script',
          script: ['pip install -r requirements.txt', 'pytest --junitxml=report.xml'],
          timeout: TIMEOUT,
          when: 'on_success',
          allow_failure: false,
        },
        AFTER_SCRIPT,
      ],
      image: PYTHON_IMAGE,
      services: [
        {
          name: 'postgres:16',
          entrypoint: null,
          ports: [],
          executor_opts: {},
          pull_policy: null,
          alias: 'db',
          command: null,
          variables: [{ key: 'POSTGRES_PASSWORD', value: 'secret' }],
        },
        { name: 'redis:7', entrypoint: null, ports: [], executor_opts: {}, pull_policy: null, alias: null, command: null, variables: [] },
      ],
      // Reports only: no archive, and reports are uploaded whatever the result.
      artifacts: [
        { name: 'junit.xml', paths: ['report.xml'], when: 'always', expire_in: null, artifact_type: 'junit', artifact_format: 'gzip' },
        { name: '.env', paths: ['build.env'], when: 'always', expire_in: null, artifact_type: 'dotenv', artifact_format: 'gzip' },
      ],
      cache: [],
      // Every earlier stage's job; the running job's own token downloads them (GitLab's default).
      dependencies: [{ id: build.id, name: 'build', token: firstTest.token }],
    });
    expect(
      testJobs.slice(0, 3).map((job) => [variableMap(job).get('CI_NODE_INDEX')?.value, variableMap(job).get('CI_NODE_TOTAL')?.value]),
    ).toEqual([
      ['1', '3'],
      ['2', '3'],
      ['3', '3'],
    ]);

    const compat = testJobs[3];
    expect(specOf(compat)).toEqual({
      steps: [
        {
          name: 'script',
          script: ['pip install -r requirements.txt', 'tox -e "py$PY"'],
          timeout: TIMEOUT,
          when: 'on_success',
          allow_failure: false,
        },
        AFTER_SCRIPT,
      ],
      // Variables in the image name and cache key are the runner's to expand.
      image: { name: 'python:$PY', entrypoint: [''], ports: [], executor_opts: {}, pull_policy: ['if-not-present'] },
      services: [],
      artifacts: null,
      cache: [
        {
          key: 'tox-$PY-protected',
          untracked: null,
          paths: ['.tox'],
          policy: 'pull',
          when: 'on_success',
          fallback_keys: ['tox-main-protected'],
        },
      ],
      dependencies: [],
    });
    const compatVariables = variableMap(compat);
    expect([compatVariables.get('PY')?.value, compatVariables.get('DB')?.value]).toEqual(['3.11', 'postgres']);
    expect([compatVariables.get('CI_NODE_INDEX')?.value, compatVariables.get('CI_NODE_TOTAL')?.value]).toEqual(['1', '2']);
    for (const job of testJobs) await finishJob(api, job.id, job.token, 'success').expect(200);

    // deploy needs `production` too: not the docker-only runner's, but a runner with more tags than it needs takes it.
    await requestJob(api, docker.token).expect(204);
    await requestJob(api, untagged).expect(204);
    const deploy = await takeJob(api, production.token);
    expect(deploy.job_info).toMatchObject({ name: 'deploy', pipeline_id: pipeline.id });
    expect(specOf(deploy)).toEqual({
      // `before_script: []` of its own wins over default's.
      steps: [{ name: 'script', script: ['./deploy.sh'], timeout: TIMEOUT, when: 'on_success', allow_failure: false }, AFTER_SCRIPT],
      image: PYTHON_IMAGE,
      services: [],
      artifacts: null,
      cache: [],
      dependencies: [{ id: build.id, name: 'build', token: deploy.token }],
    });
  });

  it('uses the non-protected cache keys on an unprotected branch, and a key:files key of "default" when no file exists', async () => {
    const owner = await createUser(api, 'payload-branch');
    const fixture = await createCiFixture(
      api,
      'job:\n  script: [make]\n  cache:\n    - key: {files: [missing.lock], prefix: deps}\n    - key: gems\n      unprotect: true\n',
      { owner },
    );
    await client(api, owner).post(`/projects/${fixture.projectId}/repository/branches`, { branch: 'feature', ref: 'main' }).expect(201);
    await runPipeline(api, owner, fixture.projectId, 'feature');
    const job = await takeJob(api, fixture.runnerToken);
    expect(variableMap(job).get('CI_COMMIT_REF_PROTECTED')?.value).toBe('false');
    expect((job.cache as { key: string }[]).map((cache) => cache.key)).toEqual(['deps-default-non_protected', 'gems-non_protected']);
    expect(job.image).toBeNull();
    expect(job.artifacts).toBeNull();
    expect(job.steps).toEqual([{ name: 'script', script: ['make'], timeout: TIMEOUT, when: 'on_success', allow_failure: false }]);
  });

  describe('tags', () => {
    it('keeps an untagged job from a runner with run_untagged false, and gives it to one with run_untagged', async () => {
      const owner = await createUser(api, 'payload-untagged');
      const fixture = await createCiFixture(api, 'job:\n  script: [make]\n', { owner });
      const scope = { runner_type: 'project_type', project_id: fixture.projectId } as const;
      const taggedOnly = await createRunner(api, owner, scope, { tag_list: ['docker'], run_untagged: false });
      await runPipeline(api, owner, fixture.projectId);
      await requestJob(api, taggedOnly.token).expect(204);
      expect((await takeJob(api, fixture.runnerToken)).job_info.name).toBe('job');
    });

    it('matches tags expanded when the pipeline is created, and follows a runner’s tags changed with PUT /runners/:id', async () => {
      const owner = await createUser(api, 'payload-tag-change');
      const yaml = 'variables:\n  ARCH: arm64\njob:\n  script: [make]\n  tags: [docker, "$ARCH"]\n';
      const fixture = await createCiFixture(api, yaml, { owner });
      const scope = { runner_type: 'project_type', project_id: fixture.projectId } as const;
      const runner = await createRunner(api, owner, scope, { tag_list: ['docker', '$ARCH'] });
      await runPipeline(api, owner, fixture.projectId);
      // The job needs `arm64`, not the literal `$ARCH`.
      await requestJob(api, runner.token).expect(204);
      const updated = await client(api, owner).put(`/runners/${runner.id}`, { tag_list: 'docker,arm64' }).expect(200);
      expect(updated.body).toMatchObject({ tag_list: ['docker', 'arm64'], run_untagged: true });
      expect((await takeJob(api, runner.token)).job_info.name).toBe('job');
    });
  });

  describe('runner tag attributes', () => {
    it('shows tag_list and run_untagged, and refuses a runner with neither tags nor untagged jobs as GitLab', async () => {
      const owner = await createUser(api, 'runner-tags');
      const fixture = await createCiFixture(api, 'job:\n  script: [make]\n', { owner });
      const scope = { runner_type: 'project_type', project_id: fixture.projectId } as const;
      const refusal = { message: { tags_list: ['can not be empty when runner is not allowed to pick untagged jobs'] } };
      await client(api, owner)
        .post('/user/runners', { ...scope, run_untagged: false })
        .expect(400, refusal);
      const runner = await createRunner(api, owner, scope, { tag_list: [' linux ', 'docker', 'linux', ''] });
      const shown = await client(api, owner).get(`/runners/${runner.id}`).expect(200);
      expect(shown.body).toMatchObject({ tag_list: ['linux', 'docker'], run_untagged: true });
      await client(api, owner).put(`/runners/${runner.id}`, { run_untagged: false }).expect(200);
      await client(api, owner).put(`/runners/${runner.id}`, { tag_list: [] }).expect(400, refusal);
      await client(api, owner)
        .put(`/runners/${runner.id}`, { tag_list: [1, 2] })
        .expect(400);
      const after = await client(api, owner).get(`/runners/${runner.id}`).expect(200);
      expect(after.body).toMatchObject({ tag_list: ['linux', 'docker'], run_untagged: false });
    });
  });

  it('keeps config changes from reaching jobs already created: the options are stored with the pipeline', async () => {
    const owner = await createUser(api, 'payload-stored');
    const fixture = await createCiFixture(api, 'job:\n  image: alpine:3.20\n  script: [make]\n', { owner });
    await runPipeline(api, owner, fixture.projectId);
    await commitCiConfig(api, owner, fixture.projectId, 'job:\n  image: debian:12\n  script: [make]\n', 'main');
    expect((await takeJob(api, fixture.runnerToken)).image).toMatchObject({ name: 'alpine:3.20' });
  });
});
