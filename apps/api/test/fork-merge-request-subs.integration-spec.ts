import { JWTPayload, createLocalJWKSet, jwtVerify } from 'jose';
import { commitCiConfig } from './support/ci-fixtures';
import { client, resources } from './support/resources';
import { JobPayload, createRunner, runPipeline, takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';

const REPORTER = 20;
const DEVELOPER = 30;
const AWS_AUDIENCE = 'sts.amazonaws.com';

// The fork owner's own config: the README's AWS example, a token for her role on her protected main.
// Its rules make the job exist in merge-request pipelines too (GitLab's default is `only: [branches, tags]`).
const FORK_CI = `
deploy:
  script: [aws sts assume-role-with-web-identity --web-identity-token "$AWS_TOKEN"]
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH
  id_tokens:
    AWS_TOKEN:
      aud: ${AWS_AUDIENCE}
`;

interface World {
  parentOwner: TestUser;
  /** A developer of the parent: may run a fork's merge request in the parent. */
  reviewer: TestUser;
  /** Owns the fork, and an AWS role bound to her fork's protected main. */
  forkOwner: TestUser;
  parent: { id: number; path_with_namespace: string };
  fork: { id: number; path_with_namespace: string };
  parentRunner: string;
  forkRunner: string;
  mergeRequestIid: number;
}

/**
 * Issue 14, item 3: a pipeline whose job project differs from its code's project (a fork's merge request run in the
 * parent, on the parent's runner, with the parent's variables) never mints a `sub` the code's project mints itself.
 */
describe('Fork merge-request pipelines never reissue the fork’s own sub', () => {
  let api: TestApp;
  let world: World;
  let issuer: string;

  beforeAll(async () => {
    api = await startTestApp();
    issuer = (await api.http.get('/.well-known/openid-configuration').expect(200)).body.issuer;
  });
  afterAll(() => api.close());

  async function claimsOf(job: JobPayload, variable: string, audience: string): Promise<JWTPayload & Record<string, unknown>> {
    const jwks = createLocalJWKSet((await api.http.get('/oauth/discovery/keys').expect(200)).body);
    const { payload } = await jwtVerify(variableMap(job).get(variable)!.value, jwks, { issuer, audience, algorithms: ['RS256'] });
    return payload as JWTPayload & Record<string, unknown>;
  }

  /** A parent with its runner; a reporter's fork of it with her config on main, her runner, and a merge request from main. */
  async function makeWorld(): Promise<World> {
    const parentOwner = await createUser(api, 'upstream');
    const reviewer = await createUser(api, 'reviewer');
    const forkOwner = await createUser(api, 'forkowner');
    const make = resources(api);
    const group = await make.group(parentOwner);
    const parent = await make.project(parentOwner, { namespace_id: group.id });
    await commitCiConfig(api, parentOwner, parent.id, 'build:\n  script: [make]\n', 'main');
    await make.addMember(parentOwner, `projects/${parent.id}`, reviewer, DEVELOPER);
    await make.addMember(parentOwner, `projects/${parent.id}`, forkOwner, REPORTER);
    const parentRunner = (await createRunner(api, parentOwner, { runner_type: 'project_type', project_id: parent.id })).token;

    const fork = (await client(api, forkOwner).post(`/projects/${parent.id}/fork`).expect(201)).body;
    await commitCiConfig(api, forkOwner, fork.id, FORK_CI, 'main');
    const forkRunner = (await createRunner(api, forkOwner, { runner_type: 'project_type', project_id: fork.id })).token;
    const mr = await client(api, forkOwner)
      .post(`/projects/${fork.id}/merge_requests`, {
        source_branch: 'main',
        target_branch: 'main',
        target_project_id: parent.id,
        title: 'Upstream my work',
      })
      .expect(201);
    return { parentOwner, reviewer, forkOwner, parent, fork, parentRunner, forkRunner, mergeRequestIid: mr.body.iid };
  }

  /** The fork's own pipeline on its protected main, on her runner. */
  async function forkMainJob(): Promise<JobPayload> {
    await runPipeline(api, world.forkOwner, world.fork.id, 'main');
    return takeJob(api, world.forkRunner);
  }

  /** Her merge request, run in the parent by a parent developer, on the parent's runner. */
  async function parentRunOfMergeRequest(): Promise<JobPayload> {
    await client(api, world.reviewer).post(`/projects/${world.parent.id}/merge_requests/${world.mergeRequestIid}/pipelines`).expect(200);
    return takeJob(api, world.parentRunner);
  }

  async function setSubComponents(who: TestUser, projectId: number, components: string[]): Promise<void> {
    await client(api, who).put(`/projects/${projectId}`, { ci_id_token_sub_claim_components: components }).expect(200);
  }

  beforeEach(async () => {
    world = await makeWorld();
  });

  it('gives the parent’s run of the fork’s main a sub that names the parent, never the sub of the fork’s protected main', async () => {
    const own = await claimsOf(await forkMainJob(), 'AWS_TOKEN', AWS_AUDIENCE);
    expect(own).toMatchObject({
      sub: `project_path:${world.fork.path_with_namespace}:ref_type:branch:ref:main`,
      aud: AWS_AUDIENCE,
      ref_protected: 'true',
      job_project_path: world.fork.path_with_namespace,
    });

    const inParent = await claimsOf(await parentRunOfMergeRequest(), 'AWS_TOKEN', AWS_AUDIENCE);
    // Her role's trust policy (sub + aud, StringEquals) must not admit the parent's runner.
    expect(inParent.sub).not.toBe(own.sub);
    expect(inParent).toMatchObject({
      sub: `${own.sub}:job_project_path:${world.parent.path_with_namespace}`,
      aud: AWS_AUDIENCE,
      project_path: world.fork.path_with_namespace,
      job_project_path: world.parent.path_with_namespace,
      ref_protected: 'false',
      pipeline_source: 'merge_request_event',
    });
  });

  it('names the parent by id when both projects lead sub with project_id (rename-proof, like the rest of the sub)', async () => {
    await setSubComponents(world.forkOwner, world.fork.id, ['project_id', 'ref_type', 'ref']);
    await setSubComponents(world.parentOwner, world.parent.id, ['project_id', 'ref_type', 'ref']);
    const own = await claimsOf(await forkMainJob(), 'AWS_TOKEN', AWS_AUDIENCE);
    expect(own.sub).toBe(`project_id:${world.fork.id}:ref_type:branch:ref:main`);

    const inParent = await claimsOf(await parentRunOfMergeRequest(), 'AWS_TOKEN', AWS_AUDIENCE);
    expect(inParent.sub).not.toBe(own.sub);
    expect(inParent.sub).toBe(`${own.sub}:job_project_id:${world.parent.id}`);
  });

  it('leaves a sub that already names the job project alone', async () => {
    await setSubComponents(world.parentOwner, world.parent.id, ['project_path', 'ref_type', 'ref', 'job_project_path']);
    const inParent = await claimsOf(await parentRunOfMergeRequest(), 'AWS_TOKEN', AWS_AUDIENCE);
    expect(inParent.sub).toBe(
      `project_path:${world.fork.path_with_namespace}:ref_type:branch:ref:main:job_project_path:${world.parent.path_with_namespace}`,
    );
  });

  it('keeps CI_JOB_JWT_V2 apart too, whose aud (the issuer) every project’s token shares', async () => {
    await client(api, world.forkOwner).put(`/projects/${world.fork.id}`, { ci_opt_in_jwt: false }).expect(200);
    await client(api, world.parentOwner).put(`/projects/${world.parent.id}`, { ci_opt_in_jwt: false }).expect(200);
    const own = await claimsOf(await forkMainJob(), 'CI_JOB_JWT_V2', issuer);
    expect(own.sub).toBe(`project_path:${world.fork.path_with_namespace}:ref_type:branch:ref:main`);

    const inParent = await claimsOf(await parentRunOfMergeRequest(), 'CI_JOB_JWT_V2', issuer);
    expect(inParent.sub).not.toBe(own.sub);
    expect(inParent.sub).toBe(`${own.sub}:job_project_path:${world.parent.path_with_namespace}`);
  });

  it('previews her merge request as the parent would run it, the appended component shown and minted alike', async () => {
    const asParent = client(api, world.parentOwner);
    const preview = (body: object) => asParent.post(`/projects/${world.parent.id}/ci/id_token_preview`, { job: 'deploy', ...body });
    const shown = await preview({ merge_request_iid: world.mergeRequestIid }).expect(200);
    expect(shown.body).toMatchObject({
      ref: 'main',
      ref_type: 'branch',
      pipeline_source: 'merge_request_event',
      sub_claim_components: {
        components: ['project_path', 'ref_type', 'ref', 'job_project_path'],
        source: 'default',
        appended: [{ component: 'job_project_path', source: 'fork_rule' }],
      },
    });
    // Started by the same user, the parent's run of it mints exactly what the preview showed.
    await asParent.post(`/projects/${world.parent.id}/merge_requests/${world.mergeRequestIid}/pipelines`).expect(200);
    const minted = await claimsOf(await takeJob(api, world.parentRunner), 'AWS_TOKEN', AWS_AUDIENCE);
    const [token] = shown.body.tokens;
    expect(Object.entries(token.claims)).toEqual(
      Object.entries(minted).filter(([key]) => !shown.body.claims_decided_at_pickup.includes(key)),
    );
    expect(token.claims.sub).toBe(
      `project_path:${world.fork.path_with_namespace}:ref_type:branch:ref:main:job_project_path:${world.parent.path_with_namespace}`,
    );

    // A branch of the parent itself: nothing appended.
    const own = await preview({ ref: 'main', content: FORK_CI }).expect(200);
    expect(own.body.sub_claim_components).toEqual({ components: ['project_path', 'ref_type', 'ref'], source: 'default', appended: [] });
    // The merge request decides the ref and the source; one the parent does not have is not found.
    await preview({ merge_request_iid: world.mergeRequestIid, ref: 'main' }).expect(400);
    await preview({ merge_request_iid: world.mergeRequestIid, pipeline_source: 'push' }).expect(400);
    await preview({ merge_request_iid: world.mergeRequestIid + 1000 }).expect(404);
  });

  it('leaves a same-project merge request’s sub as its branch pipeline’s', async () => {
    await commitCiConfig(api, world.parentOwner, world.parent.id, FORK_CI, 'main');
    await client(api, world.parentOwner)
      .post(`/projects/${world.parent.id}/repository/branches`, { branch: 'feature', ref: 'main' })
      .expect(201);
    const mr = await client(api, world.reviewer)
      .post(`/projects/${world.parent.id}/merge_requests`, { source_branch: 'feature', target_branch: 'main', title: 'In-house' })
      .expect(201);
    await client(api, world.reviewer).post(`/projects/${world.parent.id}/merge_requests/${mr.body.iid}/pipelines`).expect(200);
    const claims = await claimsOf(await takeJob(api, world.parentRunner), 'AWS_TOKEN', AWS_AUDIENCE);
    expect(claims).toMatchObject({
      pipeline_source: 'merge_request_event',
      sub: `project_path:${world.parent.path_with_namespace}:ref_type:branch:ref:feature`,
    });
  });
});
