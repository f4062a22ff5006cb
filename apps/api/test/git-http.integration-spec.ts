import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { commitCiConfig, createCiFixture } from './support/ci-fixtures';
import { startListeningTestApp } from './support/listening-app';
import { branchHead, commitFile, createRepositoryFixture } from './support/repository-fixtures';
import { client, resources } from './support/resources';
import { finishJobAs } from './support/git-client';
import { createRunner, runPipeline, takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, createUser } from './support/test-app';

const run = promisify(execFile);

/** Issue 17: the real `git` client against the smart HTTP endpoints, as a runner and as a developer. */
describe('git smart HTTP', () => {
  let api: TestApp & { baseUrl: string };
  let work: string;

  beforeAll(async () => {
    api = await startListeningTestApp();
    work = mkdtempSync(join(tmpdir(), 'lanyard-git-http-'));
  });

  afterAll(async () => {
    await api.close();
    rmSync(work, { recursive: true, force: true });
  });

  let sequence = 0;
  /** A fresh work tree, and `git` run in it with no user or system configuration and no credential prompt. */
  function checkout() {
    sequence += 1;
    const dir = join(work, `checkout-${sequence}`);
    const git = async (...args: string[]) =>
      (
        await run('git', args, {
          cwd: dir,
          env: { PATH: process.env.PATH, HOME: work, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'false' },
        })
      ).stdout.trim();
    return { dir, git };
  }
  const withAuth = (url: string, user: string, password: string) => url.replace('://', `://${user}:${encodeURIComponent(password)}@`);

  it('a runner fetches the job commit with its token, GIT_DEPTH and refspecs; the token `sha` is `git rev-parse HEAD`', async () => {
    const ciYaml = 'build:\n  id_tokens:\n    ID_TOKEN:\n      aud: https://vault.example.com\n  script: [make]\n';
    const fixture = await createCiFixture(api, ciYaml);
    await runPipeline(api, fixture.maintainer, fixture.projectId);
    const job = await takeJob(api, fixture.runnerToken);
    const gitInfo = job.git_info as { repo_url: string; sha: string; refspecs: string[]; depth: number };
    expect(gitInfo.repo_url).toMatch(new RegExp(`^${api.baseUrl.replace('://', '://gitlab-ci-token:[^@]+@')}/.+\\.git$`));

    // What gitlab-runner's get_sources does for GIT_STRATEGY: fetch.
    const { dir, git } = checkout();
    await run('git', ['init', '-q', dir]);
    await git('remote', 'add', 'origin', gitInfo.repo_url);
    await git('-c', 'protocol.version=2', 'fetch', '-q', 'origin', ...gitInfo.refspecs, `--depth=${gitInfo.depth}`, '--prune');
    await git('checkout', '-f', '-q', gitInfo.sha);

    const claims = decodeJwt(variableMap(job).get('ID_TOKEN')!.value);
    expect(claims.sha).toBe(await git('rev-parse', 'HEAD'));
    expect(readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8')).toBe(ciYaml);
    expect(await git('rev-parse', 'refs/remotes/origin/main')).toBe(gitInfo.sha);

    // The token dies with the job: the next fetch is refused.
    await finishJobAs(api, job.id, job.token);
    await expect(git('fetch', '-q', 'origin', ...gitInfo.refspecs)).rejects.toThrow(/Authentication failed|403|401/);
  });

  it('clones with a PAT; anonymous only for public; missing and invisible look the same', async () => {
    const fixture = await createRepositoryFixture(api);
    await commitFile(api, fixture.maintainer, fixture.projectId, 'README.md', '# hello\n');
    const project = await api.http.get(`/api/v4/projects/${fixture.projectId}`).set('PRIVATE-TOKEN', fixture.maintainer.token).expect(200);
    const url = `${api.baseUrl}/${project.body.path_with_namespace}.git`;

    const reporter = checkout();
    await run('git', ['clone', '-q', withAuth(url, fixture.reporter.username, fixture.reporter.token), reporter.dir]);
    expect(readFileSync(join(reporter.dir, 'README.md'), 'utf8')).toBe('# hello\n');
    expect(await reporter.git('rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');

    const refusal = async (target: string) =>
      run('git', ['clone', '-q', target, checkout().dir], { env: { PATH: process.env.PATH, GIT_TERMINAL_PROMPT: '0' } }).then(
        () => 'cloned',
        (error: { stderr: string }) => error.stderr.replace(target, '<url>').replace(/'[^']*checkout-\d+'/, '<dir>'),
      );
    const missingUrl = `${api.baseUrl}/${project.body.namespace.full_path}/no-such-project.git`;
    // Anonymous: git is asked for credentials either way.
    expect(await refusal(url)).toBe(await refusal(missingUrl));
    expect(await refusal(url)).toMatch(/could not read Username|Authentication failed/);
    // An outsider's token: not found either way.
    const outsider = (target: string) => withAuth(target, fixture.outsider.username, fixture.outsider.token);
    const invisible = await refusal(outsider(url));
    expect(invisible).toMatch(/not found|404/);
    expect(invisible.replace(/\/[^ ]*\.git/g, '')).toBe((await refusal(outsider(missingUrl))).replace(/\/[^ ]*\.git/g, ''));
    // A guest sees the project but may not download its code.
    expect(await refusal(withAuth(url, fixture.guest.username, fixture.guest.token))).toMatch(/not allowed to download code/);
  });

  it('clones a public project anonymously', async () => {
    const fixture = await createRepositoryFixture(api, 'public');
    await commitFile(api, fixture.maintainer, fixture.projectId, 'a.txt', 'public\n');
    const project = await api.http.get(`/api/v4/projects/${fixture.projectId}`).set('PRIVATE-TOKEN', fixture.maintainer.token).expect(200);
    const { dir } = checkout();
    await run('git', ['clone', '-q', `${api.baseUrl}/${project.body.path_with_namespace}.git`, dir]);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('public\n');
  });

  it('refuses a job token of another project', async () => {
    const fixture = await createCiFixture(api, 'build:\n  script: [make]\n');
    const other = await createRepositoryFixture(api, 'internal');
    await commitFile(api, other.maintainer, other.projectId, 'a.txt', 'a');
    const project = await api.http.get(`/api/v4/projects/${other.projectId}`).set('PRIVATE-TOKEN', other.maintainer.token).expect(200);
    await runPipeline(api, fixture.maintainer, fixture.projectId);
    const job = await takeJob(api, fixture.runnerToken);
    const response = await api.http
      .get(`/${project.body.path_with_namespace}.git/info/refs?service=git-upload-pack`)
      .auth('gitlab-ci-token', job.token)
      .expect(404);
    expect(response.text).toMatch(/could not be found/);
    await api.http
      .get(`/${project.body.path_with_namespace}.git/info/refs?service=git-receive-pack`)
      .auth('gitlab-ci-token', job.token)
      .expect(404);
  });

  it("a fork's merge-request pipeline in the parent: the runner fetches the fork's commit through the parent", async () => {
    const owner = await createUser(api, 'owner');
    const contributor = await createUser(api, 'contrib');
    const parent = await resources(api).project(owner);
    await commitCiConfig(api, owner, parent.id, 'build:\n  script: [make]\n', 'main');
    await resources(api).addMember(owner, `projects/${parent.id}`, contributor, 20);
    const runner = await createRunner(api, owner, { runner_type: 'project_type', project_id: parent.id });
    const fork = (await client(api, contributor).post(`/projects/${parent.id}/fork`, {})).body as { id: number };
    const forkCi = 'build:\n  script: [make fork]\n  rules:\n    - if: $CI_PIPELINE_SOURCE == "merge_request_event"\n';
    await commitCiConfig(api, contributor, fork.id, forkCi, 'main');
    const forkHead = await branchHead(api, contributor, fork.id, 'main');
    const mr = await client(api, contributor).post(`/projects/${fork.id}/merge_requests`, {
      source_branch: 'main',
      target_branch: 'main',
      target_project_id: parent.id,
      title: 'From the fork',
    });
    expect(mr.status).toBe(201);
    await client(api, owner).post(`/projects/${parent.id}/merge_requests/${mr.body.iid}/pipelines`).expect(200);
    const job = await takeJob(api, runner.token);
    const gitInfo = job.git_info as { repo_url: string; sha: string; refspecs: string[]; depth: number; ref: string };
    expect(gitInfo).toMatchObject({ sha: forkHead, ref: 'main' });
    expect(gitInfo.refspecs).toEqual([expect.stringMatching(/^\+refs\/pipelines\/\d+:refs\/pipelines\/\d+$/)]);

    const { dir, git } = checkout();
    await run('git', ['init', '-q', dir]);
    await git('remote', 'add', 'origin', gitInfo.repo_url);
    await git('fetch', '-q', 'origin', ...gitInfo.refspecs, `--depth=${gitInfo.depth}`);
    await git('checkout', '-f', '-q', gitInfo.sha);
    expect(readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8')).toBe(forkCi);
    expect(await git('ls-remote', 'origin', `refs/merge-requests/${mr.body.iid}/head`)).toBe(
      `${forkHead}\trefs/merge-requests/${mr.body.iid}/head`,
    );
  });
});
