import { Resources, client, resources } from './support/resources';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

/** `members/all`: direct members and those inherited from ancestor groups, one per user, highest level first. */
describe('Inherited members API (members/all)', () => {
  const clock = new TestClock();
  let api: TestApp;
  let make: Resources;
  let owner: TestUser;
  let top: { id: number };
  let sub: { id: number };
  let project: { id: number };
  let dev: TestUser;
  let rep: TestUser;
  let mnt: TestUser;
  let brief: TestUser;

  const as = (user: TestUser | string) => client(api, user);
  const levels = (body: { username: string; access_level: number }[]) =>
    Object.fromEntries(body.map((member) => [member.username, member.access_level]));

  beforeAll(async () => {
    api = await startTestApp({}, { clock });
    make = resources(api);
    owner = await createUser(api, 'inh-owner');
    [dev, rep, mnt, brief] = await Promise.all(['inh-dev', 'inh-rep', 'inh-mnt', 'inh-brief'].map((name) => createUser(api, name)));
    top = await make.group(owner, { visibility: 'private' });
    sub = await make.group(owner, { parent_id: top.id, visibility: 'private' });
    project = await make.project(owner, { namespace_id: sub.id, visibility: 'private' });
    await make.addMember(owner, `groups/${top.id}`, dev, 30);
    await make.addMember(owner, `projects/${project.id}`, dev, 40);
    await make.addMember(owner, `groups/${sub.id}`, rep, 20);
    await make.addMember(owner, `projects/${project.id}`, rep, 10);
    await make.addMember(owner, `groups/${top.id}`, mnt, 40);
    await make.addMember(owner, `groups/${sub.id}`, mnt, 20);
    const tomorrow = new Date(clock.now().getTime() + 86_400_000).toISOString().slice(0, 10);
    await as(owner).post(`/groups/${top.id}/members`, { user_id: brief.id, access_level: 30, expires_at: tomorrow }).expect(201);
  });

  afterAll(() => api.close());

  it('lists a project’s members with those of every ancestor group, the highest level winning', async () => {
    const response = await as(owner).get(`/projects/${project.id}/members/all`).expect(200);
    expect(levels(response.body)).toEqual({
      [owner.username]: 50,
      [dev.username]: 40,
      [rep.username]: 20,
      [mnt.username]: 40,
      [brief.username]: 30,
    });
    expect(response.headers).toMatchObject({ 'x-total': '5' });
    const direct = await as(owner).get(`/projects/${project.id}/members`).expect(200);
    expect(levels(direct.body)).toEqual({ [dev.username]: 40, [rep.username]: 10 });
  });

  it('lists a subgroup’s members with its ancestors’, and a top group’s as its own', async () => {
    const subAll = await as(owner).get(`/groups/${sub.id}/members/all`).expect(200);
    expect(levels(subAll.body)).toEqual({
      [owner.username]: 50,
      [dev.username]: 30,
      [rep.username]: 20,
      [mnt.username]: 40,
      [brief.username]: 30,
    });
    const topAll = await as(owner).get(`/groups/${top.id}/members/all`).expect(200);
    const topDirect = await as(owner).get(`/groups/${top.id}/members`).expect(200);
    expect(levels(topAll.body)).toEqual(levels(topDirect.body));
  });

  it('answers one inherited member in GitLab’s member shape, and 404 for a user who is none', async () => {
    const shown = await as(rep).get(`/projects/${project.id}/members/all/${mnt.id}`).expect(200);
    expect(shown.body).toEqual({
      id: mnt.id,
      username: mnt.username,
      name: mnt.username,
      state: 'active',
      locked: false,
      avatar_url: null,
      web_url: `http://lanyard.test/${mnt.username}`,
      access_level: 40,
      created_at: expect.stringMatching(/Z$/),
      expires_at: null,
    });
    const outsider = await createUser(api);
    const missing = await as(owner).get(`/groups/${sub.id}/members/all/${outsider.id}`).expect(404);
    expect(missing.body).toEqual({ message: '404 Member Not Found' });
  });

  it('pages the list as GitLab does', async () => {
    const first = await as(owner).get(`/projects/${project.id}/members/all?per_page=2`).expect(200);
    const second = await as(owner).get(`/projects/${project.id}/members/all?per_page=2&page=2`).expect(200);
    const third = await as(owner).get(`/projects/${project.id}/members/all?per_page=2&page=3`).expect(200);
    expect(first.headers).toMatchObject({ 'x-total': '5', 'x-next-page': '2' });
    const ids = [...first.body, ...second.body, ...third.body].map((member: { id: number }) => member.id);
    expect(new Set(ids).size).toBe(5);
  });

  it('drops a membership once it has expired', async () => {
    clock.advance(2 * 86_400);
    try {
      const response = await as(owner).get(`/projects/${project.id}/members/all`).expect(200);
      expect(levels(response.body)).not.toHaveProperty(brief.username);
      await as(owner).get(`/groups/${top.id}/members/all/${brief.id}`).expect(404);
    } finally {
      clock.advance(-2 * 86_400);
    }
  });

  it('hides a private group’s and project’s members from a non-member (404)', async () => {
    const outsider = await createUser(api);
    expect((await as(outsider).get(`/groups/${sub.id}/members/all`).expect(404)).body).toEqual({ message: '404 Group Not Found' });
    expect((await as(outsider).get(`/projects/${project.id}/members/all`).expect(404)).body).toEqual({ message: '404 Project Not Found' });
    await as(outsider).get(`/projects/${project.id}/members/all/${owner.id}`).expect(404);
  });
});
