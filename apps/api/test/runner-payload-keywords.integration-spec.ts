import { createHash } from 'node:crypto';
import { createCiFixture, finishJob, requestJob } from './support/ci-fixtures';
import { client } from './support/resources';
import { JobPayload, createRunner, runPipeline, takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, startTestApp } from './support/test-app';

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
    expect(variableMap(deploy).get('CI_RUNNER_TAGS')?.value).toBe('["docker", "production", "linux"]');
    expect(specOf(deploy)).toEqual({
      // `before_script: []` of its own wins over default's.
      steps: [{ name: 'script', script: ['./deploy.sh'], timeout: TIMEOUT, when: 'on_success', allow_failure: false }, AFTER_SCRIPT],
      image: PYTHON_IMAGE,
      services: [],
      artifacts: null,
      cache: [],
      dependencies: [{ id: build.id, name: 'build', token: deploy.token }],
    });
    // GitLab's job JSON shows the tags a runner needed.
    const shown = await as.get(`/projects/${projectId}/jobs/${deploy.id}`).expect(200);
    expect(shown.body.tag_list).toEqual(['docker', 'production']);
  });
});
