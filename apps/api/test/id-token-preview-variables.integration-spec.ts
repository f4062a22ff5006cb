import { type JWTPayload, decodeJwt } from 'jose';
import { createCiFixture } from './support/ci-fixtures';
import { client, resources } from './support/resources';
import { takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';

const AUD_SECRET = 'https://aud-7f3kq9.internal.example';
const MASKED_SECRET = 'Zq8mW2vR5tY7uP3x';
const DEPLOY = 'deploy:\n  script: [x]\n  id_tokens:\n    T:\n      aud: $AUD_SECRET\n';
const AT_PICKUP = ['pipeline_id', 'job_id', 'runner_id', 'runner_environment', 'jti', 'iat', 'nbf', 'exp'];

/**
 * The token preview expands only the CI/CD variables its caller may read through the variables API: a group's
 * variables are for that group's owners, so a project maintainer sees a placeholder and a warning, never the value.
 */
describe('token preview and CI/CD variables', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });

  afterAll(() => api.close());

  const preview = (who: TestUser | string, projectId: number, body: object) =>
    client(api, who).post(`/projects/${projectId}/ci/id_token_preview`, body);

  /** A group whose owner set AUD_SECRET (unmasked) and a masked variable; its project with `yaml` and a maintainer who owns no group. */
  async function groupWithSecrets(yaml: string) {
    const owner = await createUser(api, 'owner');
    const group = await resources(api).group(owner);
    const fixture = await createCiFixture(api, yaml, { groupId: group.id, owner });
    await client(api, owner).post(`/groups/${group.id}/variables`, { key: 'AUD_SECRET', value: AUD_SECRET }).expect(201);
    await client(api, owner).post(`/groups/${group.id}/variables`, { key: 'GROUP_MASKED', value: MASKED_SECRET, masked: true }).expect(201);
    const maintainer = await createUser(api, 'maint');
    await resources(api).addMember(owner, `projects/${fixture.projectId}`, maintainer, 40);
    return { owner, group, fixture, maintainer };
  }

  it('shows a project maintainer a placeholder for a group variable they cannot read, with a warning naming it, never its value', async () => {
    const { group, fixture, maintainer } = await groupWithSecrets(DEPLOY);
    await client(api, maintainer).get(`/groups/${group.id}/variables/AUD_SECRET`).expect(404);
    const content =
      'variables:\n  VIA_YAML: "https://${AUD_SECRET}/x"\n' +
      'deploy:\n  script: [x]\n  id_tokens:\n    T:\n      aud: $AUD_SECRET\n    T2:\n      aud: [$VIA_YAML, https://literal.example]\n';

    const shown = await preview(maintainer, fixture.projectId, { ref: 'main', job: 'deploy', content }).expect(200);

    expect(JSON.stringify(shown.body)).not.toContain('aud-7f3kq9');
    const [token, viaYaml] = shown.body.tokens;
    expect(token.claims.aud).toBe('[hidden: AUD_SECRET]');
    expect(viaYaml.claims.aud).toEqual(['https://[hidden: AUD_SECRET]/x', 'https://literal.example']);
    for (const each of [token, viaYaml]) {
      expect(each.warnings).toEqual([expect.stringMatching(/^aud uses AUD_SECRET, a CI\/CD variable you may not read/)]);
    }
  });

  it('gives no hint of a masked group variable the caller cannot read, not even a secret warning on a claim that holds it', async () => {
    const { fixture, maintainer } = await groupWithSecrets(DEPLOY);
    // A guess at the masked value, in a claim the maintainer controls: the warning would confirm the guess.
    await client(api, maintainer)
      .put(`/projects/${fixture.projectId}/ci/id_token_claims`, { claims: [{ key: 'probe', value: `x${MASKED_SECRET}x` }] })
      .expect(200);
    const shown = await preview(maintainer, fixture.projectId, { ref: 'main', job: 'deploy' }).expect(200);
    // The name warning is about who may set `probe`, not its value.
    expect(shown.body.tokens[0].warnings).toEqual([
      expect.stringMatching(/^aud uses AUD_SECRET/),
      expect.stringMatching(/^custom claim probe is not a registered claim name/),
    ]);
  });

  it('expands only the groups the caller owns: a subgroup owner sees the subgroup variable, not the root group one; an admin sees both', async () => {
    const owner = await createUser(api, 'owner');
    const root = await resources(api).group(owner);
    const sub = await resources(api).group(owner, { parent_id: root.id });
    const content = 'deploy:\n  script: [x]\n  id_tokens:\n    T:\n      aud: [$ROOT_AUD, $SUB_AUD]\n';
    const fixture = await createCiFixture(api, content, { groupId: sub.id, owner });
    await client(api, owner).post(`/groups/${root.id}/variables`, { key: 'ROOT_AUD', value: 'https://root.example' }).expect(201);
    await client(api, owner).post(`/groups/${sub.id}/variables`, { key: 'SUB_AUD', value: 'https://sub.example' }).expect(201);
    const subOwner = await createUser(api, 'subowner');
    await resources(api).addMember(owner, `groups/${sub.id}`, subOwner, 50);

    const shown = await preview(subOwner, fixture.projectId, { ref: 'main', job: 'deploy' }).expect(200);
    expect(shown.body.tokens[0].claims.aud).toEqual(['[hidden: ROOT_AUD]', 'https://sub.example']);
    for (const everything of [owner, api.rootToken]) {
      const all = await preview(everything, fixture.projectId, { ref: 'main', job: 'deploy' }).expect(200);
      expect(all.body.tokens[0].claims.aud).toEqual(['https://root.example', 'https://sub.example']);
    }
  });

  it('shows a group owner the value, and equals the token minted later field for field', async () => {
    const { owner, fixture } = await groupWithSecrets(DEPLOY);
    const shown = await preview(owner, fixture.projectId, { ref: 'main', job: 'deploy', pipeline_source: 'api' }).expect(200);
    await client(api, owner).post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' }).expect(201);
    const minted: JWTPayload = decodeJwt(variableMap(await takeJob(api, fixture.runnerToken)).get('T')!.value);

    const [token] = shown.body.tokens;
    expect(token.claims.aud).toBe(AUD_SECRET);
    expect(Object.entries(token.claims)).toEqual(Object.entries(minted).filter(([key]) => !AT_PICKUP.includes(key)));
    expect(token.warnings).toEqual([]);
  });
});
