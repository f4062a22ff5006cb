import { CiFixture, commitCiConfig, createCiFixture } from './support/ci-fixtures';
import { client, resources } from './support/resources';
import { TestApp, createUser, startTestApp } from './support/test-app';

const CONFIG = `
deploy:
  script: ./deploy
  id_tokens:
    TOKEN:
      aud: https://cloud.example.com
  rules:
    - if: $CI_COMMIT_REF_PROTECTED == "true" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
release:
  script: ./release
  id_tokens:
    TOKEN:
      aud: https://cloud.example.com
  rules:
    - if: $CI_COMMIT_TAG
`;

/** Issue 16, item 5: the preview plans the pipeline its source would create, and says whether each job exists in it. */
describe('Token preview by pipeline source', () => {
  let api: TestApp;
  let fixture: CiFixture;
  let url: string;

  beforeAll(async () => {
    api = await startTestApp();
    fixture = await createCiFixture(api, CONFIG);
    url = `/projects/${fixture.projectId}/ci/id_token_preview`;
    const as = client(api, fixture.maintainer);
    await as.post(`/projects/${fixture.projectId}/repository/branches`, { branch: 'feature', ref: 'main' }).expect(201);
    await as.post(`/projects/${fixture.projectId}/repository/tags`, { tag_name: 'v1', ref: 'main' }).expect(201);
  });
  afterAll(() => api.close());

  const preview = (body: object) => client(api, fixture.maintainer).post(url, body);

  it('answers a job the pipeline would not create with exists: false and no claims', async () => {
    const absent = await preview({ ref: 'feature', job: 'deploy' }).expect(200);
    expect(absent.body).toEqual({
      job: 'deploy',
      ref: 'feature',
      ref_type: 'branch',
      sha: expect.any(String),
      pipeline_source: 'push',
      exists: false,
    });
    const present = await preview({ ref: 'main', job: 'deploy', pipeline_source: 'web' }).expect(200);
    expect(present.body).toMatchObject({ job: 'deploy', exists: true, pipeline_source: 'web', tokens: [{ variable: 'TOKEN' }] });
    expect(present.body.tokens[0].claims).toMatchObject({ ref: 'main', ref_protected: 'true', pipeline_source: 'web' });
  });

  it('plans a tag pipeline for source tag: the release job exists, with the tag’s claims', async () => {
    const all = await preview({ ref: 'v1', pipeline_source: 'tag' }).expect(200);
    expect(all.body).toMatchObject({ ref: 'v1', ref_type: 'tag', pipeline_source: 'push' });
    expect(all.body.jobs.map((job: { job: string; exists: boolean }) => [job.job, job.exists])).toEqual([
      ['deploy', false],
      ['release', true],
    ]);
    expect(all.body.jobs[0]).toEqual({ job: 'deploy', exists: false });
    expect(all.body.jobs[1].tokens[0].claims).toMatchObject({ ref: 'v1', ref_type: 'tag' });
  });

  it('refuses a tag source for a branch, and merge_request_event without a merge request', async () => {
    expect((await preview({ ref: 'feature', pipeline_source: 'tag' }).expect(400)).body.message).toEqual({ ref: ['not found'] });
    await preview({ ref: 'main', pipeline_source: 'merge_request_event' }).expect(400);
    await preview({ ref: 'main', pipeline_source: 'nope' }).expect(400);
  });

  it('plans a fork’s merge request as its pipeline would run here: the fork’s config and code, never protected', async () => {
    const contributor = await createUser(api, 'contrib');
    await resources(api).addMember(fixture.maintainer, `projects/${fixture.projectId}`, contributor, 20);
    const fork = (await client(api, contributor).post(`/projects/${fixture.projectId}/fork`).expect(201)).body;
    await client(api, contributor).post(`/projects/${fork.id}/repository/branches`, { branch: 'fix', ref: 'main' }).expect(201);
    // The fork's file: its own job for merge requests, and the parent's deploy job kept as it was.
    await commitCiConfig(
      api,
      contributor,
      fork.id,
      `${CONFIG}mr-check:\n  script: ./check\n  id_tokens:\n    TOKEN:\n      aud: https://cloud.example.com\n  rules:\n    - if: $CI_PIPELINE_SOURCE == "merge_request_event"\n`,
      'fix',
    );
    const mr = await client(api, contributor)
      .post(`/projects/${fork.id}/merge_requests`, {
        source_branch: 'fix',
        target_branch: 'main',
        target_project_id: fixture.projectId,
        title: 'Fix',
      })
      .expect(201);
    const all = await preview({ merge_request_iid: mr.body.iid, pipeline_source: 'merge_request_event' }).expect(200);
    expect(all.body).toMatchObject({ ref: 'fix', ref_type: 'branch', pipeline_source: 'merge_request_event' });
    expect(all.body.jobs.map((job: { job: string; exists: boolean }) => [job.job, job.exists])).toEqual([
      ['deploy', false],
      ['release', false],
      ['mr-check', true],
    ]);
    expect(all.body.jobs[2].tokens[0].claims).toMatchObject({
      project_path: fork.path_with_namespace,
      ref: 'fix',
      ref_protected: 'false',
      pipeline_source: 'merge_request_event',
    });
    // A merge request's source is merge_request_event: no other source goes with it.
    await preview({ merge_request_iid: mr.body.iid, pipeline_source: 'push' }).expect(400);
  });

  it('answers no job of a pipeline workflow:rules filter out', async () => {
    const content = `workflow:\n  rules:\n    - if: $CI_COMMIT_TAG\n${CONFIG}`;
    const all = await preview({ ref: 'main', content }).expect(200);
    expect(all.body.jobs).toEqual([
      { job: 'deploy', exists: false },
      { job: 'release', exists: false },
    ]);
  });
});
