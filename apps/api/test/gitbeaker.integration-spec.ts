import { Gitlab } from '@gitbeaker/rest';
import { startListeningTestApp } from './support/listening-app';
import { patchTrace, updateJob } from './support/runner-protocol';
import { takeJob } from './support/runner-fixtures';
import { TestApp, uniqueName } from './support/test-app';

const CI = `build:
  script: make
deploy:
  script: ./deploy.sh
  when: manual
`;

/** The status of a request gitbeaker refused (it throws GitbeakerRequestError with the response as its cause). */
async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 0;
  } catch (error) {
    const cause = (error as { cause?: { response?: { status?: number } } }).cause;
    if (cause?.response?.status === undefined) throw error;
    return cause.response.status;
  }
}

/**
 * Issue 18, "Done when": `@gitbeaker/rest` 43.8, unmodified (its CommonJS build, on Node's fetch), drives the
 * day-one endpoints a TypeScript client calls: projects, groups, inherited members, pipelines, jobs (play, log),
 * runner administration, personal access tokens and the instance's metadata.
 */
describe('@gitbeaker/rest compatibility (issue 18)', () => {
  let api: TestApp & { readonly baseUrl: string };
  let root: InstanceType<typeof Gitlab>;

  beforeAll(async () => {
    api = await startListeningTestApp();
    root = new Gitlab({ host: api.baseUrl, token: api.rootToken });
  });

  afterAll(() => api.close());

  const suffix = uniqueName('gb').toLowerCase();
  let groupId: number;
  let subgroupId: number;
  let projectId: number;
  let maintainer: { id: number; token: string; client: InstanceType<typeof Gitlab> };

  it('creates and reads groups, projects and users, and lists members inherited from the group tree', async () => {
    const group = await root.Groups.create(`acme-${suffix}`, `acme-${suffix}`);
    const subgroup = await root.Groups.create('platform', 'platform', { parentId: group.id });
    const project = await root.Projects.create({ name: 'app', path: 'app', namespaceId: subgroup.id });
    [groupId, subgroupId, projectId] = [group.id, subgroup.id, project.id];
    expect(await root.Groups.show(`acme-${suffix}/platform`)).toMatchObject({ id: subgroupId, full_path: `acme-${suffix}/platform` });
    expect(await root.Projects.show(`acme-${suffix}/platform/app`)).toMatchObject({
      id: projectId,
      path_with_namespace: `acme-${suffix}/platform/app`,
    });
    expect((await root.Groups.allSubgroups(groupId)).map((g) => g.id)).toEqual([subgroupId]);
    const others = [
      await root.Projects.create({ name: 'lib', namespaceId: subgroupId }),
      await root.Projects.create({ name: 'docs', namespaceId: subgroupId }),
    ];
    const all = (await root.Groups.allProjects(subgroupId)).map((p) => p.id);
    expect(all.sort()).toEqual([projectId, ...others.map((p) => p.id)].sort());
    // gitbeaker walks pages by the X-Next-Page header and reports them from the X-* headers.
    const paged = await root.Groups.allProjects(subgroupId, { perPage: 1, maxPages: 2, showExpanded: true });
    expect(paged.data).toHaveLength(2);
    expect(paged.paginationInfo).toEqual({ total: 3, totalPages: 3, perPage: 1, current: 2, previous: 1, next: 3 });

    const user = await root.Users.create({ username: `maint-${suffix}`, name: 'Maintainer', email: `maint-${suffix}@example.com` });
    const pat = await root.Users.createPersonalAccessToken(user.id, 'gitbeaker', ['api']);
    maintainer = { id: user.id, token: pat.token as string, client: new Gitlab({ host: api.baseUrl, token: pat.token as string }) };
    await root.GroupMembers.add(groupId, 40, { userId: user.id });

    // Direct members of the project: none but its creator; with inheritance the maintainer of the top group too.
    const direct = await root.ProjectMembers.all(projectId);
    expect(direct.map((m) => m.id)).not.toContain(user.id);
    const inherited = await root.ProjectMembers.all(projectId, { includeInherited: true });
    expect(inherited).toContainEqual(expect.objectContaining({ id: user.id, access_level: 40 }));
    expect(await root.ProjectMembers.show(projectId, user.id, { includeInherited: true })).toMatchObject({ id: user.id, access_level: 40 });
    expect(await root.GroupMembers.all(subgroupId, { includeInherited: true })).toContainEqual(expect.objectContaining({ id: user.id }));
    expect(await statusOf(root.ProjectMembers.show(projectId, user.id))).toBe(404);
  });

  let runner: { id: number; token: string };

  it('runs a pipeline: creates it, lists and shows it and its jobs, plays the manual job and reads a job log', async () => {
    await root.RepositoryFiles.create(projectId, '.gitlab-ci.yml', 'main', CI, 'CI');
    const created = await root.Users.createCIRunner('project_type', { projectId });
    runner = { id: created.id, token: created.token };
    // Committing .gitlab-ci.yml to main ran a push pipeline; this is a second one, through the API.
    const pipeline = await maintainer.client.Pipelines.create(projectId, 'main');
    expect(pipeline).toMatchObject({ ref: 'main', status: 'pending' });
    expect((await root.Pipelines.all(projectId)).map((p) => p.id)).toContain(pipeline.id);
    expect(await root.Pipelines.show(projectId, pipeline.id)).toMatchObject({ id: pipeline.id, sha: pipeline.sha });

    const jobs = await root.Jobs.all(projectId, { pipelineId: pipeline.id });
    const byName = Object.fromEntries(jobs.map((job) => [job.name, job]));
    expect(byName).toMatchObject({ build: { status: 'pending' }, deploy: { status: 'manual' } });
    expect(await root.Jobs.show(projectId, byName.build.id)).toMatchObject({ id: byName.build.id, name: 'build' });
    expect(await maintainer.client.Jobs.play(projectId, byName.deploy.id)).toMatchObject({ id: byName.deploy.id, status: 'pending' });

    // The runner takes the push pipeline's build first, then this one's; the log it sends is what showLog reads.
    let taken = await takeJob(api, runner.token);
    while (taken.id !== byName.build.id) {
      await updateJob(api, { id: taken.id, token: taken.token }, { state: 'success', log: '' }).expect(200);
      taken = await takeJob(api, runner.token);
    }
    const job = { id: taken.id, token: taken.token };
    await patchTrace(api, job, 0, '$ make\nbuilt\n').expect(202);
    await updateJob(api, job, { state: 'success', log: '$ make\nbuilt\n' }).expect(200);
    expect(await root.Jobs.showLog(projectId, job.id)).toBe('$ make\nbuilt\n');
  });

  it('administers runners: lists them by scope, edits tag_list, resets the token and deletes', async () => {
    expect((await root.Runners.all({ projectId })).map((r) => r.id)).toContain(runner.id);
    expect((await root.Runners.all()).map((r) => r.id)).toContain(runner.id);
    expect((await root.Runners.all({ owned: true })).map((r) => r.id)).toContain(runner.id);
    expect(await statusOf(maintainer.client.Runners.all())).toBe(403);

    const edited = await root.Runners.edit(runner.id, { tagList: ['linux', 'arm'], runUntagged: false, locked: true });
    expect(edited).toMatchObject({ tag_list: ['linux', 'arm'], run_untagged: false, locked: true });
    expect(await root.Runners.show(runner.id)).toMatchObject({ tag_list: ['linux', 'arm'] });
    const tagged = (tagList: string[]) => root.Runners.all({ projectId, tagList }).then((runners) => runners.map((r) => r.id));
    expect(await tagged(['linux'])).toEqual([runner.id]);
    expect(await tagged(['linux', 'windows'])).toEqual([]);
    expect((await root.Runners.all({ type: 'group_type' })).map((r) => r.id)).not.toContain(runner.id);

    // gitbeaker 43.8 has no method for POST /runners/:id/reset_authentication_token: its own requester calls it.
    const reset = await root.Runners.requester.post(`runners/${runner.id}/reset_authentication_token`, {});
    const newToken = (reset.body as { token: string }).token;
    expect(newToken).toMatch(/^glrt-/);
    expect(newToken).not.toBe(runner.token);
    const verify = (token: string) =>
      fetch(`${api.baseUrl}/api/v4/runners/verify`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ token }),
      });
    expect((await verify(runner.token)).status).toBe(403);
    expect((await verify(newToken)).status).toBe(200);

    await root.Runners.remove({ runnerId: runner.id });
    expect(await statusOf(root.Runners.show(runner.id))).toBe(404);

    // A runner unregisters itself with its own token (DELETE /runners), as gitbeaker sends it.
    const other = await root.Users.createCIRunner('project_type', { projectId });
    await new Gitlab({ host: api.baseUrl, token: '' }).Runners.remove({ token: other.token });
    expect(await statusOf(root.Runners.show(other.id))).toBe(404);
  });

  it('lists, shows, rotates and revokes personal access tokens', async () => {
    const own = await maintainer.client.PersonalAccessTokens.all();
    expect(own).toEqual([expect.objectContaining({ name: 'gitbeaker', user_id: maintainer.id, active: true })]);
    const tokenId = own[0].id;
    expect(await maintainer.client.PersonalAccessTokens.show()).toMatchObject({ id: tokenId, name: 'gitbeaker' });
    expect(await root.PersonalAccessTokens.show({ tokenId })).toMatchObject({ id: tokenId, user_id: maintainer.id });
    expect((await root.PersonalAccessTokens.all({ userId: maintainer.id })).map((t) => t.id)).toEqual([tokenId]);

    const rotated = await maintainer.client.PersonalAccessTokens.rotate('self');
    expect(rotated).toMatchObject({ name: 'gitbeaker', active: true, revoked: false });
    expect(await statusOf(maintainer.client.Users.showCurrentUser())).toBe(401);
    const client = new Gitlab({ host: api.baseUrl, token: rotated.token as string });
    expect(await client.Users.showCurrentUser()).toMatchObject({ id: maintainer.id });

    const second = await root.Users.createPersonalAccessToken(maintainer.id, 'second', ['read_api']);
    await client.PersonalAccessTokens.remove({ tokenId: second.id });
    expect(await root.PersonalAccessTokens.show({ tokenId: second.id })).toMatchObject({ revoked: true, active: false });
    await client.PersonalAccessTokens.remove();
    expect(await statusOf(client.Users.showCurrentUser())).toBe(401);
  });

  it("reads the instance's metadata and version", async () => {
    expect(await root.Metadata.show()).toMatchObject({ version: expect.any(String), revision: expect.any(String), enterprise: false });
    // gitbeaker 43.8 has no Version resource; GET /version through its requester.
    const version = await root.Metadata.requester.get('version', {});
    expect(version.body).toMatchObject({ version: expect.any(String), revision: expect.any(String) });
  });
});
