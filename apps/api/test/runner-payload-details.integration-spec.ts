import { createHash } from 'node:crypto';
import { commitCiConfig, createCiFixture, finishJob } from './support/ci-fixtures';
import { client } from './support/resources';
import { runPipeline, takeJob, variableMap } from './support/runner-fixtures';
import { patchTrace, updateJob } from './support/runner-protocol';
import { TestApp, createUser, startTestApp } from './support/test-app';

const TIMEOUT = 3600;

/** The runner payload's finer points (issue 16); a realistic file's jobs are in runner-payload-keywords.integration-spec.ts. */
describe('runner payload details', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });

  afterAll(() => api.close());

  it('uses the non-protected cache keys on an unprotected branch; key:files matches `*` within a directory, else "default"', async () => {
    const owner = await createUser(api, 'payload-branch');
    const caches = [
      '    - key: {files: [missing.lock], prefix: deps}',
      '    - key: gems\n      unprotect: true',
      '    - key: {files: ["locks/*.lock"]}',
    ];
    const fixture = await createCiFixture(api, `job:\n  script: [make]\n  cache:\n${caches.join('\n')}\n`, { owner });
    const as = client(api, owner);
    for (const [path, content] of [
      ['locks/a.lock', 'a\n'],
      ['locks/b.lock', 'b\n'],
      ['locks/nested/c.lock', 'c\n'],
    ]) {
      const body = { branch: 'main', content, commit_message: 'lock [skip ci]' };
      await as.post(`/projects/${fixture.projectId}/repository/files/${encodeURIComponent(path)}`, body).expect(201);
    }
    await as.post(`/projects/${fixture.projectId}/repository/branches`, { branch: 'feature', ref: 'main' }).expect(201);
    await runPipeline(api, owner, fixture.projectId, 'feature');
    const job = await takeJob(api, fixture.runnerToken);
    expect(variableMap(job).get('CI_COMMIT_REF_PROTECTED')?.value).toBe('false');
    // The blob ids of locks/a.lock and locks/b.lock (`git hash-object`), sorted; locks/nested/c.lock is one level too deep.
    const locks = createHash('sha1')
      .update('61780798228d17af2d34fce4cfbdf35556832472-78981922613b2afb6025042ff6bd878ac1994e85')
      .digest('hex');
    expect((job.cache as { key: string }[]).map((cache) => cache.key)).toEqual([
      'deps-default-non_protected',
      'gems-non_protected',
      `2-${locks}-non_protected`,
    ]);
    expect(job.image).toBeNull();
    expect(job.artifacts).toBeNull();
    expect(job.steps).toEqual([{ name: 'script', script: ['make'], timeout: TIMEOUT, when: 'on_success', allow_failure: false }]);
  });

  it('gives a job its environment:url as CI_ENVIRONMENT_URL, as written (the runner expands it), and none without one', async () => {
    const owner = await createUser(api, 'payload-env-url');
    const file = [
      'review:',
      '  script: [deploy]',
      '  environment: {name: review/$CI_COMMIT_REF_SLUG, url: "https://$CI_ENVIRONMENT_SLUG.example.com"}',
      'plain:',
      '  stage: deploy',
      '  script: [deploy]',
      '  environment: staging',
    ].join('\n');
    const fixture = await createCiFixture(api, `${file}\n`, { owner });
    await runPipeline(api, owner, fixture.projectId);
    const reviewJob = await takeJob(api, fixture.runnerToken);
    const review = variableMap(reviewJob);
    expect(review.get('CI_ENVIRONMENT_NAME')?.value).toBe('review/main');
    expect(review.get('CI_ENVIRONMENT_URL')?.value).toBe('https://$CI_ENVIRONMENT_SLUG.example.com');
    await finishJob(api, reviewJob.id, reviewJob.token, 'success').expect(200);
    const plain = variableMap(await takeJob(api, fixture.runnerToken));
    expect(plain.get('CI_ENVIRONMENT_NAME')?.value).toBe('staging');
    expect(plain.has('CI_ENVIRONMENT_URL')).toBe(false);
  });

  it('keeps config changes from reaching jobs already created: the options are stored with the pipeline', async () => {
    const owner = await createUser(api, 'payload-stored');
    const fixture = await createCiFixture(api, 'job:\n  image: alpine:3.20\n  script: [make]\n', { owner });
    await runPipeline(api, owner, fixture.projectId);
    await commitCiConfig(api, owner, fixture.projectId, 'job:\n  image: debian:12\n  script: [make]\n', 'main');
    expect((await takeJob(api, fixture.runnerToken)).image).toMatchObject({ name: 'alpine:3.20' });
  });

  it('gives a job with needs the artifacts of the needs that keep them only (GitLab’s DAG dependencies)', async () => {
    const owner = await createUser(api, 'payload-dag');
    const yaml = `
stages: [build, test]
a: {stage: build, script: [a]}
b: {stage: build, script: [b]}
c:
  stage: test
  script: [c]
  needs: [a, {job: b, artifacts: false}]
`;
    const fixture = await createCiFixture(api, yaml, { owner });
    await runPipeline(api, owner, fixture.projectId);
    const [a, b] = [await takeJob(api, fixture.runnerToken), await takeJob(api, fixture.runnerToken)];
    for (const job of [a, b]) await finishJob(api, job.id, job.token, 'success').expect(200);
    const c = await takeJob(api, fixture.runnerToken);
    expect(c.job_info.name).toBe('c');
    expect(c.dependencies).toEqual([{ id: a.id, name: 'a', token: c.token }]);
  });

  it('downloads from the latest try of a retried job only', async () => {
    const owner = await createUser(api, 'payload-retried');
    const yaml = 'stages: [build, test]\nbuild: {stage: build, script: [make], retry: 1}\ntest: {stage: test, script: [check]}\n';
    const fixture = await createCiFixture(api, yaml, { owner });
    await runPipeline(api, owner, fixture.projectId);
    const failed = await takeJob(api, fixture.runnerToken);
    await finishJob(api, failed.id, failed.token, 'failed', 'script_failure').expect(200);
    const retry = await takeJob(api, fixture.runnerToken);
    expect(retry.job_info.name).toBe('build');
    expect(retry.id).not.toBe(failed.id);
    await finishJob(api, retry.id, retry.token, 'success').expect(200);
    const test = await takeJob(api, fixture.runnerToken);
    expect(test.dependencies).toEqual([{ id: retry.id, name: 'build', token: test.token }]);
  });

  it('keeps the coverage its regex finds in the log when the job finishes, shown in the job JSON as GitLab', async () => {
    const owner = await createUser(api, 'payload-coverage');
    const yaml = "test:\n  script: [pytest --cov]\n  coverage: '/TOTAL.*\\s+(\\d+(?:\\.\\d+)?)%$/'\nlint:\n  script: [ruff]\n";
    const fixture = await createCiFixture(api, yaml, { owner });
    await runPipeline(api, owner, fixture.projectId);
    const log = '$ pytest --cov\nName    Stmts   Miss  Cover\napp.py     40      4    90%\nTOTAL     200     25    87.50%\n';
    for (const job of [await takeJob(api, fixture.runnerToken), await takeJob(api, fixture.runnerToken)]) {
      await patchTrace(api, job, 0, log).expect(202);
      await updateJob(api, job, { state: 'success', log }).expect(200);
    }
    const jobs = await client(api, owner).get(`/projects/${fixture.projectId}/jobs`).expect(200);
    const coverage = Object.fromEntries((jobs.body as { name: string; coverage: number | null }[]).map((job) => [job.name, job.coverage]));
    // `lint` has no `coverage:`: its log is not read.
    expect(coverage).toEqual({ test: 87.5, lint: null });
  });
});
