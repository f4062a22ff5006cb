import { type JWTPayload, createLocalJWKSet, jwtVerify } from 'jose';
import { DataSource } from 'typeorm';
import { createCiFixture, requestJob } from './support/ci-fixtures';
import { client, resources } from './support/resources';
import { buildRow, takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, createUser, startTestApp } from './support/test-app';

const AWS_TAGS_KEY = 'https://aws.amazon.com/tags';
const AWS_TAGS = { principal_tags: { team: ['platform'] }, transitive_tag_keys: ['team'] };
const LAST_BUILT_IN = 'aud';
const unregisteredWarning = (name: string) =>
  `custom claim ${name} is not a registered claim name, so any project can set it: a relying party that trusts it must also bind namespace_id or project_id`;

/** The custom claims of a token: everything after `aud`, the last built-in claim, in order. */
function customPart(payload: JWTPayload): [string, unknown][] {
  const entries = Object.entries(payload);
  return entries.slice(entries.findIndex(([key]) => key === LAST_BUILT_IN) + 1);
}

describe('custom claims in ID tokens (pipeline creation, pickup, tokens)', () => {
  let api: TestApp;
  let issuer: string;

  beforeAll(async () => {
    api = await startTestApp();
    issuer = (await api.http.get('/.well-known/openid-configuration').expect(200)).body.issuer;
  });

  afterAll(() => api.close());

  /** Verified through the published JWKS, as a cloud provider does. */
  async function verify(jwt: string, audience?: string): Promise<JWTPayload> {
    const jwks = createLocalJWKSet((await api.http.get('/oauth/discovery/keys').expect(200)).body);
    return (await jwtVerify(jwt, jwks, { algorithms: ['RS256'], ...(audience ? { issuer, audience } : {}) })).payload;
  }

  /** A platform group locking `team` (and the AWS session tags), its project adding `service`; `yaml` on main. */
  async function platform(yaml: string) {
    const owner = await createUser(api, 'owner');
    const group = await resources(api).group(owner);
    const fixture = await createCiFixture(api, yaml, { groupId: group.id, owner });
    const as = client(api, owner);
    await as
      .put(`/groups/${group.id}/ci/id_token_claims`, {
        claims: [
          { key: 'team', value: 'platform' },
          { key: AWS_TAGS_KEY, value: AWS_TAGS },
        ],
      })
      .expect(200);
    await as.put(`/projects/${fixture.projectId}/ci/id_token_claims`, { claims: [{ key: 'service', value: 'billing' }] }).expect(200);
    return { owner, group, fixture, as };
  }

  async function issuances(as: ReturnType<typeof client>, projectId: number) {
    return (await as.get(`/projects/${projectId}/ci/id_token_issuances`).expect(200)).body;
  }

  const DEPLOY =
    'deploy:\n  script: [x]\n  jwt_claims:\n    deploy_kind: blue\n  id_tokens:\n    AWS_TOKEN:\n      aud: sts.amazonaws.com\n';

  describe('tokens', () => {
    it('carry exactly the merged custom claims, after every built-in claim and in a stable order, verified through the JWKS', async () => {
      const { fixture, as } = await platform(DEPLOY);
      await as.post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' }).expect(201);
      const job = await takeJob(api, fixture.runnerToken);
      const payload = await verify(variableMap(job).get('AWS_TOKEN')!.value, 'sts.amazonaws.com');
      expect(customPart(payload)).toEqual([
        ['team', 'platform'],
        [AWS_TAGS_KEY, AWS_TAGS],
        ['service', 'billing'],
        ['deploy_kind', 'blue'],
      ]);
      expect(payload.sub).toMatch(/^project_path:.*:ref_type:branch:ref:main$/);
    });

    it('carry a custom claim value literally: CI variables are never expanded in it', async () => {
      const { fixture, as } = await platform(
        'deploy:\n  script: [x]\n  jwt_claims:\n    branch: $CI_COMMIT_REF_NAME\n  id_tokens:\n    T:\n      aud: a\n',
      );
      await as.post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' }).expect(201);
      const payload = await verify(variableMap(await takeJob(api, fixture.runnerToken)).get('T')!.value, 'a');
      expect(payload.branch).toBe('$CI_COMMIT_REF_NAME');
    });

    it('reach CI_JOB_JWT_V2 but never the v1 CI_JOB_JWT when opt_in_jwt is off', async () => {
      const { fixture, as } = await platform('deploy:\n  script: [x]\n  jwt_claims:\n    deploy_kind: blue\n');
      await as.put(`/projects/${fixture.projectId}`, { ci_opt_in_jwt: false }).expect(200);
      await as.post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' }).expect(201);
      const variables = variableMap(await takeJob(api, fixture.runnerToken));
      const v2 = await verify(variables.get('CI_JOB_JWT_V2')!.value, issuer);
      expect(customPart(v2).map(([key]) => key)).toEqual(['team', AWS_TAGS_KEY, 'service', 'deploy_kind']);
      const v1 = await verify(variables.get('CI_JOB_JWT')!.value);
      expect(v1).not.toHaveProperty('aud');
      expect(Object.keys(v1).filter((key) => ['team', AWS_TAGS_KEY, 'service', 'deploy_kind'].includes(key))).toEqual([]);
      expect(Object.keys(v1).at(-1)).toBe('sub');
    });

    it('fail the job with id_token_claims_invalid, minting nothing, when a group locked the job claim after the pipeline was created', async () => {
      const yaml = 'deploy:\n  script: [x]\n  jwt_claims:\n    team: payments\n  id_tokens:\n    TOKEN:\n      aud: a\n';
      const owner = await createUser(api, 'owner');
      const group = await resources(api).group(owner);
      const fixture = await createCiFixture(api, yaml, { groupId: group.id, owner });
      const as = client(api, owner);
      await as.put(`/groups/${group.id}/ci/id_token_claims`, { claims: [{ key: 'team', value: 'platform', mutable: true }] }).expect(200);
      const pipeline = await as.post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' }).expect(201);
      await as.put(`/groups/${group.id}/ci/id_token_claims`, { claims: [{ key: 'team', value: 'platform' }] }).expect(200);
      await requestJob(api, fixture.runnerToken).expect(204);
      const [job] = (await as.get(`/projects/${fixture.projectId}/pipelines/${pipeline.body.id}/jobs`).expect(200)).body;
      expect(job).toMatchObject({ status: 'failed', failure_reason: 'id_token_claims_invalid' });
      expect(await buildRow(api, job.id)).toMatchObject({ runner_id: null, token_digest: null });
      expect(await issuances(as, fixture.projectId)).toEqual([]);
      const rows = await api.app
        .get(DataSource)
        .query('SELECT count(*)::int AS n FROM ci_id_token_issuances WHERE build_id = $1', [job.id]);
      expect(rows).toEqual([{ n: 0 }]);
    });
  });

  describe('pipeline creation', () => {
    it('refuses a job rewriting a locked claim with a 400 naming job, claim and locking level; nothing is created', async () => {
      const { group, fixture, as } = await platform('deploy:\n  script: [x]\n  jwt_claims:\n    team: payments\n');
      const response = await as.post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' }).expect(400);
      expect(response.body).toEqual({ message: { base: [`jobs:deploy:jwt_claims team is immutable: set by group ${group.full_path}`] } });
      // The fixture's config commit left a skipped push pipeline; the API created none.
      expect((await as.get(`/projects/${fixture.projectId}/pipelines?source=api`).expect(200)).body).toEqual([]);
    });
  });

  describe('token preview', () => {
    const preview = (as: ReturnType<typeof client>, projectId: number, body: object) =>
      as.post(`/projects/${projectId}/ci/id_token_preview`, body);
    const AT_PICKUP = ['pipeline_id', 'job_id', 'runner_id', 'runner_environment', 'jti', 'iat', 'nbf', 'exp'];
    const withoutPickupClaims = (payload: JWTPayload) => Object.entries(payload).filter(([key]) => !AT_PICKUP.includes(key));

    it('equals, field for field and in order, the claims minted later for the same job (all but those decided at pickup)', async () => {
      const yaml = `${DEPLOY}  environment:\n    name: review/$CI_COMMIT_REF_SLUG\n    deployment_tier: staging\n`;
      const { group, fixture, as } = await platform(yaml);
      const shown = await preview(as, fixture.projectId, { ref: 'main', job: 'deploy', pipeline_source: 'api' }).expect(200);
      await as.post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' }).expect(201);
      const minted = await verify(variableMap(await takeJob(api, fixture.runnerToken)).get('AWS_TOKEN')!.value, 'sts.amazonaws.com');

      expect(shown.body.tokens).toHaveLength(1);
      const [token] = shown.body.tokens;
      expect(token.variable).toBe('AWS_TOKEN');
      expect(Object.entries(token.claims)).toEqual(withoutPickupClaims(minted));
      expect(token.claims).toMatchObject({
        environment: 'review/main',
        deployment_tier: 'staging',
        pipeline_source: 'api',
        team: 'platform',
      });
      expect(shown.body).toMatchObject({
        job: 'deploy',
        ref: 'main',
        ref_type: 'branch',
        sha: minted.sha,
        claims_decided_at_pickup: AT_PICKUP,
        sub_claim_components: { components: ['project_path', 'ref_type', 'ref'], source: 'default' },
      });
      const projectSource = `project:${minted.project_path}`;
      expect(token.custom_claims).toEqual([
        { key: 'team', value: 'platform', source: `group:${group.full_path}` },
        { key: AWS_TAGS_KEY, value: AWS_TAGS, source: `group:${group.full_path}` },
        { key: 'service', value: 'billing', source: projectSource },
        { key: 'deploy_kind', value: 'blue', source: 'job:deploy' },
      ]);
      // No name here is registered (the registry is instance-wide; claim-names.integration-spec.ts covers owned ones).
      expect(token.warnings).toEqual(['team', 'service', 'deploy_kind'].map(unregisteredWarning));
    });

    it('shows CI_JOB_JWT_V2 with the custom claims and the v1 token without them when opt_in_jwt is off', async () => {
      const { fixture, as } = await platform('build:\n  script: [x]\n');
      await as.put(`/projects/${fixture.projectId}`, { ci_opt_in_jwt: false }).expect(200);
      const shown = await preview(as, fixture.projectId, { ref: 'main', job: 'build' }).expect(200);
      expect(shown.body.tokens.map((token: { variable: string }) => token.variable)).toEqual(['CI_JOB_JWT', 'CI_JOB_JWT_V2']);
      const [v1, v2] = shown.body.tokens;
      expect(v1.claims).not.toHaveProperty('sub');
      expect(v1.claims).not.toHaveProperty('team');
      expect(v1.custom_claims).toEqual([]);
      expect(v2.claims).toMatchObject({ aud: issuer, team: 'platform', service: 'billing', pipeline_source: 'push' });
    });

    it('previews unsaved content, names where the sub components come from, and warns about sub and secret-looking values', async () => {
      const { group, fixture, as } = await platform(DEPLOY);
      await as.put(`/groups/${group.id}`, { ci_id_token_sub_claim_components: ['project_path', 'ref'] }).expect(200);
      const content =
        'review:\n  script: [x]\n  jwt_claims:\n    ticket: glpat-abcdefghij1234567890\n  id_tokens:\n    VAULT_ID_TOKEN:\n      aud: https://vault.example.com\n';
      const shown = await preview(as, fixture.projectId, { ref: 'main', job: 'review', content }).expect(200);
      expect(shown.body.sub_claim_components).toEqual({
        components: ['project_path', 'ref'],
        source: `group:${group.full_path}`,
        appended: [],
      });
      const [token] = shown.body.tokens;
      expect(token.variable).toBe('VAULT_ID_TOKEN');
      expect(token.claims.sub).toBe(`project_path:${token.claims.project_path}:ref:main`);
      expect(token.custom_claims.at(-1)).toEqual({ key: 'ticket', value: 'glpat-abcdefghij1234567890', source: 'job:review' });
      expect(token.warnings).toEqual([
        expect.stringMatching(/^sub has ref but not ref_type/),
        expect.stringMatching(/^ticket looks like it holds a secret \(a GitLab token/),
        ...['team', 'service', 'ticket'].map(unregisteredWarning),
      ]);
      await as.put(`/projects/${fixture.projectId}`, { ci_id_token_sub_claim_components: ['project_path', 'ref_type', 'ref'] }).expect(200);
      const own = await preview(as, fixture.projectId, { ref: 'main', job: 'deploy' }).expect(200);
      expect(own.body.sub_claim_components.source).toBe('project');
    });

    it('answers 400 with the lint errors for a job rewriting a locked claim, and for a job the config does not have', async () => {
      const { group, fixture, as } = await platform(DEPLOY);
      const content = 'deploy:\n  script: [x]\n  jwt_claims:\n    team: payments\n  id_tokens:\n    T:\n      aud: a\n';
      const locked = await preview(as, fixture.projectId, { ref: 'main', job: 'deploy', content }).expect(400);
      expect(locked.body).toEqual({ message: { base: [`jobs:deploy:jwt_claims team is immutable: set by group ${group.full_path}`] } });
      const missing = await preview(as, fixture.projectId, { ref: 'main', job: 'nope' }).expect(400);
      expect(missing.body).toEqual({ message: { job: ['is not a job of this CI config'] } });
      await preview(as, fixture.projectId, { ref: 'no-such-branch', job: 'deploy' }).expect(400);
    });

    it('answers 422 naming the failure reason when a runner taking the job now would fail it', async () => {
      const { fixture, as } = await platform(DEPLOY);
      const content = 'deploy:\n  script: [x]\n  id_tokens:\n    T:\n      aud: a\n  secrets:\n    DB:\n      vault: db/password@ops\n';
      const response = await preview(as, fixture.projectId, { ref: 'main', job: 'deploy', content }).expect(422);
      expect(response.body).toEqual({
        error: 'job_would_fail',
        failure_reason: 'secrets_provider_not_found',
        message:
          'jobs:deploy would fail when a runner takes it (secrets_provider_not_found): the job has secrets but no VAULT_SERVER_URL variable',
      });
    });

    it('answers 422 for a deploy the caller may not make, a sub over 255 characters, and stored levels that no longer merge, as the pickup fails them', async () => {
      const { owner, group, fixture, as } = await platform(DEPLOY);
      const maintainer = await createUser(api, 'maint');
      await resources(api).addMember(owner, `projects/${fixture.projectId}`, maintainer, 40);
      await as
        .post(`/projects/${fixture.projectId}/protected_environments`, {
          name: 'production',
          deploy_access_levels: [{ user_id: owner.id }],
        })
        .expect(201);
      const deploy = 'deploy:\n  script: [x]\n  environment: production\n  id_tokens:\n    T:\n      aud: a\n';
      const refused = await preview(client(api, maintainer), fixture.projectId, { ref: 'main', job: 'deploy', content: deploy }).expect(
        422,
      );
      expect(refused.body.failure_reason).toBe('protected_environment_failure');
      await preview(as, fixture.projectId, { ref: 'main', job: 'deploy', content: deploy }).expect(200);

      const branch = `feature/${'x'.repeat(230)}`;
      await as.post(`/projects/${fixture.projectId}/repository/branches`, { branch, ref: 'main' }).expect(201);
      const long = await preview(as, fixture.projectId, { ref: branch, job: 'deploy' }).expect(422);
      expect(long.body.failure_reason).toBe('id_token_sub_too_long');

      // As after a transfer under a group that locks the claim: the project's stored `team` no longer merges.
      await api.app
        .get(DataSource)
        .query(
          `INSERT INTO ci_id_token_custom_claims (project_id, key, value, mutable, position) VALUES ($1, 'team', '"payments"', false, 5)`,
          [fixture.projectId],
        );
      const conflict = await preview(as, fixture.projectId, { ref: 'main', job: 'deploy' }).expect(422);
      expect(conflict.body).toMatchObject({
        failure_reason: 'id_token_claims_invalid',
        message: expect.stringContaining(`team is immutable: set by group ${group.full_path}`),
      });
      await as.post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' }).expect(201);
      await requestJob(api, fixture.runnerToken).expect(204);
      const [job] = (await as.get(`/projects/${fixture.projectId}/jobs`).expect(200)).body;
      expect(job).toMatchObject({ status: 'failed', failure_reason: 'id_token_claims_invalid' });
    });

    it('is for maintainers: a developer gets 403, a non-member 404; nothing is written', async () => {
      const { owner, fixture } = await platform(DEPLOY);
      const [developer, outsider] = await Promise.all([createUser(api, 'dev'), createUser(api, 'out')]);
      await resources(api).addMember(owner, `projects/${fixture.projectId}`, developer, 30);
      await preview(client(api, developer), fixture.projectId, { ref: 'main', job: 'deploy' }).expect(403);
      await preview(client(api, outsider), fixture.projectId, { ref: 'main', job: 'deploy' }).expect(404);
      const environments = await api.app
        .get(DataSource)
        .query('SELECT count(*)::int AS n FROM environments WHERE project_id = $1', [fixture.projectId]);
      const content = 'deploy:\n  script: [x]\n  environment: production\n  id_tokens:\n    T:\n      aud: a\n';
      const shown = await preview(client(api, owner), fixture.projectId, { ref: 'main', job: 'deploy', content }).expect(200);
      expect(shown.body.tokens[0].claims).toMatchObject({
        environment: 'production',
        deployment_tier: 'production',
        environment_protected: 'false',
      });
      expect(
        await api.app.get(DataSource).query('SELECT count(*)::int AS n FROM environments WHERE project_id = $1', [fixture.projectId]),
      ).toEqual(environments);
    });
  });
});
