import { client, resources } from './support/resources';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';
import { CiFixture, createCiFixture } from './support/ci-fixtures';

const CONFIG = `
stages: [build, test, deploy]
build:
  stage: build
  before_script: [go version]
  script: [go build ./...]
  tags: [docker]
test:
  stage: test
  script: go test ./...
  needs: [build]
deploy:
  stage: deploy
  script: ./deploy
  environment: production
  rules:
    - if: $CI_COMMIT_REF_PROTECTED == "true" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
      when: manual
mr-only:
  script: ./review
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
`;

/** GitLab's `dry_run`: the pipeline a push to `ref` would create, by pipeline creation's own selection, stored nowhere. */
describe('CI lint dry_run', () => {
  let api: TestApp;
  let fixture: CiFixture;
  let developer: TestUser;
  let url: string;

  beforeAll(async () => {
    api = await startTestApp();
    fixture = await createCiFixture(api, CONFIG);
    url = `/projects/${fixture.projectId}/ci/lint`;
    developer = await createUser(api, 'dev');
    await resources(api).addMember(fixture.maintainer, `projects/${fixture.projectId}`, developer, 30);
    const as = client(api, fixture.maintainer);
    await as.post(`/projects/${fixture.projectId}/repository/branches`, { branch: 'feature', ref: 'main' }).expect(201);
  });

  afterAll(() => api.close());

  const dryRun = (body: object, who: TestUser = fixture.maintainer) =>
    client(api, who).post(url, { content: CONFIG, dry_run: true, ...body });
  const names = (jobs: { name: string; when: string }[]) => jobs.map((job) => `${job.name}:${job.when}`);

  it('simulates a push to the default branch, protected: the deploy job exists, manual', async () => {
    const result = await dryRun({ include_jobs: true }).expect(200);
    expect(result.body).toMatchObject({ valid: true, errors: [], warnings: [], includes: [] });
    expect(result.body.merged_yaml).toContain('mr-only:');
    expect(names(result.body.jobs)).toEqual(['build:on_success', 'test:on_success', 'deploy:manual']);
    expect(result.body.jobs[0]).toEqual(
      expect.objectContaining({
        name: 'build',
        stage: 'build',
        before_script: ['go version'],
        script: ['go build ./...'],
        after_script: [],
        tag_list: ['docker'],
        environment: null,
        allow_failure: false,
        needs: [],
      }),
    );
    expect(result.body.jobs[1].needs).toEqual([{ name: 'build', artifacts: true, optional: false }]);
    // A manual job by `rules:` does not allow failure unless it says so (GitLab's default for rules).
    expect(result.body.jobs[2]).toMatchObject({ environment: 'production', allow_failure: false });
  });

  it('simulates the ref given: an unprotected branch creates no deploy job', async () => {
    const result = await dryRun({ ref: 'feature' }).expect(200);
    expect(result.body).toMatchObject({ valid: true, errors: [] });
    expect(names(result.body.jobs)).toEqual(['build:on_success', 'test:on_success']);
  });

  it('simulates the file at the default branch on GET, for dry_run_ref', async () => {
    const as = client(api, fixture.maintainer);
    const onFeature = await as.get(`${url}?dry_run=true&dry_run_ref=feature`).expect(200);
    expect(names(onFeature.body.jobs)).toEqual(['build:on_success', 'test:on_success']);
    const onMain = await as.get(`${url}?dry_run=true`).expect(200);
    expect(names(onMain.body.jobs)).toEqual(['build:on_success', 'test:on_success', 'deploy:manual']);
    const statically = await as.get(`${url}?include_jobs=true`).expect(200);
    expect(statically.body.jobs.map((job: { name: string }) => job.name)).toEqual(['build', 'test', 'deploy', 'mr-only']);
  });

  it('answers GitLab’s error for a pipeline workflow:rules filter out, and for a ref that does not exist', async () => {
    const filtered = `workflow:\n  rules:\n    - if: $CI_COMMIT_TAG\n${CONFIG}`;
    const result = await client(api, fixture.maintainer).post(url, { content: filtered, dry_run: true, include_jobs: true }).expect(200);
    expect(result.body).toMatchObject({ valid: false, errors: ['Pipeline filtered out by workflow rules.'], jobs: [] });
    const missing = await dryRun({ ref: 'no-such-branch' }).expect(200);
    expect(missing.body).toMatchObject({ valid: false, errors: ['Reference not found'], jobs: [] });
  });

  it('refuses as creation would a developer simulating a pipeline for protected main', async () => {
    const result = await dryRun({}, developer).expect(200);
    // Default branch protection lets developers neither push nor merge: GitLab's chain refuses the pipeline.
    expect(result.body.valid).toBe(false);
    expect(result.body.errors).toEqual([
      "You do not have sufficient permission to run a pipeline on 'main'. Please select a different branch or contact your administrator for assistance.",
    ]);
  });

  it('reports the static errors of an invalid config without simulating anything', async () => {
    const result = await client(api, fixture.maintainer).post(url, { content: 'job: {stage: nope, script: x}', dry_run: true }).expect(200);
    expect(result.body).toMatchObject({ valid: false, jobs: [] });
    expect(result.body.errors[0]).toContain('chosen stage nope does not exist');
  });

  it('stores nothing: no pipeline, no job, no environment', async () => {
    const as = client(api, fixture.maintainer);
    const before = (await as.get(`/projects/${fixture.projectId}/pipelines`).expect(200)).body;
    await dryRun({ include_jobs: true }).expect(200);
    expect((await as.get(`/projects/${fixture.projectId}/pipelines`).expect(200)).body).toEqual(before);
    expect((await as.get(`/projects/${fixture.projectId}/environments`).expect(200)).body).toEqual([]);
  });
});
