import { createCiFixture } from './support/ci-fixtures';
import { gitClients } from './support/git-client';
import { startListeningTestApp } from './support/listening-app';
import { branchHead, commitFile } from './support/repository-fixtures';
import { client } from './support/resources';
import { type JobPayload, runPipeline, takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, TestUser } from './support/test-app';

/** GitLab's `Gitlab::Git::SHA1_BLANK_SHA`: what `Ci::Pipeline#before_sha` is without a push's previous head. */
const BLANK_SHA = '0'.repeat(40);
const CI_YAML = 'build:\n  script: [make]\n';

/**
 * Issue 17, item 5: a pipeline keeps the `before` of the push that created it (GitLab's `Chain::Command#before_sha`:
 * the push's `oldrev`, else the blank sha), shown by the API, in the runner's `git_info` and in `CI_COMMIT_BEFORE_SHA`.
 */
describe('pipeline before_sha', () => {
  let api: TestApp & { baseUrl: string };
  let clones: ReturnType<typeof gitClients>;
  const cloneAs = (user: TestUser, projectId: number) => clones.cloneAs(user, projectId);

  beforeAll(async () => {
    api = await startListeningTestApp();
    clones = gitClients(api);
  });

  afterAll(async () => {
    await api.close();
    clones.cleanUp();
  });

  async function beforeShaOf(user: TestUser, projectId: number, job: JobPayload) {
    const pipeline = await client(api, user).get(`/projects/${projectId}/pipelines/${job.job_info.pipeline_id}`);
    expect(pipeline.status).toBe(200);
    const gitInfo = job.git_info as { sha: string; before_sha: string };
    return { api: pipeline.body.before_sha, gitInfo: gitInfo.before_sha, variable: variableMap(job).get('CI_COMMIT_BEFORE_SHA')?.value };
  }

  it('a push of two commits: before_sha is the branch tip before the push, everywhere', async () => {
    const fixture = await createCiFixture(api, CI_YAML);
    const clone = await cloneAs(fixture.maintainer, fixture.projectId);
    const previousTip = await clone.git('rev-parse', 'HEAD');
    await clone.commit('a.txt', 'a');
    const head = await clone.commit('b.txt', 'b');
    expect(await clone.push('main')).toBe('pushed');

    const job = await takeJob(api, fixture.runnerToken);
    expect((job.git_info as { sha: string }).sha).toBe(head);
    expect(await beforeShaOf(fixture.maintainer, fixture.projectId, job)).toEqual({
      api: previousTip,
      gitInfo: previousTip,
      variable: previousTip,
    });
  });

  it('a new branch pushed keeps the blank sha (its `oldrev` is blank in GitLab)', async () => {
    const fixture = await createCiFixture(api, CI_YAML);
    const clone = await cloneAs(fixture.maintainer, fixture.projectId);
    await clone.commit('feature.txt', 'feature');
    expect(await clone.push('HEAD:refs/heads/feature')).toBe('pushed');

    const job = await takeJob(api, fixture.runnerToken);
    expect(await beforeShaOf(fixture.maintainer, fixture.projectId, job)).toEqual({
      api: BLANK_SHA,
      gitInfo: BLANK_SHA,
      variable: BLANK_SHA,
    });
  });

  it('a commit through the files API is a push too: before_sha is the parent it was committed on', async () => {
    const fixture = await createCiFixture(api, CI_YAML);
    const parent = await branchHead(api, fixture.maintainer, fixture.projectId, 'main');
    await commitFile(api, fixture.maintainer, fixture.projectId, 'notes.txt', 'notes');

    const job = await takeJob(api, fixture.runnerToken);
    expect(await beforeShaOf(fixture.maintainer, fixture.projectId, job)).toEqual({ api: parent, gitInfo: parent, variable: parent });
  });

  it('a pipeline created through the API has no push: the blank sha', async () => {
    const fixture = await createCiFixture(api, CI_YAML);
    await runPipeline(api, fixture.maintainer, fixture.projectId);

    const job = await takeJob(api, fixture.runnerToken);
    expect(await beforeShaOf(fixture.maintainer, fixture.projectId, job)).toEqual({
      api: BLANK_SHA,
      gitInfo: BLANK_SHA,
      variable: BLANK_SHA,
    });
  });
});
