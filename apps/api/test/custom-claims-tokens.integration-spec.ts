import { type JWTPayload, createLocalJWKSet, jwtVerify } from 'jose';
import { DataSource } from 'typeorm';
import { createCiFixture, requestJob } from './support/ci-fixtures';
import { client, resources } from './support/resources';
import { buildRow, takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, createUser, startTestApp } from './support/test-app';

const AWS_TAGS_KEY = 'https://aws.amazon.com/tags';
const AWS_TAGS = { principal_tags: { team: ['platform'] }, transitive_tag_keys: ['team'] };
const LAST_BUILT_IN = 'aud';

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
    await as.put(`/groups/${group.id}/ci/id_token_claims`, { claims: [{ key: 'team', value: 'platform' }, { key: AWS_TAGS_KEY, value: AWS_TAGS }] }).expect(200);
    await as.put(`/projects/${fixture.projectId}/ci/id_token_claims`, { claims: [{ key: 'service', value: 'billing' }] }).expect(200);
    return { owner, group, fixture, as };
  }

  async function issuances(as: ReturnType<typeof client>, projectId: number) {
    return (await as.get(`/projects/${projectId}/ci/id_token_issuances`).expect(200)).body;
  }

  const DEPLOY = 'deploy:\n  script: [x]\n  jwt_claims:\n    deploy_kind: blue\n  id_tokens:\n    AWS_TOKEN:\n      aud: sts.amazonaws.com\n';

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
      const rows = await api.app.get(DataSource).query('SELECT count(*)::int AS n FROM ci_id_token_issuances WHERE build_id = $1', [job.id]);
      expect(rows).toEqual([{ n: 0 }]);
    });
  });

  describe('pipeline creation', () => {
    it('refuses a job rewriting a locked claim with a 400 naming job, claim and locking level; nothing is created', async () => {
      const { group, fixture, as } = await platform('deploy:\n  script: [x]\n  jwt_claims:\n    team: payments\n');
      const response = await as.post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' }).expect(400);
      expect(response.body).toEqual({ message: { base: [`jobs:deploy:jwt_claims team is immutable: set by group ${group.full_path}`] } });
      expect((await as.get(`/projects/${fixture.projectId}/pipelines`).expect(200)).body).toEqual([]);
    });
  });
});

