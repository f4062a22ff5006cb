import { commitCiConfig } from './support/ci-fixtures';
import { branchHead, commitFile } from './support/repository-fixtures';
import { client, resources } from './support/resources';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';

const GUEST = 10;
const REPORTER = 20;
const DEVELOPER = 30;

describe('Forks and merge requests API', () => {
  let api: TestApp;
  let owner: TestUser;
  let forker: TestUser;

  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  beforeEach(async () => {
    owner = await createUser(api, 'owner');
    forker = await createUser(api, 'forker');
  });

  const MR_AND_BRANCH_CI =
    'job:\n  script: [make]\n  rules:\n    - if: $CI_PIPELINE_SOURCE == "merge_request_event"\n    - if: $CI_COMMIT_BRANCH\n';

  /** A private project in a group, with main (protected on creation), a feature branch, a tag and a protected tag. */
  async function parentProject(visibility = 'private') {
    const make = resources(api);
    const group = await make.group(owner, { visibility });
    const project = await make.project(owner, { namespace_id: group.id, visibility });
    // Rules for merge_request_event: without, GitLab's default `only: [branches, tags]` gives merge-request pipelines no job.
    await commitCiConfig(api, owner, project.id, MR_AND_BRANCH_CI, 'main');
    await commitFile(api, owner, project.id, 'src/app.txt', 'hello');
    await client(api, owner).post(`/projects/${project.id}/repository/branches`, { branch: 'feature', ref: 'main' }).expect(201);
    await client(api, owner).post(`/projects/${project.id}/repository/tags`, { tag_name: 'v1.0', ref: 'main' }).expect(201);
    await client(api, owner).post(`/projects/${project.id}/protected_tags`, { name: 'v*' }).expect(201);
    await client(api, owner).post(`/projects/${project.id}/protected_branches`, { name: 'feature' }).expect(201);
    return { group, project };
  }

  describe('POST /projects/:id/fork', () => {
    it('copies branches, tags and files but not protection rules, and protects the fork’s default branch as GitLab', async () => {
      const { project } = await parentProject();
      await resources(api).addMember(owner, `projects/${project.id}`, forker, REPORTER);
      const fork = await client(api, forker).post(`/projects/${project.id}/fork`);
      expect(fork.status).toBe(201);
      expect(fork.body).toMatchObject({
        path: project.path,
        path_with_namespace: `${forker.username}/${project.path}`,
        forked_from_project_id: project.id,
        forked_from_project: { id: project.id, path_with_namespace: project.path_with_namespace },
        default_branch: 'main',
        visibility: 'private',
      });
      const forkId = fork.body.id;
      const names = async (kind: string) =>
        (await client(api, forker).get(`/projects/${forkId}/repository/${kind}`).expect(200)).body.map((ref: { name: string }) => ref.name);
      expect(await names('branches')).toEqual(['feature', 'main']);
      expect(await names('tags')).toEqual(['v1.0']);
      expect(await branchHead(api, forker, forkId, 'main')).toBe(await branchHead(api, owner, project.id, 'main'));
      const file = await client(api, forker).get(`/projects/${forkId}/repository/files/src%2Fapp.txt?ref=main`).expect(200);
      expect(Buffer.from(file.body.content, 'base64').toString()).toBe('hello');
      // Only the fork's default branch is protected (ProtectDefaultBranchService); the source's rules stayed behind.
      const protectedBranches = (await client(api, forker).get(`/projects/${forkId}/protected_branches`).expect(200)).body;
      expect(protectedBranches.map((rule: { name: string }) => rule.name)).toEqual(['main']);
      expect((await client(api, forker).get(`/projects/${forkId}/protected_tags`).expect(200)).body).toEqual([]);
      // The fork's history is its own: a commit there leaves the parent alone.
      await commitFile(api, forker, forkId, 'fork-only.txt', 'x', 'feature');
      await client(api, owner).get(`/projects/${project.id}/repository/files/fork-only.txt?ref=feature`).expect(404);
    });

    it('lists the forks, and shows forked_from_project only to who may see the parent', async () => {
      const { project } = await parentProject();
      await resources(api).addMember(owner, `projects/${project.id}`, forker, REPORTER);
      const fork = (await client(api, forker).post(`/projects/${project.id}/fork`, { visibility: 'public' }).expect(201)).body;
      const forksSeenBy = async (who: TestUser) =>
        (await client(api, who).get(`/projects/${project.id}/forks`).expect(200)).body.map((p: { id: number }) => p.id);
      expect(await forksSeenBy(forker)).toEqual([fork.id]);
      // A private fork in someone else's namespace is not the parent owner's to see.
      expect(await forksSeenBy(owner)).toEqual([]);
      // A public request cannot make a fork of a private project more visible than its source.
      expect(fork.visibility).toBe('private');
      const stranger = await createUser(api, 'stranger');
      await client(api, forker).post(`/projects/${fork.id}/members`, { user_id: stranger.id, access_level: GUEST }).expect(201);
      const seen = (await client(api, stranger).get(`/projects/${fork.id}`).expect(200)).body;
      expect(seen.forked_from_project_id).toBeNull();
      expect(seen).not.toHaveProperty('forked_from_project');
    });

    it('hides which project a fork came from, in every project answer, from who cannot see that project', async () => {
      const { project } = await parentProject();
      await resources(api).addMember(owner, `projects/${project.id}`, forker, REPORTER);
      const target = await resources(api).group(forker);
      const fork = (await client(api, forker).post(`/projects/${project.id}/fork`, { namespace_id: target.id }).expect(201)).body;
      const stranger = await createUser(api, 'stranger');
      await resources(api).addMember(forker, `groups/${target.id}`, stranger, GUEST);
      const answers = async (who: TestUser) => {
        const inList = async (url: string) =>
          (await client(api, who).get(url).expect(200)).body.find((p: { id: number }) => p.id === fork.id);
        return [
          (await client(api, who).get(`/projects/${fork.id}`).expect(200)).body,
          await inList('/projects?per_page=100'),
          await inList(`/groups/${target.id}/projects`),
        ];
      };
      for (const answer of await answers(stranger)) {
        expect(answer.forked_from_project_id).toBeNull();
        expect(answer).not.toHaveProperty('forked_from_project');
      }
      for (const answer of await answers(forker)) {
        expect(answer).toMatchObject({
          forked_from_project_id: project.id,
          forked_from_project: { id: project.id, path_with_namespace: project.path_with_namespace },
        });
      }
    });

    it('caps the fork’s visibility by the target group’s, and creates where namespace_path names', async () => {
      const { project } = await parentProject('public');
      const target = await resources(api).group(forker, { visibility: 'internal' });
      const fork = await client(api, forker)
        .post(`/projects/${project.id}/fork`, { namespace_path: target.full_path, path: 'mine', name: 'Mine' })
        .expect(201);
      expect(fork.body).toMatchObject({
        path_with_namespace: `${target.full_path}/mine`,
        name: 'Mine',
        visibility: 'internal',
        namespace: { id: target.id },
      });
      // GitLab's deprecated `namespace` takes an id or a path.
      const byId = await client(api, forker)
        .post(`/projects/${project.id}/fork`, { namespace: String(target.id), path: 'by-id' })
        .expect(201);
      const byPath = await client(api, forker)
        .post(`/projects/${project.id}/fork`, { namespace: target.full_path, path: 'by-path' })
        .expect(201);
      expect([byId.body.namespace.id, byPath.body.namespace.id]).toEqual([target.id, target.id]);
      await client(api, forker).post(`/projects/${project.id}/fork`, { namespace_path: 'no/such/group' }).expect(404);
    });

    it('keeps a fork no more visible than its source afterwards too (GitLab’s visibility_level_allowed_as_fork)', async () => {
      const { project } = await parentProject();
      await resources(api).addMember(owner, `projects/${project.id}`, forker, REPORTER);
      const fork = (await client(api, forker).post(`/projects/${project.id}/fork`).expect(201)).body;
      const refused = await client(api, forker).put(`/projects/${fork.id}`, { visibility: 'public' }).expect(400);
      expect(refused.body).toEqual({
        message: { visibility_level: ['public is not allowed since the fork source project has lower visibility.'] },
      });
      expect((await client(api, forker).get(`/projects/${fork.id}`).expect(200)).body.visibility).toBe('private');
    });

    it('follows GitLab’s fork_project: 404 unseen, 403 for a guest of a private project, 403 without create rights in the namespace, 409 on a taken path', async () => {
      const { project, group } = await parentProject();
      await client(api, forker).post(`/projects/${project.id}/fork`).expect(404);
      await resources(api).addMember(owner, `projects/${project.id}`, forker, GUEST);
      await client(api, forker).post(`/projects/${project.id}/fork`).expect(403);
      await resources(api).addMember(owner, `groups/${group.id}`, forker, DEVELOPER);
      await client(api, forker).post(`/projects/${project.id}/fork`, { namespace_id: group.id, path: 'other' }).expect(403);
      await client(api, forker).post(`/projects/${project.id}/fork`).expect(201);
      const again = await client(api, forker).post(`/projects/${project.id}/fork`);
      expect(again.status).toBe(409);
      expect(again.body).toEqual({ message: { path: ['has already been taken'] } });
    });
  });

  describe('merge requests', () => {
    async function forkedPair() {
      const { project } = await parentProject();
      await resources(api).addMember(owner, `projects/${project.id}`, forker, REPORTER);
      const fork = (await client(api, forker).post(`/projects/${project.id}/fork`).expect(201)).body;
      return { parent: project, fork };
    }

    it('numbers a fork’s merge request in the target, where it is read, listed, closed and reopened', async () => {
      const { parent, fork } = await forkedPair();
      await client(api, owner)
        .post(`/projects/${parent.id}/merge_requests`, { source_branch: 'feature', target_branch: 'main', title: 'In-house' })
        .expect(201);
      const created = await client(api, forker).post(`/projects/${fork.id}/merge_requests`, {
        source_branch: 'feature',
        target_branch: 'main',
        target_project_id: parent.id,
        title: 'From the fork',
        description: 'Please',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        iid: 2,
        project_id: parent.id,
        source_project_id: fork.id,
        target_project_id: parent.id,
        source_branch: 'feature',
        target_branch: 'main',
        title: 'From the fork',
        description: 'Please',
        state: 'opened',
        author: { id: forker.id, username: forker.username },
        sha: await branchHead(api, forker, fork.id, 'feature'),
        references: { short: '!2', full: `${parent.path_with_namespace}!2` },
      });
      expect(created.body.web_url).toMatch(new RegExp(`/${parent.path_with_namespace}/-/merge_requests/2$`));
      await client(api, forker).get(`/projects/${parent.id}/merge_requests/2`).expect(200);
      await client(api, forker).get(`/projects/${fork.id}/merge_requests/2`).expect(404);
      const listed = await client(api, forker).get(`/projects/${parent.id}/merge_requests?state=opened`).expect(200);
      expect(listed.body.map((mr: { iid: number }) => mr.iid)).toEqual([2, 1]);

      const closed = await client(api, forker).put(`/projects/${parent.id}/merge_requests/2`, { state_event: 'close' }).expect(200);
      expect(closed.body).toMatchObject({ state: 'closed', closed_by: { id: forker.id } });
      expect(
        (await client(api, forker).get(`/projects/${parent.id}/merge_requests?state=closed`).expect(200)).body.map(
          (mr: { iid: number }) => mr.iid,
        ),
      ).toEqual([2]);
      // Someone else's merge request takes a developer of the target to close.
      await client(api, forker).put(`/projects/${parent.id}/merge_requests/1`, { state_event: 'close' }).expect(403);
      const reopened = await client(api, owner).put(`/projects/${parent.id}/merge_requests/2`, { state_event: 'reopen' }).expect(200);
      expect(reopened.body).toMatchObject({ state: 'opened', closed_by: null, closed_at: null });
    });

    it('lists a merge request’s pipelines only from the projects whose pipelines the caller may read (GitLab’s PipelinesForMergeRequestFinder)', async () => {
      const { parent, fork } = await forkedPair();
      const mr = (
        await client(api, forker)
          .post(`/projects/${fork.id}/merge_requests`, {
            source_branch: 'feature',
            target_branch: 'main',
            target_project_id: parent.id,
            title: 't',
          })
          .expect(201)
      ).body;
      const url = `/projects/${parent.id}/merge_requests/${mr.iid}/pipelines`;
      // The parent's owner runs it in the parent; the forker, a reporter there, can only run it in their private fork.
      const inParent = (await client(api, owner).post(url).expect(200)).body;
      const inFork = (await client(api, forker).post(url).expect(200)).body;
      expect([inParent.project_id, inFork.project_id]).toEqual([parent.id, fork.id]);
      const listedFor = async (who: TestUser) => {
        const listed = await client(api, who).get(url).expect(200);
        return { ids: listed.body.map((pipeline: { id: number }) => pipeline.id), total: listed.headers['x-total'] };
      };
      expect(await listedFor(forker)).toEqual({ ids: [inFork.id, inParent.id], total: '2' });
      // The parent's owner cannot see the private fork, so neither its pipelines nor how many there are.
      expect(await listedFor(owner)).toEqual({ ids: [inParent.id], total: '1' });
      const parentReporter = await createUser(api, 'reporter');
      await resources(api).addMember(owner, `projects/${parent.id}`, parentReporter, REPORTER);
      expect(await listedFor(parentReporter)).toEqual({ ids: [inParent.id], total: '1' });
      // A guest of the fork sees the fork but may not read its pipelines (reporter and up, as GET /projects/:id/pipelines).
      await resources(api).addMember(forker, `projects/${fork.id}`, parentReporter, GUEST);
      expect(await listedFor(parentReporter)).toEqual({ ids: [inParent.id], total: '1' });
      await client(api, api.rootToken).get(url).expect(200).expect('x-total', '2');
    });

    it('refuses what GitLab refuses: a foreign target, missing branches, the same branch twice, a second open request', async () => {
      const { parent, fork } = await forkedPair();
      const other = await resources(api).project(forker);
      const open = (body: object) => client(api, forker).post(`/projects/${fork.id}/merge_requests`, { title: 't', ...body });
      const foreign = await open({ source_branch: 'feature', target_branch: 'main', target_project_id: other.id });
      expect(foreign.status).toBe(422);
      expect(foreign.body).toEqual({ message: ['Source project is not a fork of the target project'] });
      const missing = await open({ source_branch: 'nope', target_branch: 'main', target_project_id: parent.id });
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({ message: ['Source branch "nope" does not exist'] });
      const same = await open({ source_branch: 'main', target_branch: 'main' });
      expect(same.status).toBe(422);
      expect(same.body).toEqual({ message: ["You can't use same project/branch for source and target"] });
      await open({ source_branch: 'feature', target_branch: 'main', target_project_id: parent.id }).expect(201);
      const twice = await open({ source_branch: 'feature', target_branch: 'main', target_project_id: parent.id });
      expect(twice.status).toBe(422);
      expect(twice.body).toEqual({ message: ['Another open merge request already exists for this source branch: !1'] });
      // Opening one takes a developer of the source project.
      await client(api, forker)
        .post(`/projects/${parent.id}/merge_requests`, { source_branch: 'feature', target_branch: 'main', title: 't' })
        .expect(403);
    });
  });
});
