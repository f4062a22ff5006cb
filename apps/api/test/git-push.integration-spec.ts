import { request as httpRequest } from 'node:http';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeJwt } from 'jose';
import { createCiFixture } from './support/ci-fixtures';
import { gitClients, pushableProject, receivePackCommand } from './support/git-client';
import { startListeningTestApp } from './support/listening-app';
import { branchHead, commitFile, createRepositoryFixture } from './support/repository-fixtures';
import { client } from './support/resources';
import { takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, TestUser } from './support/test-app';
import { APP_CONFIG } from '../src/config/config.module';
import type { AppConfig } from '../src/config/app-config';
import { GitReceiver } from '../src/repository/git/git-receiver';
import { preReceiveHooksPath } from '../src/repository/git/pre-receive-hook';

/** Issue 17: `git push` over smart HTTP runs the project's rules before any ref moves, and starts push pipelines. */
describe('git push', () => {
  let api: TestApp & { baseUrl: string };
  let clones: ReturnType<typeof gitClients>;
  const cloneAs = (user: TestUser, projectId: number) => clones.cloneAs(user, projectId);

  beforeAll(async () => {
    // Small enough for a test to exceed, large enough for every other push here.
    api = await startListeningTestApp({ LANYARD_MAX_PUSH_SIZE: '256k' });
    clones = gitClients(api);
  });

  afterAll(async () => {
    await api.close();
    clones.cleanUp();
  });

  const pipelines = async (user: TestUser, projectId: number) =>
    (await client(api, user).get(`/projects/${projectId}/pipelines`)).body as {
      id: number;
      sha: string;
      ref: string;
      status: string;
    }[];

  it('a push starts a pipeline whose ID token `sha` is the pushed `git rev-parse HEAD`', async () => {
    const fixture = await createCiFixture(api, 'build:\n  script: [make]\n');
    const clone = await cloneAs(fixture.maintainer, fixture.projectId);
    const ciYaml = 'build:\n  id_tokens:\n    ID_TOKEN:\n      aud: https://vault.example.com\n  script: [make test]\n';
    const head = await clone.commit('.gitlab-ci.yml', ciYaml, 'Run the tests');
    expect(await clone.push('main')).toBe('pushed');

    expect(await branchHead(api, fixture.maintainer, fixture.projectId, 'main')).toBe(head);
    const [pipeline] = await pipelines(fixture.maintainer, fixture.projectId);
    expect(pipeline).toMatchObject({ sha: head, ref: 'main' });
    const job = await takeJob(api, fixture.runnerToken);
    expect(decodeJwt(variableMap(job).get('ID_TOKEN')!.value).sha).toBe(head);
    expect(variableMap(job).get('CI_COMMIT_SHA')?.value).toBe(head);
  });

  it('refuses a developer push to protected main before the ref moves; a new branch is theirs', async () => {
    const fixture = await createRepositoryFixture(api);
    await commitFile(api, fixture.maintainer, fixture.projectId, 'a.txt', 'a');
    const head = await branchHead(api, fixture.maintainer, fixture.projectId, 'main');
    const clone = await cloneAs(fixture.developer, fixture.projectId);
    await clone.commit('a.txt', 'developer', 'Change a');

    const refused = await clone.push('main');
    expect(refused).toMatch(/You are not allowed to push code to protected branches on this project\./);
    expect(refused).toMatch(/pre-receive hook declined/);
    expect(await branchHead(api, fixture.maintainer, fixture.projectId, 'main')).toBe(head);
    const verify = await cloneAs(fixture.maintainer, fixture.projectId);
    expect(await verify.git('rev-parse', 'origin/main')).toBe(head);

    expect(await clone.push('HEAD:refs/heads/feature')).toBe('pushed');
    expect(await branchHead(api, fixture.maintainer, fixture.projectId, 'feature')).toBe(await clone.git('rev-parse', 'HEAD'));
  });

  it('fails closed when the hooks directory vanished (a tmp cleaner): protected main does not move, nothing is indexed', async () => {
    const fixture = await createRepositoryFixture(api);
    await commitFile(api, fixture.maintainer, fixture.projectId, 'a.txt', 'a');
    const head = await branchHead(api, fixture.maintainer, fixture.projectId, 'main');
    const clone = await cloneAs(fixture.developer, fixture.projectId);
    await clone.commit('b.txt', 'b', 'A first push, checked by the hook');
    expect(await clone.push('HEAD:refs/heads/feature')).toBe('pushed');

    const { repositoriesDir } = api.app.get<AppConfig>(APP_CONFIG);
    const hooks = await preReceiveHooksPath(repositoriesDir);
    // Beside the repositories, not in the OS temporary directory (here the tests' repositories are in it).
    expect(hooks.startsWith(join(resolve(repositoriesDir), '.hooks'))).toBe(true);
    rmSync(hooks, { recursive: true, force: true });
    await clone.commit('a.txt', 'developer', 'Change protected main');
    expect(await clone.push('main')).toMatch(/You are not allowed to push code to protected branches on this project\./);
    expect(await clone.push('--force', 'HEAD:refs/heads/feature')).toBe('pushed');
    expect(await branchHead(api, fixture.maintainer, fixture.projectId, 'main')).toBe(head);
    // Git also skips a hook that is not executable.
    chmodSync(join(hooks, 'pre-receive'), 0o644);
    expect(await clone.push('main')).toMatch(/You are not allowed to push code to protected branches on this project\./);
    const remote = await clone.git('ls-remote', 'origin', 'refs/heads/main');
    expect(remote.split('\t')[0]).toBe(head);
  });

  it('refuses every push while the hook cannot be installed, and pushes again once it can', async () => {
    const fixture = await createRepositoryFixture(api, 'private', { developersPushMain: true });
    await commitFile(api, fixture.maintainer, fixture.projectId, 'a.txt', 'a');
    const head = await branchHead(api, fixture.maintainer, fixture.projectId, 'main');
    const clone = await cloneAs(fixture.developer, fixture.projectId);
    const next = await clone.commit('a.txt', 'b', 'Allowed change');
    const hooks = await preReceiveHooksPath(api.app.get<AppConfig>(APP_CONFIG).repositoriesDir);
    rmSync(hooks, { recursive: true, force: true });
    writeFileSync(hooks, 'not a directory');
    try {
      expect(await clone.push('main')).not.toBe('pushed');
      expect(await branchHead(api, fixture.maintainer, fixture.projectId, 'main')).toBe(head);
    } finally {
      rmSync(hooks, { force: true });
    }
    expect(await clone.push('main')).toBe('pushed');
    expect(await branchHead(api, fixture.maintainer, fixture.projectId, 'main')).toBe(next);
  });

  it('a client gone mid-push stops git and frees the project: the next push goes through', async () => {
    const { fixture, head, path } = await pushableProject(api);
    const request = httpRequest(new URL(`${api.baseUrl}/${path}.git/git-receive-pack`), {
      method: 'POST',
      auth: `${fixture.developer.username}:${fixture.developer.token}`,
      headers: { 'Content-Type': 'application/x-git-receive-pack-request' },
    });
    request.on('error', () => undefined);
    // The commands and the start of a pack, then silence: git waits for the rest, holding the project's lock.
    request.write(Buffer.concat([receivePackCommand(head, '1'.repeat(40), 'refs/heads/main'), Buffer.from('PACK')]));
    await new Promise((resolveWait) => setTimeout(resolveWait, 300));
    request.destroy();

    const clone = await cloneAs(fixture.developer, fixture.projectId);
    const next = await clone.commit('b.txt', 'b', 'After the abort');
    expect(await clone.push('main')).toBe('pushed');
    expect(await branchHead(api, fixture.maintainer, fixture.projectId, 'main')).toBe(next);
  }, 15_000);

  it('rolls back what git moved when the hook never answered (it vanished after the check), and indexes nothing', async () => {
    const fixture = await createRepositoryFixture(api);
    await commitFile(api, fixture.maintainer, fixture.projectId, 'a.txt', 'a');
    const head = await branchHead(api, fixture.maintainer, fixture.projectId, 'main');
    const clone = await cloneAs(fixture.developer, fixture.projectId);
    await clone.commit('a.txt', 'developer', 'Change protected main');
    const before = await clone.git('ls-remote', 'origin');
    // The file gone between the check and git's start: git runs no hook and moves the refs.
    const empty = mkdtempSync(join(clones.work, 'no-hooks-'));
    const spy = jest
      .spyOn(api.app.get(GitReceiver) as unknown as { hooksDirectory(): Promise<string> }, 'hooksDirectory')
      .mockResolvedValue(empty);
    try {
      await clone.push('main', 'HEAD:refs/heads/unchecked', 'HEAD:refs/tags/unchecked');
    } finally {
      spy.mockRestore();
    }
    expect(await clone.git('ls-remote', 'origin')).toBe(before);
    expect(await branchHead(api, fixture.maintainer, fixture.projectId, 'main')).toBe(head);
    await client(api, fixture.maintainer).get(`/projects/${fixture.projectId}/repository/branches/unchecked`).expect(404);
    expect(await pipelines(fixture.maintainer, fixture.projectId)).toEqual([]);
  });

  it('refuses a force push to a protected branch without allow_force_push, even by a maintainer', async () => {
    const fixture = await createRepositoryFixture(api);
    await commitFile(api, fixture.maintainer, fixture.projectId, 'a.txt', 'a');
    await commitFile(api, fixture.maintainer, fixture.projectId, 'b.txt', 'b');
    const head = await branchHead(api, fixture.maintainer, fixture.projectId, 'main');
    const clone = await cloneAs(fixture.maintainer, fixture.projectId);
    await clone.git('reset', '-q', '--hard', 'HEAD~1');
    await clone.commit('c.txt', 'c', 'Rewritten history');

    expect(await clone.push('main')).toMatch(/rejected|non-fast-forward/);
    expect(await clone.push('--force', 'main')).toMatch(/You are not allowed to force push code to a protected branch on this project\./);
    expect(await branchHead(api, fixture.maintainer, fixture.projectId, 'main')).toBe(head);
  });

  it('honours [skip ci], -o ci.skip and -o ci.variable', async () => {
    const fixture = await createCiFixture(api, 'build:\n  script: [echo $GREETING]\n');
    const clone = await cloneAs(fixture.maintainer, fixture.projectId);
    const skipped = await clone.commit('a.txt', '1', 'Quiet change [skip ci]');
    expect(await clone.push('main')).toBe('pushed');
    expect((await pipelines(fixture.maintainer, fixture.projectId))[0]).toMatchObject({ sha: skipped, status: 'skipped' });

    const optioned = await clone.commit('a.txt', '2', 'Another quiet change');
    expect(await clone.push('-o', 'ci.skip', 'main')).toBe('pushed');
    expect((await pipelines(fixture.maintainer, fixture.projectId)).map((pipeline) => pipeline.sha)).not.toContain(optioned);

    const variable = await clone.commit('a.txt', '3', 'With a variable');
    expect(await clone.push('-o', 'ci.variable=GREETING=hello', 'main')).toBe('pushed');
    const [pipeline] = await pipelines(fixture.maintainer, fixture.projectId);
    expect(pipeline.sha).toBe(variable);
    const job = await takeJob(api, fixture.runnerToken);
    expect(job.job_info.pipeline_id).toBe(pipeline.id);
    expect(variableMap(job).get('GREETING')?.value).toBe('hello');
  });

  it('refuses a pack over LANYARD_MAX_PUSH_SIZE and a malformed pack; nothing moves', async () => {
    const fixture = await createRepositoryFixture(api, 'private', { developersPushMain: true });
    await commitFile(api, fixture.maintainer, fixture.projectId, 'a.txt', 'a');
    const head = await branchHead(api, fixture.maintainer, fixture.projectId, 'main');
    const clone = await cloneAs(fixture.developer, fixture.projectId);
    await clone.commit('big.bin', randomBytes(600 * 1024).toString('base64'), 'Too big');
    expect(await clone.push('main')).toMatch(/pack exceeds maximum allowed size|unpack|rejected|remote end hung up/);
    expect(await branchHead(api, fixture.maintainer, fixture.projectId, 'main')).toBe(head);

    const project = await client(api, fixture.developer).get(`/projects/${fixture.projectId}`);
    const pkt = receivePackCommand(head, '1'.repeat(40), 'refs/heads/main');
    const response = await api.http
      .post(`/${project.body.path_with_namespace}.git/git-receive-pack`)
      .auth(fixture.developer.username, fixture.developer.token)
      .set('Content-Type', 'application/x-git-receive-pack-request')
      .send(Buffer.concat([pkt, Buffer.from('PACK not really a pack')]))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(response.status).toBe(200);
    expect(response.body.toString()).toMatch(/unpack (?!ok)/);
    expect(await branchHead(api, fixture.maintainer, fixture.projectId, 'main')).toBe(head);
  });

  it('of two concurrent pushes to one branch, one wins and the other is rejected as git rejects it', async () => {
    const fixture = await createRepositoryFixture(api, 'private', { developersPushMain: true });
    await commitFile(api, fixture.maintainer, fixture.projectId, 'a.txt', 'a');
    const [one, two] = [await cloneAs(fixture.developer, fixture.projectId), await cloneAs(fixture.developer, fixture.projectId)];
    const shas = [await one.commit('one.txt', '1', 'One'), await two.commit('two.txt', '2', 'Two')];
    const results = await Promise.all([one.push('main'), two.push('main')]);
    expect(results.filter((result) => result === 'pushed')).toHaveLength(1);
    expect(results.find((result) => result !== 'pushed')).toMatch(/rejected|failed to update|fetch first|non-fast-forward/);
    const winner = shas[results.indexOf('pushed')];
    expect(await branchHead(api, fixture.maintainer, fixture.projectId, 'main')).toBe(winner);
  });

  it("refuses refs outside branches and tags, even a maintainer's: a pipeline's or a merge request's ref cannot be moved", async () => {
    const fixture = await createCiFixture(api, 'build:\n  script: [make]\n');
    const pipeline = (await client(api, fixture.maintainer).post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' }).expect(201))
      .body;
    const clone = await cloneAs(fixture.maintainer, fixture.projectId);
    const before = await clone.git('ls-remote', 'origin');
    await clone.commit('planted.txt', 'not what the pipeline ran', 'Planted');
    for (const ref of [`refs/pipelines/${pipeline.id}`, 'refs/merge-requests/1/head', 'refs/keep-around/planted', 'refs/notes/commits']) {
      expect({ ref, answer: await clone.push(`HEAD:${ref}`) }).toEqual({
        ref,
        answer: expect.stringMatching(/You can only push branches and tags\./),
      });
    }
    expect(await clone.git('ls-remote', 'origin')).toBe(before);
  });
});
