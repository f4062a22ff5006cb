import { readFileSync } from 'node:fs';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { DataSource } from 'typeorm';
import { commitCiConfig, requestJob } from './support/ci-fixtures';
import { README_PATH, ReadmePolicies, idBindings, judgeAll, localise, readReadmePolicies, tokenAudiences } from './support/readme-policies';
import { client, resources } from './support/resources';
import { JobPayload, createRunner, runPipeline, takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';
import { Claims, VaultRole, judgeAws, judgeVault } from './support/trust-policies';

const REPORTER = 20;
const DEVELOPER = 30;
const MAINTAINER = 40;
const AWS_TAGS_KEY = 'https://aws.amazon.com/tags';
/** What the README's group `acme/platform` sets for every project below it, and what anyone else can write too. */
const TEAM_CLAIMS = [
  { key: 'team', value: 'platform' },
  { key: AWS_TAGS_KEY, value: { principal_tags: { team: ['platform'] }, transitive_tag_keys: ['team'] } },
];
/** The README's project sets this for its AWS role (step 4); every project here does, hostile ones too. */
const SUB_COMPONENTS = ['project_id', 'ref_type', 'ref'];

type JobTokens = { readonly vault: Claims; readonly aws: Claims; readonly gcp: Claims };
const TOKEN_VARIABLES = { vault: 'VAULT_ID_TOKEN', aws: 'AWS_TOKEN', gcp: 'GCP_TOKEN' } as const;

/**
 * Issue 14: the README's example trust policies (Vault, AWS, Google), read from README.md, judge real tokens. The
 * intended project's protected `main` passes every one; every one fails a token from another project writing the same
 * custom claims, from a fork, from a project on a reclaimed path, and from an unprotected branch. Each hostile token
 * asks for the audience each policy expects, so what stops it is what the policy binds, and the test says which.
 */
describe('README trust policies', () => {
  let api: TestApp;
  let issuer: string;
  let host: string;
  let readme: ReadmePolicies;
  let audiences: Record<keyof JobTokens, string>;
  let environment: string;

  beforeAll(async () => {
    api = await startTestApp();
    issuer = (await api.http.get('/.well-known/openid-configuration').expect(200)).body.issuer;
    host = new URL(issuer).host;
    readme = readReadmePolicies();
    audiences = tokenAudiences(readme);
    environment = String(readme.vault['app-production'].bound_claims.environment);
  });

  afterAll(() => api.close());

  /** The README's deploy job, asking for each token with the audience its policy expects. */
  function deployJob(withEnvironment: boolean): string {
    const tokens = Object.entries(TOKEN_VARIABLES).map(
      ([kind, name]) => `    ${name}:\n      aud: ${JSON.stringify(audiences[kind as keyof JobTokens])}\n`,
    );
    return `deploy:\n  script: [./deploy.sh]\n${withEnvironment ? `  environment: ${environment}\n` : ''}  id_tokens:\n${tokens.join('')}`;
  }

  /** A new project (`body` as for POST /projects) set up by `setUpCi`. */
  async function ciProject(owner: TestUser, body: Record<string, unknown>, claims = false) {
    return setUpCi(owner, (await resources(api).project(owner, body)).id, claims);
  }

  /** The deploy job on main, the sub setting, a protected environment, a runner; `claims` sets TEAM_CLAIMS on the project. */
  async function setUpCi(owner: TestUser, projectId: number, claims: boolean) {
    const as = client(api, owner);
    await as.put(`/projects/${projectId}`, { ci_id_token_sub_claim_components: SUB_COMPONENTS }).expect(200);
    await as
      .post(`/projects/${projectId}/protected_environments`, { name: environment, deploy_access_levels: [{ access_level: MAINTAINER }] })
      .expect(201);
    if (claims) await as.put(`/projects/${projectId}/ci/id_token_claims`, { claims: TEAM_CLAIMS }).expect(200);
    await commitCiConfig(api, owner, projectId, deployJob(true), 'main');
    const runner = await createRunner(api, owner, { runner_type: 'project_type', project_id: projectId });
    return { id: projectId, runnerToken: runner.token };
  }

  /** The README's world: group `acme/platform` setting TEAM_CLAIMS, project `acme/platform/app`, and the policies localised to them. */
  async function intended() {
    const owner = await createUser(api, 'alice');
    const acme = await resources(api).group(owner);
    const platform = await resources(api).group(owner, { parent_id: acme.id, path: 'platform', name: 'platform' });
    await client(api, owner).put(`/groups/${platform.id}/ci/id_token_claims`, { claims: TEAM_CLAIMS }).expect(200);
    const app = await ciProject(owner, { namespace_id: platform.id, path: 'app' });
    const path = `${acme.full_path}/platform/app`;
    const policies = localise(readme, {
      issuer,
      claims: { project_id: String(app.id), namespace_id: String(platform.id), project_path: path, namespace_path: platform.full_path },
    });
    return { owner, acme, platform, app, path, policies };
  }

  /** Every ID token of a job, verified through the published JWKS with its audience, as each relying party does. */
  async function tokensOf(job: JobPayload): Promise<JobTokens> {
    const jwks = createLocalJWKSet((await api.http.get('/oauth/discovery/keys').expect(200)).body);
    const verified = async (kind: keyof JobTokens) =>
      (
        await jwtVerify(variableMap(job).get(TOKEN_VARIABLES[kind])!.value, jwks, {
          issuer,
          audience: audiences[kind],
          algorithms: ['RS256'],
        })
      ).payload as Claims;
    return { vault: await verified('vault'), aws: await verified('aws'), gcp: await verified('gcp') };
  }

  async function mint(who: TestUser, projectId: number, runnerToken: string, ref = 'main'): Promise<JobTokens> {
    await runPipeline(api, who, projectId, ref);
    return tokensOf(await takeJob(api, runnerToken));
  }

  const ADMITTED = {
    'vault:app-production': [],
    'vault:platform-deploy': [],
    'aws:AppProductionMain': [],
    'aws:PlatformTeamSessionTags': [],
    'gcp:lanyard': [],
  };

  /** How the README's policies judge a token from another project: only the id bindings stop it. */
  const refusedByIds = () => ({
    'vault:app-production': ['project_id'],
    'vault:platform-deploy': ['namespace_id'],
    'aws:AppProductionMain': [`${host}:sub`],
    'aws:PlatformTeamSessionTags': [`${host}:sub`],
    'gcp:lanyard': ['attribute-condition', 'member'],
  });

  it('reads exactly the README’s policies, each binding project_id or namespace_id, and fails loudly on one it cannot read', () => {
    expect(idBindings(readme)).toEqual({
      'vault:app-production': ['project_id'],
      'vault:platform-deploy': ['namespace_id'],
      'aws:AppProductionMain': ['project_id'],
      'aws:PlatformTeamSessionTags': ['project_id'],
      'gcp:lanyard': ['project_id'],
    });
    expect(readme.vaultIssuer).toBe('https://ci.example.com');
    expect(audiences).toEqual({
      vault: 'https://vault.example.com',
      aws: 'sts.amazonaws.com',
      gcp: 'https://iam.googleapis.com/projects/987654321098/locations/global/workloadIdentityPools/ci/providers/lanyard',
    });

    const markdown = readFileSync(README_PATH, 'utf8');
    const oldStyleRole = '\n```sh\nvault write auth/jwt/role/other role_type=jwt bound_claims=\'{"team":"platform"}\'\n```\n';
    expect(() => readReadmePolicies(markdown + oldStyleRole)).toThrow('README: 2 Vault roles read, but the README names 3');
    expect(() => readReadmePolicies(markdown.replace(/ \\\n\s*--attribute-condition='[^']*'/, ''))).toThrow(
      'README: expected one --attribute-condition, found 0',
    );
    expect(() =>
      localise(readReadmePolicies(markdown.replace(/("bound_claims": \{\s*"project_id": )"12"/, '$1"13"')), {
        issuer,
        claims: { project_id: '1', namespace_id: '1', project_path: 'a/b', namespace_path: 'a' },
      }),
    ).toThrow("README policy: project_id 13 is not the example's");
  });

  it('admits the protected main of the intended project, deploying to its protected environment, under every policy', async () => {
    const { owner, app, policies } = await intended();
    const tokens = await mint(owner, app.id, app.runnerToken);
    expect(tokens.aws).toMatchObject({
      sub: `project_id:${app.id}:ref_type:branch:ref:main`,
      team: 'platform',
      environment_protected: 'true',
    });
    expect(judgeAll(policies, tokens)).toEqual(ADMITTED);
  });

  it('refuses an outsider’s own project writing the same custom claims and AWS session tags; without the ids, the custom-claim policies would admit it', async () => {
    const { policies } = await intended();
    const mallory = await createUser(api, 'mallory');
    const own = await ciProject(mallory, { path: 'app' }, true);
    const tokens = await mint(mallory, own.id, own.runnerToken);
    expect(tokens.vault).toMatchObject({
      team: 'platform',
      ref: 'main',
      ref_protected: 'true',
      environment: environment,
      environment_protected: 'true',
    });
    expect(judgeAll(policies, tokens)).toEqual(refusedByIds());

    const { namespace_id: _bound, ...customOnly } = policies.vault['platform-deploy'].bound_claims;
    expect(
      judgeVault(policies.vaultIssuer, { ...policies.vault['platform-deploy'], bound_claims: customOnly } as VaultRole, tokens.vault),
    ).toEqual([]);
    const sessionTags = policies.aws.PlatformTeamSessionTags;
    const [{ Condition }] = sessionTags.Statement;
    const { [`${host}:sub`]: _sub, ...tagsOnly } = Condition!.StringEquals;
    expect(
      judgeAws({ ...sessionTags, Statement: [{ ...sessionTags.Statement[0], Condition: { StringEquals: tagsOnly } }] }, tokens.aws),
    ).toEqual([]);
  });

  it('refuses a fork’s own protected main, and the fork’s merge request run in the intended project by its developer', async () => {
    const { owner, app, policies } = await intended();
    const contributor = await createUser(api, 'contrib');
    const reviewer = await createUser(api, 'reviewer');
    await resources(api).addMember(owner, `projects/${app.id}`, contributor, REPORTER);
    await resources(api).addMember(owner, `projects/${app.id}`, reviewer, DEVELOPER);
    const forked = await client(api, contributor).post(`/projects/${app.id}/fork`).expect(201);
    const fork = await setUpCi(contributor, forked.body.id, true);

    const ownMain = await mint(contributor, fork.id, fork.runnerToken);
    expect(ownMain.vault).toMatchObject({
      project_id: String(fork.id),
      team: 'platform',
      ref: 'main',
      ref_protected: 'true',
      environment_protected: 'true',
    });
    expect(judgeAll(policies, ownMain)).toEqual(refusedByIds());

    // The parent refuses a fork's code its protected environment, so the fork's merge request deploys nowhere.
    // Rules for merge_request_event: a job without is `only: [branches, tags]` in GitLab, so absent from the MR pipeline.
    const forMergeRequests = '  rules:\n    - if: $CI_PIPELINE_SOURCE == "merge_request_event"\n';
    await commitCiConfig(api, contributor, fork.id, `${deployJob(false)}${forMergeRequests}`, 'main');
    const mr = await client(api, contributor)
      .post(`/projects/${fork.id}/merge_requests`, {
        source_branch: 'main',
        target_branch: 'main',
        target_project_id: app.id,
        title: 'Deploy',
      })
      .expect(201);
    await client(api, reviewer).post(`/projects/${app.id}/merge_requests/${mr.body.iid}/pipelines`).expect(200);
    const inParent = await tokensOf(await takeJob(api, app.runnerToken));
    expect(inParent.vault).toMatchObject({
      project_id: String(fork.id),
      job_project_id: String(app.id),
      ref: 'main',
      ref_protected: 'false',
      team: 'platform',
    });
    expect(inParent.aws.sub).toBe(`project_id:${fork.id}:ref_type:branch:ref:main:job_project_id:${app.id}`);
    expect(judgeAll(policies, inParent)).toEqual({
      'vault:app-production': ['project_id', 'ref_protected', 'environment', 'environment_protected'],
      'vault:platform-deploy': ['namespace_id', 'ref_protected'],
      'aws:AppProductionMain': [`${host}:sub`],
      'aws:PlatformTeamSessionTags': [`${host}:sub`],
      'gcp:lanyard': ['attribute-condition', 'member'],
    });
  });

  describe('a project re-created on the intended project’s path', () => {
    const setBlock = (value: boolean) =>
      client(api, api.rootToken).put('/application/settings', { block_jwt_for_reclaimed_paths: value }).expect(200);

    /** With the block on (the default) the job fails and nothing is minted; with it off, the tokens it would get. */
    async function reclaimedTokens(who: TestUser, projectId: number, runnerToken: string): Promise<JobTokens> {
      expect((await client(api, api.rootToken).get('/application/settings').expect(200)).body.block_jwt_for_reclaimed_paths).toBe(true);
      const pipeline = await runPipeline(api, who, projectId);
      await requestJob(api, runnerToken).expect(204);
      const [job] = (await client(api, who).get(`/projects/${projectId}/pipelines/${pipeline.id}/jobs`).expect(200)).body;
      expect(job).toMatchObject({ status: 'failed', failure_reason: 'id_token_burned_project_path' });
      expect(await api.app.get(DataSource).query('SELECT jti FROM ci_id_token_issuances WHERE build_id = $1', [job.id])).toEqual([]);
      await setBlock(false);
      try {
        return await mint(who, projectId, runnerToken);
      } finally {
        await setBlock(true);
      }
    }

    it('by an outsider, after the intended project’s top-level group moved away: every policy refuses it, and still admits the moved project', async () => {
      const { owner, acme, app, path, policies } = await intended();
      await client(api, owner)
        .put(`/groups/${acme.id}`, { path: `${acme.path}-moved` })
        .expect(200);
      const mallory = await createUser(api, 'mallory');
      const acmeAgain = await resources(api).group(mallory, { path: acme.path, name: `${acme.path}-again` });
      const platformAgain = await resources(api).group(mallory, { parent_id: acmeAgain.id, path: 'platform', name: 'platform' });
      await client(api, mallory).put(`/groups/${platformAgain.id}/ci/id_token_claims`, { claims: TEAM_CLAIMS }).expect(200);
      const squatter = await ciProject(mallory, { namespace_id: platformAgain.id, path: 'app' });

      const tokens = await reclaimedTokens(mallory, squatter.id, squatter.runnerToken);
      expect(tokens.vault).toMatchObject({ project_path: path, team: 'platform', ref_protected: 'true', environment_protected: 'true' });
      expect(judgeAll(policies, tokens)).toEqual(refusedByIds());

      // The ids went along with the project: its protected main, at its new path, is admitted as before.
      const moved = await mint(owner, app.id, app.runnerToken);
      expect(moved.vault).toMatchObject({ project_path: `${acme.path}-moved/platform/app` });
      expect(judgeAll(policies, moved)).toEqual(ADMITTED);
    });

    it('by a maintainer of its group, after the intended project was deleted: every single-project policy refuses it, the group-wide role admits it', async () => {
      const { owner, platform, app, path, policies } = await intended();
      const second = await createUser(api, 'second');
      await resources(api).addMember(owner, `groups/${platform.id}`, second, MAINTAINER);
      await client(api, owner).delete(`/projects/${app.id}`).expect(202);
      const successor = await ciProject(second, { namespace_id: platform.id, path: 'app' });

      const tokens = await reclaimedTokens(second, successor.id, successor.runnerToken);
      expect(tokens.vault).toMatchObject({
        project_path: path,
        namespace_id: String(platform.id),
        team: 'platform',
        ref_protected: 'true',
      });
      expect(judgeAll(policies, tokens)).toEqual({ ...refusedByIds(), 'vault:platform-deploy': [] });
    });
  });

  it('refuses unprotected branches of the intended project: a developer’s own config, and a maintainer deploying to the protected environment', async () => {
    const { owner, app, policies } = await intended();
    const developer = await createUser(api, 'dev');
    await resources(api).addMember(owner, `projects/${app.id}`, developer, DEVELOPER);
    await client(api, developer).post(`/projects/${app.id}/repository/branches`, { branch: 'feature', ref: 'main' }).expect(201);
    await commitCiConfig(api, developer, app.id, deployJob(false), 'feature');
    const fromDeveloper = await mint(developer, app.id, app.runnerToken, 'feature');
    expect(fromDeveloper.vault).toMatchObject({ project_id: String(app.id), ref: 'feature', ref_protected: 'false' });
    expect(judgeAll(policies, fromDeveloper)).toEqual({
      'vault:app-production': ['ref', 'ref_protected', 'environment', 'environment_protected'],
      'vault:platform-deploy': ['ref_protected'],
      'aws:AppProductionMain': [`${host}:sub`],
      'aws:PlatformTeamSessionTags': [`${host}:sub`],
      'gcp:lanyard': ['attribute-condition'],
    });

    await client(api, owner).post(`/projects/${app.id}/repository/branches`, { branch: 'hotfix', ref: 'main' }).expect(201);
    const fromMaintainer = await mint(owner, app.id, app.runnerToken, 'hotfix');
    expect(fromMaintainer.vault).toMatchObject({
      ref: 'hotfix',
      ref_protected: 'false',
      environment: environment,
      environment_protected: 'true',
    });
    expect(judgeAll(policies, fromMaintainer)).toEqual({
      'vault:app-production': ['ref', 'ref_protected'],
      'vault:platform-deploy': ['ref_protected'],
      'aws:AppProductionMain': [`${host}:sub`],
      'aws:PlatformTeamSessionTags': [`${host}:sub`],
      'gcp:lanyard': ['attribute-condition'],
    });
  });
});
