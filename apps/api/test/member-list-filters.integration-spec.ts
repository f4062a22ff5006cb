import { client, resources } from './support/resources';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';

/** Issue 18 item 9: member lists apply GitLab's `query`, `user_ids` and `skip_users` (`MembersFinder`), or refuse. */
describe('Member list filters', () => {
  let api: TestApp;
  let owner: TestUser;
  let [alice, bob]: TestUser[] = [];
  let [group, project] = [0, 0];
  const userIds = (body: { id: number }[]) => body.map((member) => member.id);
  const get = (url: string) => client(api, owner).get(url);

  beforeAll(async () => {
    api = await startTestApp();
    [owner, alice, bob] = [await createUser(api, 'owner'), await createUser(api, 'alice'), await createUser(api, 'bob')];
    group = (await resources(api).group(owner)).id;
    project = (await resources(api).project(owner, { namespace_id: group })).id;
    await resources(api).addMember(owner, `groups/${group}`, alice, 30);
    await resources(api).addMember(owner, `projects/${project}`, bob, 20);
  });

  afterAll(() => api.close());

  it.each([
    ['members', 'query=ALICE', () => [alice]],
    ['members', 'query=nobody-of-that-name', () => []],
    ['members', 'skip_users[]=OWNER', () => [alice]],
    ['members', 'user_ids=OWNER,ALICE', () => [owner, alice]],
    ['members/all', 'query=BOB', () => [bob]],
    ['members/all', 'user_ids[]=ALICE&user_ids[]=BOB', () => [alice, bob]],
    ['members/all', 'skip_users=OWNER', () => [alice, bob]],
  ])('applies %s?%s', async (list, query, expected) => {
    const source = list === 'members' ? `/groups/${group}` : `/projects/${project}`;
    const named = query
      .replace('ALICE', query.startsWith('query') ? alice.username : String(alice.id))
      .replace('BOB', query.startsWith('query') ? bob.username : String(bob.id))
      .replace('OWNER', String(owner.id));
    const response = await get(`${source}/${list}?${named}`).expect(200);
    expect(userIds(response.body).sort()).toEqual(
      expected()
        .map((user) => user.id)
        .sort(),
    );
    expect(response.headers['x-total']).toBe(String(expected().length));
  });

  it.each([
    ['state=active', 'state does not have a valid value'],
    ['user_ids[]=me', 'user_ids is invalid'],
  ])('refuses %s in Grape’s words', async (query, error) => {
    expect((await get(`/groups/${group}/members?${query}`).expect(400)).body).toEqual({ error });
    expect((await get(`/projects/${project}/members/all?${query}`).expect(400)).body).toEqual({ error });
  });
});
