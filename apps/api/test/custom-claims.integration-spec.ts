import { client, resources } from './support/resources';
import { TestApp, createUser, startTestApp } from './support/test-app';

const AWS_TAGS_KEY = 'https://aws.amazon.com/tags';
// Written with the longer key first: jsonb would reorder it, the stored json keeps it as written.
const AWS_TAGS_JSON = '{"transitive_tag_keys":["team"],"principal_tags":{"team":["platform"]}}';

describe('custom claims API (groups, subgroups, projects)', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });

  afterAll(() => api.close());

  /** root group → subgroup → project, all owned by `owner`. */
  async function tree() {
    const owner = await createUser(api, 'owner');
    const root = await resources(api).group(owner);
    const sub = await resources(api).group(owner, { parent_id: root.id });
    const project = await resources(api).project(owner, { namespace_id: sub.id });
    return { owner, root, sub, project, as: client(api, owner) };
  }

  const groupUrl = (id: number) => `/groups/${id}/ci/id_token_claims`;
  const projectUrl = (id: number) => `/projects/${id}/ci/id_token_claims`;

  describe('access', () => {
    it('lets maintainers read and set project claims; developers get 403, non-members 404, anonymous 401', async () => {
      const { owner, project } = await tree();
      const [developer, maintainer, outsider] = await Promise.all(['dev', 'maint', 'out'].map((prefix) => createUser(api, prefix)));
      await resources(api).addMember(owner, `projects/${project.id}`, developer, 30);
      await resources(api).addMember(owner, `projects/${project.id}`, maintainer, 40);
      const body = { claims: [{ key: 'service', value: 'billing' }] };
      await client(api, developer).get(projectUrl(project.id)).expect(403);
      await client(api, developer).put(projectUrl(project.id), body).expect(403);
      await client(api, developer)
        .get(`${projectUrl(project.id)}/events`)
        .expect(403);
      await client(api, outsider).get(projectUrl(project.id)).expect(404);
      await client(api, outsider).put(projectUrl(project.id), body).expect(404);
      await api.http
        .put(`/api/v4${projectUrl(project.id)}`)
        .send(body)
        .expect(401);
      await client(api, maintainer).put(projectUrl(project.id), body).expect(200);
      expect((await client(api, maintainer).get(projectUrl(project.id)).expect(200)).body).toEqual({
        claims: [{ key: 'service', value: 'billing', mutable: false }],
      });
    });

    it('lets only owners read and set group claims; a group maintainer gets 403, a non-member 404', async () => {
      const { owner, root, as } = await tree();
      const [maintainer, outsider] = await Promise.all(['maint', 'out'].map((prefix) => createUser(api, prefix)));
      await resources(api).addMember(owner, `groups/${root.id}`, maintainer, 40);
      const body = { claims: [{ key: 'team', value: 'platform' }] };
      await client(api, maintainer).put(groupUrl(root.id), body).expect(403);
      await client(api, maintainer).get(groupUrl(root.id)).expect(403);
      await client(api, maintainer)
        .get(`${groupUrl(root.id)}/events`)
        .expect(403);
      await client(api, outsider).put(groupUrl(root.id), body).expect(404);
      await as.put(groupUrl(root.id), body).expect(200);
      expect((await as.get(groupUrl(root.id)).expect(200)).body.claims).toEqual([{ key: 'team', value: 'platform', mutable: false }]);
    });
  });

  describe('PUT', () => {
    it('replaces the whole set in the order given, mutable false unless said, objects kept as written', async () => {
      const { root, as } = await tree();
      await as.put(groupUrl(root.id), { claims: [{ key: 'old', value: 'x' }] }).expect(200);
      const claims = [
        { key: 'team', value: 'platform' },
        { key: 'tier', value: ['gold', 'silver'], mutable: true },
        { key: AWS_TAGS_KEY, value: JSON.parse(AWS_TAGS_JSON) },
      ];
      const expected = [
        { key: 'team', value: 'platform', mutable: false },
        { key: 'tier', value: ['gold', 'silver'], mutable: true },
        { key: AWS_TAGS_KEY, value: JSON.parse(AWS_TAGS_JSON), mutable: false },
      ];
      expect((await as.put(groupUrl(root.id), { claims }).expect(200)).body).toEqual({ claims: expected });
      const shown = await as.get(groupUrl(root.id)).expect(200);
      expect(shown.body).toEqual({ claims: expected });
      expect(shown.text).toContain(AWS_TAGS_JSON);
      await as.put(groupUrl(root.id), { claims: [] }).expect(200);
      expect((await as.get(groupUrl(root.id)).expect(200)).body).toEqual({ claims: [] });
    });

    it('changes nothing when any claim of the set is refused (one transaction)', async () => {
      const { project, as } = await tree();
      await as.put(projectUrl(project.id), { claims: [{ key: 'service', value: 'billing' }] }).expect(200);
      const response = await as
        .put(projectUrl(project.id), {
          claims: [
            { key: 'service', value: 'payments' },
            { key: 'added', value: 'x' },
            { key: 'sub', value: 'forged' },
          ],
        })
        .expect(400);
      expect(response.body).toEqual({ message: { claims: [`project ${(await pathOf(project.id)).fullPath}: reserved claim name: sub`] } });
      expect((await as.get(projectUrl(project.id)).expect(200)).body.claims).toEqual([
        { key: 'service', value: 'billing', mutable: false },
      ]);
      expect((await as.get(`${projectUrl(project.id)}/events`).expect(200)).body).toHaveLength(1);
    });

    it.each<[string, unknown, RegExp]>([
      ['a reserved name', [{ key: 'aud', value: 'x' }], /reserved claim name: aud$/],
      ['a prototype name', [{ key: 'constructor', value: 'x' }], /reserved claim name: constructor$/],
      ['a Cyrillic look-alike', [{ key: 'te\u0430m', value: 'x' }], /invalid claim name: te\\u0430m \(use/],
      ['a zero-width space', [{ key: 'team\u200b', value: 'x' }], /invalid claim name: team\\u200b \(use/],
      ['an http URI', [{ key: 'http://aws.amazon.com/tags', value: 'x' }], /invalid claim name: http:/],
      ['an object under a short name', [{ key: 'team', value: { a: 'b' } }], /only a URI-named claim/],
      ['a number', [{ key: 'team', value: 5 }], /claim values must be strings/],
      ['a bidi control', [{ key: 'team', value: 'pay\u202eevil' }], /control or bidi characters/],
      ['a bidi control in a nested key', [{ key: AWS_TAGS_KEY, value: { 'a\u202e': 'b' } }], /is not an allowed object key/],
      // Issue 19's fuzz pass: PostgreSQL's jsonb cannot hold U+0000, and these reached it before the checks (500).
      ['a NUL in a value', [{ key: 'team', value: 'a\u0000b' }], /control or bidi characters/],
      ['a NUL in a name', [{ key: 'te\u0000am', value: 'x' }], /invalid claim name: te\\u0000am \(use/],
      ['a NUL in a nested key', [{ key: AWS_TAGS_KEY, value: { 'a\u0000': 'b' } }], /is not an allowed object key/],
      [
        'a string over the limit',
        [{ key: 'team', value: 'x'.repeat(1025) }],
        /string exceeds the maxStringLength limit \(maximum is 1024 characters\)/,
      ],
      ['too deep an object', [{ key: AWS_TAGS_KEY, value: { a: { b: { c: { d: { e: 'x' } } } } } }], /maxObjectDepth limit/],
      [
        'too many claims',
        Array.from({ length: 51 }, (_, i) => ({ key: `c${i}`, value: 'x' })),
        /claim list exceeds the maxClaimsPerLevel limit \(maximum is 50 claims\)/,
      ],
      [
        'a name given twice',
        [
          { key: 'team', value: 'a' },
          { key: 'team', value: 'b' },
        ],
        /duplicate claim name: team$/,
      ],
    ])('refuses %s with a 400 naming it', async (_title, claims, message) => {
      const { project, as } = await tree();
      const response = await as.put(projectUrl(project.id), { claims }).expect(400);
      expect(response.body.message.claims[0]).toMatch(message);
      expect(response.body.message.claims[0]).toMatch(/^[\x20-\x7e]+$/);
    });

    it('never lets a nested __proto__ key reach storage or a prototype (the validation pipe strips it first)', async () => {
      const { project, as } = await tree();
      const value = JSON.parse('{"__proto__":{"polluted":"yes"},"team":["x"]}');
      await as.put(projectUrl(project.id), { claims: [{ key: AWS_TAGS_KEY, value }] }).expect(200);
      const shown = await as.get(projectUrl(project.id)).expect(200);
      expect(shown.text).not.toContain('polluted');
      expect(shown.body.claims).toEqual([{ key: AWS_TAGS_KEY, value: { team: ['x'] }, mutable: false }]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it.each<[string, unknown]>([
      ['no claims field', {}],
      ['claims that are not a list', { claims: { team: 'x' } }],
      ['a claim without a value', { claims: [{ key: 'team' }] }],
      ['a claim that is null', { claims: [null] }],
      ['a key that is not a string', { claims: [{ key: 5, value: 'x' }] }],
      ['a mutable flag that is not a boolean', { claims: [{ key: 'team', value: 'x', mutable: 'maybe' }] }],
    ])('refuses a body with %s', async (_title, body) => {
      const { project, as } = await tree();
      await as.put(projectUrl(project.id), body as object).expect(400);
    });
  });

  describe('inheritance and immutability', () => {
    it('shows the effective set with each claim source and whether a lower level may change it', async () => {
      const { root, sub, project, as } = await tree();
      await as
        .put(groupUrl(root.id), {
          claims: [
            { key: 'team', value: 'platform' },
            { key: 'tier', value: 'bronze', mutable: true },
          ],
        })
        .expect(200);
      await as
        .put(groupUrl(sub.id), {
          claims: [
            { key: 'tier', value: 'gold', mutable: true },
            { key: 'cost_centre', value: 'cc-1' },
          ],
        })
        .expect(200);
      await as
        .put(projectUrl(project.id), {
          claims: [
            { key: 'service', value: 'billing' },
            { key: 'tier', value: 'platinum' },
          ],
        })
        .expect(200);
      const projectPath = (await pathOf(project.id)).fullPath;
      expect((await as.get(`${projectUrl(project.id)}?effective=true`).expect(200)).body).toEqual({
        claims: [
          { key: 'team', value: 'platform', mutable: false, source: `group:${root.full_path}` },
          { key: 'tier', value: 'platinum', mutable: false, source: `project:${projectPath}` },
          { key: 'cost_centre', value: 'cc-1', mutable: false, source: `group:${sub.full_path}` },
          { key: 'service', value: 'billing', mutable: false, source: `project:${projectPath}` },
        ],
      });
      expect((await as.get(`${groupUrl(sub.id)}?effective=true`).expect(200)).body.claims).toEqual([
        { key: 'team', value: 'platform', mutable: false, source: `group:${root.full_path}` },
        { key: 'tier', value: 'gold', mutable: true, source: `group:${sub.full_path}` },
        { key: 'cost_centre', value: 'cc-1', mutable: false, source: `group:${sub.full_path}` },
      ]);
      expect((await as.get(projectUrl(project.id)).expect(200)).body.claims).toEqual([
        { key: 'service', value: 'billing', mutable: false },
        { key: 'tier', value: 'platinum', mutable: false },
      ]);
    });

    it.each([
      ['a subgroup', 'sub'],
      ['a project', 'project'],
    ] as const)('refuses %s redefining a claim the root group locked, naming the locking group', async (_title, level) => {
      const { root, sub, project, as } = await tree();
      await as.put(groupUrl(root.id), { claims: [{ key: 'team', value: 'platform' }] }).expect(200);
      const url = level === 'sub' ? groupUrl(sub.id) : projectUrl(project.id);
      const response = await as.put(url, { claims: [{ key: 'team', value: 'payments' }] }).expect(400);
      expect(response.body).toEqual({ message: { claims: [`team is immutable: set by group ${root.full_path}`] } });
      expect((await as.get(url).expect(200)).body.claims).toEqual([]);
    });

    it('refuses a group locking a claim that a level below already redefines, naming that level; nothing changes', async () => {
      const { root, sub, project, as } = await tree();
      await as.put(groupUrl(root.id), { claims: [{ key: 'team', value: 'platform', mutable: true }] }).expect(200);
      await as.put(projectUrl(project.id), { claims: [{ key: 'team', value: 'payments' }] }).expect(200);
      const response = await as.put(groupUrl(sub.id), { claims: [{ key: 'team', value: 'core' }] }).expect(400);
      const projectPath = (await pathOf(project.id)).fullPath;
      expect(response.body).toEqual({
        message: {
          claims: [`team is immutable: set by group ${sub.full_path} (conflicts with project ${projectPath}: change it there first)`],
        },
      });
      const locking = await as.put(groupUrl(root.id), { claims: [{ key: 'team', value: 'platform' }] }).expect(400);
      expect(locking.body.message.claims).toEqual([
        `team is immutable: set by group ${root.full_path} (conflicts with project ${projectPath}: change it there first)`,
      ]);
      expect((await as.get(`${projectUrl(project.id)}?effective=true`).expect(200)).body.claims).toEqual([
        { key: 'team', value: 'payments', mutable: false, source: `project:${projectPath}` },
      ]);
    });

    it('lets only one of a concurrent group lock and project redefinition through', async () => {
      const { root, project, as } = await tree();
      await as.put(groupUrl(root.id), { claims: [{ key: 'team', value: 'platform', mutable: true }] }).expect(200);
      const [lock, redefine] = await Promise.all([
        as.put(groupUrl(root.id), { claims: [{ key: 'team', value: 'platform' }] }),
        as.put(projectUrl(project.id), { claims: [{ key: 'team', value: 'payments' }] }),
      ]);
      expect([lock.status, redefine.status].sort()).toEqual([200, 400]);
      await as.get(`${projectUrl(project.id)}?effective=true`).expect(200);
    });

    it('lets the project of a personal namespace set claims on its own', async () => {
      const owner = await createUser(api, 'solo');
      const project = await resources(api).project(owner);
      await client(api, owner)
        .put(projectUrl(project.id), { claims: [{ key: 'team', value: 'solo' }] })
        .expect(200);
      expect(
        (
          await client(api, owner)
            .get(`${projectUrl(project.id)}?effective=true`)
            .expect(200)
        ).body.claims,
      ).toEqual([{ key: 'team', value: 'solo', mutable: false, source: `project:${project.path_with_namespace}` }]);
    });
  });

  describe('events', () => {
    it('records who changed a level, when, and from what to what, newest first and paginated; a no-op is no change', async () => {
      const { owner, root, as } = await tree();
      await as.put(groupUrl(root.id), { claims: [{ key: 'team', value: 'a' }] }).expect(200);
      await as.put(groupUrl(root.id), { claims: [{ key: 'team', value: 'b', mutable: true }] }).expect(200);
      await as.put(groupUrl(root.id), { claims: [{ key: 'team', value: 'b', mutable: true }] }).expect(200);
      const all = await as.get(`${groupUrl(root.id)}/events`).expect(200);
      expect(all.body).toEqual([
        {
          id: expect.any(Number),
          author: { id: owner.id, username: owner.username, name: owner.username },
          created_at: expect.any(String),
          level: `group:${root.full_path}`,
          before: [{ key: 'team', value: 'a', mutable: false }],
          after: [{ key: 'team', value: 'b', mutable: true }],
        },
        expect.objectContaining({ level: `group:${root.full_path}`, before: [], after: [{ key: 'team', value: 'a', mutable: false }] }),
      ]);
      const page = await as.get(`${groupUrl(root.id)}/events?per_page=1&page=2`).expect(200);
      expect(page.body).toEqual([all.body[1]]);
      expect(page.headers).toMatchObject({ 'x-total': '2', 'x-page': '2', 'x-per-page': '1' });
    });
  });

  describe('lint', () => {
    const lint = (as: ReturnType<typeof client>, projectId: number, content: string) =>
      as.post(`/projects/${projectId}/ci/lint`, { content }).expect(200);

    it('reports a job (and jobs inheriting default:) rewriting a locked claim, naming job, claim and locking level', async () => {
      const { root, sub, project, as } = await tree();
      await as
        .put(groupUrl(root.id), {
          claims: [
            { key: 'team', value: 'platform' },
            { key: 'tier', value: 'bronze', mutable: true },
          ],
        })
        .expect(200);
      await as.put(groupUrl(sub.id), { claims: [{ key: 'region', value: 'eu' }] }).expect(200);
      const content = [
        'default:',
        '  jwt_claims:',
        '    region: us',
        'build:',
        '  script: x',
        'deploy:',
        '  script: x',
        '  jwt_claims:',
        '    tier: gold',
        '    team: payments',
        '    deploy_kind: blue',
        '',
      ].join('\n');
      const response = await lint(as, project.id, content);
      expect(response.body).toMatchObject({
        valid: false,
        errors: [
          `jobs:build:jwt_claims region is immutable: set by group ${sub.full_path}`,
          `jobs:deploy:jwt_claims team is immutable: set by group ${root.full_path}`,
        ],
      });
    });

    it('accepts jobs that add claims or override mutable ones, and names a project-level lock', async () => {
      const { root, project, as } = await tree();
      await as.put(groupUrl(root.id), { claims: [{ key: 'tier', value: 'bronze', mutable: true }] }).expect(200);
      const ok = await lint(as, project.id, 'deploy:\n  script: x\n  jwt_claims:\n    tier: gold\n    deploy_kind: blue\n');
      expect(ok.body).toMatchObject({ valid: true, errors: [] });
      await as.put(projectUrl(project.id), { claims: [{ key: 'deploy_kind', value: 'green' }] }).expect(200);
      const locked = await lint(as, project.id, 'deploy:\n  script: x\n  jwt_claims:\n    tier: gold\n    deploy_kind: blue\n');
      expect(locked.body).toMatchObject({
        valid: false,
        errors: [`jobs:deploy:jwt_claims deploy_kind is immutable: set by project ${(await pathOf(project.id)).fullPath}`],
      });
    });
  });

  async function pathOf(projectId: number): Promise<{ fullPath: string }> {
    const response = await api.http.get(`/api/v4/projects/${projectId}`).set('PRIVATE-TOKEN', api.rootToken).expect(200);
    return { fullPath: response.body.path_with_namespace };
  }
});
