import { decodeJwt } from 'jose';
import { DataSource } from 'typeorm';
import { commitCiConfig } from './support/ci-fixtures';
import { client, resources } from './support/resources';
import { createRunner, runPipeline, takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';

const CI = `
deploy:
  script: [deploy]
  id_tokens:
    ID_TOKEN:
      aud: https://cloud.example.com
`;

const failed = (reason: string) => ({ message: `Transfer failed: ${reason}` });

/** GitLab's `PUT /groups/:id` (path), `POST /groups/:id/transfer` and `DELETE /groups/:id` (`lib/api/groups.rb`). */
describe('Group rename, transfer and delete', () => {
  let api: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    api = await startTestApp();
    db = api.app.get(DataSource);
  });

  afterAll(() => api.close());

  /** owner's group › subgroup › project (with a CI config whose sub leads with project_id). */
  async function tree(owner?: TestUser) {
    const who = owner ?? (await createUser(api, 'owner'));
    const group = await resources(api).group(who);
    const subgroup = await resources(api).group(who, { parent_id: group.id });
    const project = await resources(api).project(who, { namespace_id: subgroup.id });
    await commitCiConfig(api, who, project.id, CI, 'main');
    await client(api, who)
      .put(`/projects/${project.id}`, { ci_id_token_sub_claim_components: ['project_id', 'ref_type', 'ref'] })
      .expect(200);
    return { owner: who, group, subgroup, project };
  }

  const traversalIds = async (id: number): Promise<number[]> =>
    (await db.query('SELECT traversal_ids FROM namespaces WHERE id = $1', [id]))[0].traversal_ids.map(Number);

  describe('rename', () => {
    it('changes the path of an owner’s group: everything below moves, and tokens minted afterwards carry the new path', async () => {
      const { owner, group, subgroup, project } = await tree();
      const runner = await createRunner(api, owner, { runner_type: 'group_type', group_id: group.id });
      await runPipeline(api, owner, project.id);
      const newPath = `${group.path}-renamed`;
      const renamed = await client(api, owner).put(`/groups/${group.id}`, { path: newPath, name: 'Renamed' }).expect(200);
      expect(renamed.body).toMatchObject({ path: newPath, full_path: newPath, name: 'Renamed' });
      expect((await client(api, owner).get(`/groups/${subgroup.id}`)).body.full_path).toBe(`${newPath}/${subgroup.path}`);
      const expectedPath = `${newPath}/${subgroup.path}/${project.path}`;
      expect((await client(api, owner).get(`/projects/${project.id}`)).body.path_with_namespace).toBe(expectedPath);
      expect(decodeJwt(variableMap(await takeJob(api, runner.token)).get('ID_TOKEN')!.value)).toMatchObject({
        project_path: expectedPath,
        namespace_path: `${newPath}/${subgroup.path}`,
      });
    });

    it('refuses a maintainer (403; GitLab: admin_group) and a path taken by a sibling group or project (400)', async () => {
      const { owner, group, subgroup } = await tree();
      const maintainer = await createUser(api, 'maint');
      await resources(api).addMember(owner, `groups/${group.id}`, maintainer, 40);
      await client(api, maintainer).put(`/groups/${subgroup.id}`, { path: 'x' }).expect(403);
      const sibling = await resources(api).group(owner, { parent_id: group.id });
      const siblingProject = await resources(api).project(owner, { namespace_id: group.id });
      const other = await resources(api).group(owner);
      for (const [id, taken] of [
        [subgroup.id, sibling.path],
        [subgroup.id, siblingProject.path],
        [group.id, other.path.toUpperCase()],
        [group.id, owner.username],
      ] as const) {
        const refused = await client(api, owner).put(`/groups/${id}`, { path: taken }).expect(400);
        expect(refused.body).toEqual({ message: { path: ['has already been taken'] } });
      }
    });
  });

  describe('transfer', () => {
    it('moves a group below a new parent and back to the top level; traversal ids of every descendant follow', async () => {
      const { owner, group, subgroup, project } = await tree();
      const parent = await resources(api).group(owner);
      const parentRunner = await createRunner(api, owner, { runner_type: 'group_type', group_id: parent.id });
      const inner = await resources(api).group(owner, { parent_id: subgroup.id });

      const moved = await client(api, owner).post(`/groups/${group.id}/transfer`, { group_id: parent.id }).expect(201);
      expect(moved.body).toMatchObject({ id: group.id, parent_id: parent.id, full_path: `${parent.full_path}/${group.path}` });
      expect(await traversalIds(group.id)).toEqual([parent.id, group.id]);
      expect(await traversalIds(subgroup.id)).toEqual([parent.id, group.id, subgroup.id]);
      expect(await traversalIds(inner.id)).toEqual([parent.id, group.id, subgroup.id, inner.id]);
      // The new ancestor's runners now serve the moved projects, and their tokens name the new path.
      await runPipeline(api, owner, project.id);
      expect(decodeJwt(variableMap(await takeJob(api, parentRunner.token)).get('ID_TOKEN')!.value).project_path).toBe(
        `${parent.full_path}/${group.path}/${subgroup.path}/${project.path}`,
      );

      const top = await client(api, owner).post(`/groups/${subgroup.id}/transfer`, {}).expect(201);
      expect(top.body).toMatchObject({ parent_id: null, full_path: subgroup.path });
      expect(await traversalIds(subgroup.id)).toEqual([subgroup.id]);
      expect(await traversalIds(inner.id)).toEqual([subgroup.id, inner.id]);
      expect((await client(api, owner).get(`/projects/${project.id}`)).body.path_with_namespace).toBe(`${subgroup.path}/${project.path}`);
    });

    it('keeps every traversal id right when subgroups are created below a group while it moves', async () => {
      const { owner, group, subgroup } = await tree();
      const parents = [await resources(api).group(owner), await resources(api).group(owner)];
      for (let round = 0; round < 4; round++) {
        await Promise.all([
          client(api, owner)
            .post(`/groups/${group.id}/transfer`, { group_id: parents[round % 2].id })
            .expect(201),
          ...[0, 1, 2].map(() => resources(api).group(owner, { parent_id: subgroup.id })),
        ]);
      }
      const wrong = await db.query(
        `SELECT c.id FROM namespaces c JOIN namespaces p ON p.id = c.parent_id
          WHERE $1 = ANY(c.traversal_ids) AND c.traversal_ids <> p.traversal_ids || c.id`,
        [group.id],
      );
      expect(wrong).toEqual([]);
      expect((await db.query('SELECT count(*)::int AS n FROM namespaces WHERE $1 = ANY(traversal_ids)', [parents[1].id]))[0].n).toBe(15);
    });

    it('lowers the visibility of what moves below a less visible parent, as GitLab', async () => {
      const owner = await createUser(api, 'owner');
      const group = await resources(api).group(owner, { visibility: 'public' });
      const project = await resources(api).project(owner, { namespace_id: group.id, visibility: 'public' });
      const parent = await resources(api).group(owner, { visibility: 'internal' });
      await client(api, owner).post(`/groups/${group.id}/transfer`, { group_id: parent.id }).expect(201);
      expect((await client(api, owner).get(`/groups/${group.id}`)).body.visibility).toBe('internal');
      expect((await client(api, owner).get(`/projects/${project.id}`)).body.visibility).toBe('internal');
    });

    it('refuses with GitLab’s messages', async () => {
      const { owner, group, subgroup } = await tree();
      const stranger = await createUser(api, 'stranger');
      const asDeveloper = await resources(api).group(stranger);
      await resources(api).addMember(stranger, `groups/${asDeveloper.id}`, owner, 30);
      const clash = await resources(api).group(owner);
      await resources(api).group(owner, { parent_id: clash.id, path: subgroup.path });
      const cases: [number, object, object][] = [
        [group.id, {}, failed('Group is already a root group.')],
        [group.id, { group_id: null }, failed('Group is already a root group.')],
        [subgroup.id, { group_id: group.id }, failed('Group is already associated to the parent group.')],
        [group.id, { group_id: asDeveloper.id }, failed("You don't have enough permissions.")],
        [subgroup.id, { group_id: clash.id }, failed('The parent group already has a subgroup or a project with the same path.')],
        [group.id, { group_id: subgroup.id }, failed('Cannot transfer group to one of its subgroup.')],
      ];
      for (const [id, body, answer] of cases)
        expect((await client(api, owner).post(`/groups/${id}/transfer`, body).expect(400)).body).toEqual(answer);
      const hidden = await resources(api).group(stranger);
      expect((await client(api, owner).post(`/groups/${group.id}/transfer`, { group_id: hidden.id }).expect(404)).body).toEqual({
        message: '404 Group Not Found',
      });
      const maintainer = await createUser(api, 'maint');
      await resources(api).addMember(owner, `groups/${group.id}`, maintainer, 40);
      await client(api, maintainer).post(`/groups/${subgroup.id}/transfer`, {}).expect(403);
      expect(await traversalIds(subgroup.id)).toEqual([group.id, subgroup.id]);
    });
  });

  describe('delete', () => {
    it('answers 202 Accepted to the owner (403 to a maintainer); subgroups, projects and their pending jobs go at once', async () => {
      const { owner, group, subgroup, project } = await tree();
      const maintainer = await createUser(api, 'maint');
      await resources(api).addMember(owner, `groups/${group.id}`, maintainer, 40);
      const pipeline = await runPipeline(api, owner, project.id);
      const [job] = await db.query('SELECT id FROM ci_builds WHERE pipeline_id = $1', [pipeline.id]);
      await client(api, maintainer).delete(`/groups/${group.id}`).expect(403);
      expect((await client(api, owner).delete(`/groups/${group.id}`).expect(202)).body).toEqual({ message: '202 Accepted' });
      for (const url of [`/groups/${group.id}`, `/groups/${subgroup.id}`, `/projects/${project.id}`])
        await client(api, owner).get(url).expect(404);
      expect(await db.query('SELECT 1 FROM ci_builds WHERE id = $1', [job.id])).toEqual([]);
      expect(await db.query('SELECT path, project_id FROM burned_routes WHERE project_id = $1', [project.id])).toEqual([
        { path: project.path_with_namespace, project_id: project.id },
      ]);
      expect(
        await db.query('SELECT 1 FROM members WHERE source_type = $1 AND source_id = ANY($2)', ['Namespace', [group.id, subgroup.id]]),
      ).toEqual([]);
    });
  });
});
