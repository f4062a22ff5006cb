import { type JWTPayload, decodeJwt } from 'jose';
import { DataSource } from 'typeorm';
import { commitCiConfig, createCiFixture, requestJob } from './support/ci-fixtures';
import { client, resources } from './support/resources';
import { buildRow, takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, TestUser, createUser, startTestApp, uniqueName } from './support/test-app';

const AWS_TAGS_KEY = 'https://aws.amazon.com/tags';
const NAMES = '/admin/ci/id_token_claim_names';

/**
 * Issue 14, items 1 and 5: a custom claim name means one owner. A name an admin registered to a top-level group is
 * set only inside that group's tree; a registered JWT or OpenID Connect name, or one a cloud reads, is set nowhere.
 */
describe('custom claim names: ownership and reserved names', () => {
  let api: TestApp;
  let admin: ReturnType<typeof client>;

  beforeAll(async () => {
    api = await startTestApp();
    admin = client(api, api.rootToken);
  });

  afterAll(() => api.close());

  const job = (claims: string) =>
    `deploy:\n  script: [x]\n  jwt_claims:\n${claims}  id_tokens:\n    VAULT_ID_TOKEN:\n      aud: https://vault.example.com\n`;

  /** A top-level group that owns a fresh claim name (`name`), and an outsider with a project of their own. */
  async function ownedName() {
    const owner = await createUser(api, 'owner');
    const group = await resources(api).group(owner);
    const name = `team_${uniqueName('n').replace(/[^a-z0-9]/g, '_')}`.slice(0, 60);
    await admin.post(NAMES, { name, namespace_id: group.id }).expect(201);
    const outsider = await createUser(api, 'outsider');
    return { owner, group, name, outsider };
  }

  async function jobsOf(as: ReturnType<typeof client>, projectId: number, pipelineId: number) {
    return (await as.get(`/projects/${projectId}/pipelines/${pipelineId}/jobs`).expect(200)).body;
  }

  describe('the registry (admin)', () => {
    it('registers, lists and deletes names with their owning top-level group, or open to all', async () => {
      const { group, name } = await ownedName();
      const open = `open_${uniqueName('n').replace(/[^a-z0-9]/g, '_')}`.slice(0, 60);
      const created = await admin.post(NAMES, { name: open }).expect(201);
      expect(created.body).toMatchObject({ name: open, namespace_id: null, namespace_full_path: null });
      const list = (await admin.get(`${NAMES}?per_page=100`).expect(200)).body as { name: string }[];
      expect(list.find((row) => row.name === name)).toMatchObject({ name, namespace_id: group.id, namespace_full_path: group.full_path });
      expect(list.find((row) => row.name === open)).toMatchObject({ name: open, namespace_id: null });
      await admin.delete(`${NAMES}/${encodeURIComponent(open)}`).expect(204);
      await admin.delete(`${NAMES}/${encodeURIComponent(open)}`).expect(404);
    });

    it('is for admins only', async () => {
      const { owner, group } = await ownedName();
      await client(api, owner).get(NAMES).expect(403);
      await client(api, owner).post(NAMES, { name: 'mine', namespace_id: group.id }).expect(403);
    });

    it('refuses a subgroup owner, a user namespace, an unknown group, a taken, reserved or malformed name', async () => {
      const { owner, group, name } = await ownedName();
      const subgroup = await resources(api).group(owner, { parent_id: group.id });
      const personal = (await client(api, owner).get('/user').expect(200)).body;
      const [{ id: personalNamespace }] = await api.app
        .get(DataSource)
        .query(`SELECT id FROM namespaces WHERE type = 'User' AND owner_id = $1`, [personal.id]);
      const fresh = `x_${uniqueName('n').replace(/[^a-z0-9]/g, '_')}`.slice(0, 60);
      expect((await admin.post(NAMES, { name: fresh, namespace_id: subgroup.id }).expect(400)).body).toEqual({
        message: { namespace_id: ['must be a top-level group'] },
      });
      await admin.post(NAMES, { name: fresh, namespace_id: personalNamespace }).expect(400);
      await admin.post(NAMES, { name: fresh, namespace_id: 999_999_999 }).expect(404);
      expect((await admin.post(NAMES, { name }).expect(409)).body).toEqual({ message: `Claim name ${name} has already been registered` });
      await admin.post(NAMES, { name: 'groups' }).expect(400);
      await admin.post(NAMES, { name: 'Team' }).expect(400);
    });
  });

  describe('an owned name', () => {
    it('is refused (400) at the level of a project or group outside its owner, for the AWS session tags too', async () => {
      const { group, name, outsider } = await ownedName();
      const project = await resources(api).project(outsider);
      const as = client(api, outsider);
      const refused = await as
        .put(`/projects/${project.id}/ci/id_token_claims`, { claims: [{ key: name, value: 'platform' }] })
        .expect(400);
      expect(refused.body.message.claims).toEqual([
        `${name} is owned by group ${group.full_path}: only that group and the groups and projects below it may set it`,
      ]);
      const tags = { principal_tags: { [name.toUpperCase()]: ['platform'] }, transitive_tag_keys: [name] };
      const tagged = await as
        .put(`/projects/${project.id}/ci/id_token_claims`, { claims: [{ key: AWS_TAGS_KEY, value: tags }] })
        .expect(400);
      expect(tagged.body.message.claims[0]).toContain(`${name} is owned by group ${group.full_path}`);
      const otherGroup = await resources(api).group(outsider);
      await as.put(`/groups/${otherGroup.id}/ci/id_token_claims`, { claims: [{ key: name, value: 'platform' }] }).expect(400);
      expect((await as.get(`/projects/${project.id}/ci/id_token_claims`).expect(200)).body).toEqual({ claims: [] });
    });

    it('is a lint error and refuses the pipeline for a job outside its owner; nothing is created', async () => {
      const { group, name, outsider } = await ownedName();
      const fixture = await createCiFixture(api, job(`    ${name}: platform\n`), { owner: outsider });
      const as = client(api, outsider);
      const lint = await as.post(`/projects/${fixture.projectId}/ci/lint`, { content: job(`    ${name}: platform\n`) }).expect(200);
      expect(lint.body.valid).toBe(false);
      expect(lint.body.errors).toEqual([
        `jobs:deploy:jwt_claims ${name} is owned by group ${group.full_path}: only that group and the groups and projects below it may set it`,
      ]);
      const created = await as.post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' }).expect(400);
      expect(created.body.message.base[0]).toContain(`jobs:deploy:jwt_claims ${name} is owned by group`);
      await requestJob(api, fixture.runnerToken).expect(204);
    });

    it('may be set by the owner group, a subgroup, a project and a job below it, and reaches the token', async () => {
      const { owner, group, name } = await ownedName();
      const subgroup = await resources(api).group(owner, { parent_id: group.id });
      const as = client(api, owner);
      await as.put(`/groups/${subgroup.id}/ci/id_token_claims`, { claims: [{ key: name, value: 'platform', mutable: true }] }).expect(200);
      const fixture = await createCiFixture(api, job(`    ${name}: payments\n`), { groupId: subgroup.id, owner });
      await as
        .put(`/projects/${fixture.projectId}/ci/id_token_claims`, {
          claims: [{ key: AWS_TAGS_KEY, value: { principal_tags: { [name]: ['x'] } } }],
        })
        .expect(200);
      const lint = await as.post(`/projects/${fixture.projectId}/ci/lint`, { content: job(`    ${name}: payments\n`) }).expect(200);
      expect(lint.body).toMatchObject({ valid: true, errors: [] });
      expect(lint.body.warnings.filter((warning: string) => warning.includes(`${name} is`))).toEqual([]);
      await as.post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' }).expect(201);
      const token = decodeJwt(variableMap(await takeJob(api, fixture.runnerToken)).get('VAULT_ID_TOKEN')!.value);
      expect(token[name]).toBe('payments');
    });

    it('stored outside its owner before it was registered fails the job at pickup with id_token_claim_not_owned; nothing is minted', async () => {
      const owner = await createUser(api, 'owner');
      const group = await resources(api).group(owner);
      const outsider = await createUser(api, 'outsider');
      const name = `late_${uniqueName('n').replace(/[^a-z0-9]/g, '_')}`.slice(0, 60);
      const fixture = await createCiFixture(api, job('    deploy_kind: blue\n'), { owner: outsider });
      const as = client(api, outsider);
      await as.put(`/projects/${fixture.projectId}/ci/id_token_claims`, { claims: [{ key: name, value: 'platform' }] }).expect(200);
      const pipeline = await as.post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' }).expect(201);
      await admin.post(NAMES, { name, namespace_id: group.id }).expect(201);
      await requestJob(api, fixture.runnerToken).expect(204);
      const [failed] = await jobsOf(as, fixture.projectId, pipeline.body.id);
      expect(failed).toMatchObject({ status: 'failed', failure_reason: 'id_token_claim_not_owned' });
      expect(await buildRow(api, failed.id)).toMatchObject({ runner_id: null, token_digest: null });
      expect((await as.get(`/projects/${fixture.projectId}/ci/id_token_issuances`).expect(200)).body).toEqual([]);
    });

    it('in a job created before it was registered fails that job at pickup too (the job level is checked again)', async () => {
      const owner = await createUser(api, 'owner');
      const group = await resources(api).group(owner);
      const outsider = await createUser(api, 'outsider');
      const name = `late_${uniqueName('n').replace(/[^a-z0-9]/g, '_')}`.slice(0, 60);
      const fixture = await createCiFixture(api, job(`    ${name}: platform\n`), { owner: outsider });
      const as = client(api, outsider);
      const pipeline = await as.post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' }).expect(201);
      await admin.post(NAMES, { name, namespace_id: group.id }).expect(201);
      await requestJob(api, fixture.runnerToken).expect(204);
      expect((await jobsOf(as, fixture.projectId, pipeline.body.id))[0]).toMatchObject({
        status: 'failed',
        failure_reason: 'id_token_claim_not_owned',
      });
    });
  });

  describe('an open or unregistered name', () => {
    it('may be set anywhere, with a lint and preview warning that any project can set it', async () => {
      const outsider = await createUser(api, 'outsider');
      const open = `open_${uniqueName('n').replace(/[^a-z0-9]/g, '_')}`.slice(0, 60);
      await admin.post(NAMES, { name: open }).expect(201);
      const yaml = job(`    ${open}: a\n    free_form: b\n`);
      const fixture = await createCiFixture(api, yaml, { owner: outsider });
      const as = client(api, outsider);
      const lint = await as.post(`/projects/${fixture.projectId}/ci/lint`, { content: yaml }).expect(200);
      expect(lint.body).toMatchObject({ valid: true, errors: [] });
      expect(lint.body.warnings).toEqual(
        expect.arrayContaining([
          `jobs:deploy:jwt_claims ${open} is open to every project: a relying party that trusts it must also bind namespace_id or project_id`,
          'jobs:deploy:jwt_claims free_form is not a registered claim name, so any project can set it: a relying party that trusts it must also bind namespace_id or project_id',
        ]),
      );
      const preview = await as.post(`/projects/${fixture.projectId}/ci/id_token_preview`, { ref: 'main', job: 'deploy' }).expect(200);
      expect(preview.body.tokens[0].warnings).toEqual(
        expect.arrayContaining([
          `custom claim ${open} is open to every project: a relying party that trusts it must also bind namespace_id or project_id`,
          'custom claim free_form is not a registered claim name, so any project can set it: a relying party that trusts it must also bind namespace_id or project_id',
        ]),
      );
      await as.post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' }).expect(201);
      const token = decodeJwt(variableMap(await takeJob(api, fixture.runnerToken)).get('VAULT_ID_TOKEN')!.value);
      expect(token).toMatchObject({ [open]: 'a', free_form: 'b' });
    });
  });

  describe('reserved names (IANA JWT claims, OpenID Connect, and what AWS, Azure, GCP and Kubernetes read)', () => {
    const RESERVED = [
      'groups',
      'email',
      'preferred_username',
      'roles',
      'azp',
      'scope',
      'amr',
      'acr',
      'tid',
      'oid',
      'client_id',
      'cnf',
      'act',
    ];

    it.each(RESERVED)('refuses %s at the API and in lint', async (name) => {
      const user: TestUser = await createUser(api, 'user');
      const fixture = await createCiFixture(api, job('    deploy_kind: blue\n'), { owner: user });
      const as = client(api, user);
      const refused = await as
        .put(`/projects/${fixture.projectId}/ci/id_token_claims`, { claims: [{ key: name, value: ['system:masters'] }] })
        .expect(400);
      expect(refused.body.message.claims[0]).toContain(`reserved claim name: ${name}`);
      const lint = await as.post(`/projects/${fixture.projectId}/ci/lint`, { content: job(`    ${name}: [system:masters]\n`) }).expect(200);
      expect(lint.body.valid).toBe(false);
      expect(lint.body.errors.join('\n')).toContain(name);
    });

    it('fails at pickup a job whose stored level holds a reserved name (written before the list grew); nothing is minted', async () => {
      const user = await createUser(api, 'user');
      const fixture = await createCiFixture(api, job('    deploy_kind: blue\n'), { owner: user });
      const as = client(api, user);
      await api.app
        .get(DataSource)
        .query(
          `INSERT INTO ci_id_token_custom_claims (project_id, key, value, mutable, position) VALUES ($1, 'groups', '["system:masters"]', false, 0)`,
          [fixture.projectId],
        );
      const pipeline = await as.post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' }).expect(201);
      await requestJob(api, fixture.runnerToken).expect(204);
      expect((await jobsOf(as, fixture.projectId, pipeline.body.id))[0]).toMatchObject({
        status: 'failed',
        failure_reason: 'id_token_claims_invalid',
      });
    });
  });

  /** For the README's claim: a name is trusted only with the namespace it is owned by. */
  it('keeps the owner group, not the claim value, as what tells two tokens apart', async () => {
    const { owner, group, name, outsider } = await ownedName();
    const inside = await createCiFixture(api, job(`    ${name}: platform\n`), { groupId: group.id, owner });
    await client(api, owner).post(`/projects/${inside.projectId}/pipeline`, { ref: 'main' }).expect(201);
    const token: JWTPayload = decodeJwt(variableMap(await takeJob(api, inside.runnerToken)).get('VAULT_ID_TOKEN')!.value);
    expect(token).toMatchObject({ [name]: 'platform', namespace_id: String(group.id) });
    const outside = await createCiFixture(api, job('    deploy_kind: blue\n'), { owner: outsider });
    await commitCiConfig(api, outsider, outside.projectId, job(`    ${name}: platform\n`), 'main');
    await client(api, outsider).post(`/projects/${outside.projectId}/pipeline`, { ref: 'main' }).expect(400);
  });
});
