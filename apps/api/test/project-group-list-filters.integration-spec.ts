import { client, resources } from './support/resources';
import { TestApp, TestUser, createUser, startTestApp, uniqueName } from './support/test-app';

type Named = { id: number };

/** Issue 18 item 9: `/projects`, `/groups/:id/projects` and `/groups` apply GitLab's filters, or refuse them. */
describe('Project and group list filters', () => {
  let api: TestApp;
  let lister: TestUser;
  let other: TestUser;
  /** In every name made here, so that a search keeps to this file's rows in a shared database. */
  const tag = uniqueName('lf').replace(/-/g, '');
  const made: Record<string, Named> = {};
  const ids = (body: Named[]) => body.map((row) => row.id);
  const as = (who: TestUser) => client(api, who);

  beforeAll(async () => {
    api = await startTestApp();
    const make = resources(api);
    [lister, other] = [await createUser(api, 'lister'), await createUser(api, 'other')];
    made.shared = await make.group(other, { name: `${tag} shared`, visibility: 'public' });
    await make.addMember(other, `groups/${made.shared.id}`, lister, 30);
    made.mine = await make.group(lister, { name: `${tag} mine`, visibility: 'private' });
    made.sub = await make.group(lister, { name: `${tag} mine sub`, parent_id: made.mine.id, visibility: 'private' });
    made.foreign = await make.group(other, { name: `${tag} foreign`, visibility: 'public' });
    made.own = await make.project(lister, { name: `${tag} alpha`, visibility: 'private' });
    made.beta = await make.project(other, { name: `${tag} beta`, namespace_id: made.shared.id, visibility: 'public' });
    made.gamma = await make.project(other, { name: `${tag} gamma`, namespace_id: made.shared.id, visibility: 'internal' });
    made.delta = await make.project(other, { name: `${tag} delta`, visibility: 'public' });
  });

  afterAll(() => api.close());

  describe('projects', () => {
    const list = async (query: string, who = lister) => ids((await as(who).get(`/projects?search=${tag}&${query}`).expect(200)).body);

    it.each([
      ['', () => [made.delta, made.gamma, made.beta, made.own]],
      ['owned=true', () => [made.own]],
      ['membership=true', () => [made.gamma, made.beta, made.own]],
      ['min_access_level=30', () => [made.gamma, made.beta, made.own]],
      ['min_access_level=40', () => [made.own]],
      ['visibility=internal', () => [made.gamma]],
      ['visibility=public&membership=false', () => [made.delta, made.beta]],
      ['archived=true', () => []],
      ['archived=false&owned=1', () => [made.own]],
      ['order_by=name&sort=asc', () => [made.own, made.beta, made.delta, made.gamma]],
      ['order_by=id&sort=asc', () => [made.own, made.beta, made.gamma, made.delta]],
      ['starred=false&owned=true', () => [made.own]],
    ])('applies %s', async (query, expected) => {
      expect(await list(query)).toEqual(ids(expected()));
    });

    it('applies id_after and id_before', async () => {
      expect(await list(`id_after=${made.beta.id}&id_before=${made.delta.id}`)).toEqual([made.gamma.id]);
    });

    it('searches names, and namespaces only when asked', async () => {
      expect(ids((await as(lister).get(`/projects?search=${tag}%20beta`).expect(200)).body)).toEqual([made.beta.id]);
      const groupPath = (await as(lister).get(`/groups/${made.shared.id}`).expect(200)).body.path;
      expect(ids((await as(lister).get(`/projects?search=${groupPath}`).expect(200)).body)).toEqual([]);
      const withNamespaces = await as(lister).get(`/projects?search=${groupPath}&search_namespaces=true`).expect(200);
      expect(ids(withNamespaces.body)).toEqual([made.gamma.id, made.beta.id]);
      expect(ids((await as(lister).get('/projects?search=%25').expect(200)).body)).toEqual([]);
    });

    it('applies the same filters to a group’s projects, and counts what it filtered', async () => {
      const response = await as(lister).get(`/groups/${made.shared.id}/projects?search=gamma&per_page=1`).expect(200);
      expect([ids(response.body), response.headers['x-total']]).toEqual([[made.gamma.id], '1']);
      const both = await as(lister).get(`/groups/${made.shared.id}/projects?order_by=name&sort=asc`).expect(200);
      expect(ids(both.body)).toEqual([made.beta.id, made.gamma.id]);
    });

    it('applies the same filters to a project’s forks', async () => {
      const fork = (
        await as(lister)
          .post(`/projects/${made.beta.id}/fork`, { name: `${tag} fork`, path: `${tag}-fork` })
          .expect(201)
      ).body;
      const forks = (query: string) => as(other).get(`/projects/${made.beta.id}/forks?${query}`).expect(200);
      expect(ids((await forks('')).body)).toEqual([fork.id]);
      expect(ids((await forks('owned=true')).body)).toEqual([]);
      expect(ids((await as(lister).get(`/projects/${made.beta.id}/forks?owned=true&search=fork`).expect(200)).body)).toEqual([fork.id]);
      expect((await as(lister).get(`/projects/${made.beta.id}/forks?starred=true`).expect(400)).body).toEqual({
        error: 'starred does not have a valid value',
      });
    });

    it.each([
      ['starred=true', 'starred does not have a valid value'],
      ['topic=ci', 'topic does not have a valid value'],
      ['updated_after=2020-01-01T00:00:00Z', 'updated_after does not have a valid value'],
      ['order_by=last_activity_at', 'order_by does not have a valid value'],
      ['visibility=secret', 'visibility does not have a valid value'],
      ['min_access_level=35', 'min_access_level does not have a valid value'],
      ['owned=maybe', 'owned is invalid'],
      ['id_after=abc', 'id_after is invalid'],
      ['search=a%00b', 'search is invalid'],
    ])('refuses %s in Grape’s words', async (query, error) => {
      expect((await as(lister).get(`/projects?${query}`).expect(400)).body).toEqual({ error });
    });
  });

  describe('groups', () => {
    const list = async (query: string, who: TestUser | string = lister) =>
      ids((await client(api, who).get(`/groups?search=${tag}&${query}`).expect(200)).body);

    it.each([
      ['', () => [made.mine, made.sub, made.shared]],
      ['all_available=true', () => [made.foreign, made.mine, made.sub, made.shared]],
      ['owned=true', () => [made.mine, made.sub]],
      ['min_access_level=50', () => [made.mine, made.sub]],
      ['top_level_only=true', () => [made.mine, made.shared]],
      ['visibility=public&all_available=true', () => [made.foreign, made.shared]],
      ['order_by=id&sort=desc', () => [made.sub, made.mine, made.shared]],
      ['order_by=name&sort=desc', () => [made.shared, made.sub, made.mine]],
      ['skip_groups[]=SUB&skip_groups[]=SHARED', () => [made.mine]],
      ['skip_groups=SUB,SHARED', () => [made.mine]],
    ])('applies %s', async (query, expected) => {
      const named = query.replace('SUB', String(made.sub.id)).replace('SHARED', String(made.shared.id));
      expect(await list(named)).toEqual(ids(expected()));
    });

    it('lists every group to an admin by default, as GitLab', async () => {
      expect(await list('', api.rootToken)).toEqual(ids([made.foreign, made.mine, made.sub, made.shared]));
    });

    it('applies filters to subgroups', async () => {
      const subgroups = await as(lister).get(`/groups/${made.mine.id}/subgroups?search=nothing-like-it`).expect(200);
      expect(subgroups.body).toEqual([]);
      expect(ids((await as(lister).get(`/groups/${made.mine.id}/subgroups?owned=true`).expect(200)).body)).toEqual([made.sub.id]);
    });

    it.each([
      ['order_by=similarity', 'order_by does not have a valid value'],
      ['sort=sideways', 'sort does not have a valid value'],
      ['skip_groups[]=x', 'skip_groups is invalid'],
      ['all_available=perhaps', 'all_available is invalid'],
      ['marked_for_deletion_on=2020-01-01', 'marked_for_deletion_on does not have a valid value'],
    ])('refuses %s in Grape’s words', async (query, error) => {
      expect((await as(lister).get(`/groups?${query}`).expect(400)).body).toEqual({ error });
    });
  });
});
