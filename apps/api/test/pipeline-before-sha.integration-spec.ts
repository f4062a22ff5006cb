import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createCiFixture } from './support/ci-fixtures';
import { startListeningTestApp } from './support/listening-app';
import { branchHead, commitFile } from './support/repository-fixtures';
import { client } from './support/resources';
import { type JobPayload, runPipeline, takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, TestUser } from './support/test-app';

const run = promisify(execFile);
/** GitLab's `Gitlab::Git::SHA1_BLANK_SHA`: what `Ci::Pipeline#before_sha` is without a push's previous head. */
const BLANK_SHA = '0'.repeat(40);
const CI_YAML = 'build:\n  script: [make]\n';

/**
 * Issue 17, item 5: a pipeline keeps the `before` of the push that created it (GitLab's `Chain::Command#before_sha`:
 * the push's `oldrev`, else the blank sha), shown by the API, in the runner's `git_info` and in `CI_COMMIT_BEFORE_SHA`.
 */
describe('pipeline before_sha', () => {
  let api: TestApp & { baseUrl: string };
  let work: string;
  let sequence = 0;

  beforeAll(async () => {
    api = await startListeningTestApp();
    work = mkdtempSync(join(tmpdir(), 'lanyard-before-sha-'));
  });

  afterAll(async () => {
    await api.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** A clone of the project as `user`, with a commit helper and a push that must succeed. */
  async function cloneAs(user: TestUser, projectId: number) {
    const project = await client(api, user).get(`/projects/${projectId}`);
    const url = `${api.baseUrl}/${project.body.path_with_namespace}.git`.replace('://', `://${user.username}:${user.token}@`);
    sequence += 1;
    const dir = join(work, `clone-${sequence}`);
    const env = { PATH: process.env.PATH, HOME: work, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };
    await run('git', ['clone', '-q', url, dir], { env });
    const git = async (...args: string[]) =>
      (await run('git', ['-c', 'user.name=Pusher', '-c', 'user.email=pusher@example.com', ...args], { cwd: dir, env })).stdout.trim();
    const commit = async (path: string, content: string) => {
      writeFileSync(join(dir, path), content);
      await git('add', path);
      await git('commit', '-q', '-m', `Change ${path}`);
      return git('rev-parse', 'HEAD');
    };
    return { git, commit, push: (...refspecs: string[]) => git('push', '-q', 'origin', ...refspecs) };
  }

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
    await clone.push('main');

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
    await clone.push('HEAD:refs/heads/feature');

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
