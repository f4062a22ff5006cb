import { DataSource } from 'typeorm';
import { createCiFixture } from './support/ci-fixtures';
import { client, resources } from './support/resources';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

const AUD_SECRET = 'https://aud-7f3kq9.internal.example';
const MASKED_SECRET = 'Zq8mW2vR5tY7uP3x';
const DEPLOY = 'deploy:\n  script: [x]\n  id_tokens:\n    T:\n      aud: [$AUD_SECRET, https://$HOST/x]\n';

/** `GET /projects/:id/ci/id_token_previews`: who previewed which job's tokens, and when; never a value a preview hid. */
describe('token preview audit', () => {
  const clock = new TestClock(new Date('2031-05-04T10:20:30.000Z'));
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({}, { clock });
  });

  afterAll(() => api.close());

  const preview = (who: TestUser, projectId: number, body: object) =>
    client(api, who).post(`/projects/${projectId}/ci/id_token_preview`, body);
  const previews = (who: TestUser, projectId: number, query = '') =>
    client(api, who).get(`/projects/${projectId}/ci/id_token_previews${query}`);
  const author = (user: TestUser) => ({ id: user.id, username: user.username, name: user.username });

  /** A group owner's unmasked AUD_SECRET and masked GROUP_MASKED, a project HOST, and a project maintainer who owns no group. */
  async function groupWithSecrets() {
    const owner = await createUser(api, 'owner');
    const group = await resources(api).group(owner);
    const fixture = await createCiFixture(api, DEPLOY, { groupId: group.id, owner });
    await client(api, owner).post(`/groups/${group.id}/variables`, { key: 'AUD_SECRET', value: AUD_SECRET }).expect(201);
    await client(api, owner).post(`/groups/${group.id}/variables`, { key: 'GROUP_MASKED', value: MASKED_SECRET, masked: true }).expect(201);
    await client(api, owner).post(`/projects/${fixture.projectId}/variables`, { key: 'HOST', value: 'verifier.example' }).expect(201);
    const maintainer = await createUser(api, 'maint');
    await resources(api).addMember(owner, `projects/${fixture.projectId}`, maintainer, 40);
    return { owner, fixture, maintainer };
  }

  it('records each preview: who asked and when (by the clock), job, ref, source, and each token as declared, never a value', async () => {
    const { owner, fixture, maintainer } = await groupWithSecrets();
    const first = await preview(maintainer, fixture.projectId, { ref: 'main', job: 'deploy' }).expect(200);
    clock.advance(60);
    // The owner is shown AUD_SECRET's value; the audit, which every maintainer reads, still must not keep it.
    const second = await preview(owner, fixture.projectId, { ref: 'main', job: 'deploy', pipeline_source: 'web', content: DEPLOY }).expect(
      200,
    );
    expect(second.body.tokens[0].claims.aud).toEqual([AUD_SECRET, 'https://verifier.example/x']);

    const listed = await previews(maintainer, fixture.projectId).expect(200);
    const token = { variable: 'T', aud: ['$AUD_SECRET', 'https://$HOST/x'], sub: first.body.tokens[0].claims.sub };
    expect(listed.body).toEqual([
      {
        id: expect.any(Number),
        created_at: '2031-05-04T10:21:30.000Z',
        author: author(owner),
        ref: 'main',
        sha: first.body.sha,
        job: 'deploy',
        pipeline_source: 'web',
        unsaved_config: true,
        tokens: [token],
        failure_reason: null,
      },
      {
        id: expect.any(Number),
        created_at: '2031-05-04T10:20:30.000Z',
        author: author(maintainer),
        ref: 'main',
        sha: first.body.sha,
        job: 'deploy',
        pipeline_source: 'push',
        unsaved_config: false,
        tokens: [token],
        failure_reason: null,
      },
    ]);
    const rows = await api.app
      .get(DataSource)
      .query('SELECT row_to_json(p)::text AS row FROM ci_id_token_previews p WHERE project_id = $1', [fixture.projectId]);
    expect(rows).toHaveLength(2);
    for (const stored of [JSON.stringify(listed.body), ...rows.map(({ row }: { row: string }) => row)]) {
      expect(stored).not.toContain('aud-7f3kq9');
      expect(stored).not.toContain('verifier.example');
      expect(stored).not.toContain(MASKED_SECRET);
      expect(stored).not.toMatch(/eyJ|glcbt-/);
    }
  });

  it('records a preview a runner taking the job would refuse (422) with its reason; a request refused as invalid (400) is no preview', async () => {
    const { fixture, maintainer } = await groupWithSecrets();
    const vault = 'deploy:\n  script: [x]\n  id_tokens:\n    T:\n      aud: a\n  secrets:\n    DB:\n      vault: db/password@ops\n';
    await preview(maintainer, fixture.projectId, { ref: 'main', job: 'deploy', content: vault }).expect(422);
    await preview(maintainer, fixture.projectId, { ref: 'main', job: 'nope' }).expect(400);
    await preview(maintainer, fixture.projectId, { ref: 'no-such-branch', job: 'deploy' }).expect(400);

    const listed = await previews(maintainer, fixture.projectId).expect(200);
    expect(listed.body).toEqual([
      expect.objectContaining({
        author: author(maintainer),
        job: 'deploy',
        unsaved_config: true,
        tokens: [],
        failure_reason: 'secrets_provider_not_found',
      }),
    ]);
  });

  it('lists for maintainers only, newest first, a page at a time', async () => {
    const { owner, fixture, maintainer } = await groupWithSecrets();
    const [developer, outsider] = await Promise.all([createUser(api, 'dev'), createUser(api, 'out')]);
    await resources(api).addMember(owner, `projects/${fixture.projectId}`, developer, 30);
    for (const source of ['push', 'web', 'api'])
      await preview(maintainer, fixture.projectId, { ref: 'main', job: 'deploy', pipeline_source: source }).expect(200);

    const page = await previews(maintainer, fixture.projectId, '?per_page=2&page=2').expect(200);
    expect(page.body.map((entry: { pipeline_source: string }) => entry.pipeline_source)).toEqual(['push']);
    expect(page.headers).toMatchObject({ 'x-page': '2', 'x-per-page': '2', 'x-total': '3', 'x-total-pages': '2' });
    await previews(developer, fixture.projectId).expect(403);
    await previews(outsider, fixture.projectId).expect(404);
  });
});
