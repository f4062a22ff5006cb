import { FORK_MR, OPTIONS, RUN, SNAPSHOT } from './__fixtures__/snapshots';
import { jobContextOf, jobIdentityOf } from './job-projections';

describe(jobContextOf.name, () => {
  it('names the job, its pipeline, project, groups, user and runner as the runner payload needs them', () => {
    expect(jobContextOf(SNAPSHOT, RUN)).toEqual({
      serverUrl: 'https://ci.example.com',
      job: {
        id: 500,
        name: 'deploy',
        stage: 'deploy',
        token: 'glcbt-secret',
        timeoutSeconds: 600,
        script: ['make deploy'],
        startedAt: '2026-11-29T10:05:00.000Z',
        parallel: null,
      },
      pipeline: {
        id: 70,
        iid: 9,
        source: 'push',
        createdAt: '2026-11-29T10:00:00.000Z',
        sha: 'a'.repeat(40),
        beforeSha: '0'.repeat(40),
        ref: 'main',
        refType: 'branch',
        pipelineRef: 'main',
        refProtected: true,
        name: null,
        openMergeRequests: [],
      },
      project: {
        id: 10,
        name: 'App',
        path: 'app',
        fullPath: 'acme/platform/app',
        namespaceId: 2,
        namespaceFullPath: 'acme/platform',
        rootNamespaceId: 1,
        rootNamespacePath: 'acme',
        visibility: 'internal',
        defaultBranch: 'main',
      },
      user: { id: 7, username: 'alice', email: 'alice@example.com', name: 'Alice' },
      runner: { id: 3, description: 'shared', tags: [] },
      environment: null,
      mergeRequest: null,
    });
  });

  it("gives the push's previous head as the pipeline's before sha, GitLab's blank sha without one", () => {
    const pushed = jobContextOf({ ...SNAPSHOT, pipeline: { ...SNAPSHOT.pipeline, beforeSha: 'b'.repeat(40) } }, RUN);
    expect(pushed.pipeline.beforeSha).toBe('b'.repeat(40));
  });

  it('gives a preview (no runner yet) runner 0, as at pipeline creation, and a tag pipeline the tag ref type', () => {
    const context = jobContextOf({ ...SNAPSHOT, runner: null, pipeline: { ...SNAPSHOT.pipeline, tag: true, ref: 'v1.0' } }, RUN);
    expect(context.runner).toEqual({ id: 0, description: '' });
    expect(context.pipeline).toMatchObject({ ref: 'v1.0', refType: 'tag' });
  });

  it("takes the job's deployment_tier over the environment's own tier, and slugs the name as GitLab", () => {
    const environment = { tier: 'development' as const, deployRules: null, deployerMemberships: [] };
    expect(
      jobContextOf({ ...SNAPSHOT, environment: { ...environment, definition: { name: 'review/x', action: 'start' } } }, RUN).environment,
    ).toEqual({
      name: 'review/x',
      slug: 'review-x-n5c54v',
      tier: 'development',
      action: 'start',
    });
    expect(
      jobContextOf(
        { ...SNAPSHOT, environment: { ...environment, definition: { name: 'review/x', deploymentTier: 'staging', action: 'stop' } } },
        RUN,
      ).environment,
    ).toMatchObject({
      tier: 'staging',
      action: 'stop',
    });
  });

  it("gives a merge-request pipeline GitLab's merge-request context, with the fork as source", () => {
    expect(jobContextOf(FORK_MR, RUN).mergeRequest).toEqual({
      id: 900,
      iid: 4,
      title: 'Fix',
      projectId: 10,
      projectPath: 'acme/platform/app',
      targetBranch: 'main',
      targetBranchProtected: true,
      sourceProjectId: 20,
      sourceProjectPath: 'bob/app',
      sourceBranch: 'feature',
      description: null,
      draft: false,
      sourceBranchProtected: false,
    });
  });
});

describe(jobIdentityOf.name, () => {
  it("asserts the job's project twice, the user's highest level there (never elsewhere), and the pipeline's ref", () => {
    expect(jobIdentityOf(SNAPSHOT, OPTIONS)).toEqual({
      sourceProject: { id: 10, fullPath: 'acme/platform/app', namespaceId: 2, namespaceFullPath: 'acme/platform' },
      jobProject: { id: 10, fullPath: 'acme/platform/app', namespaceId: 2, namespaceFullPath: 'acme/platform' },
      projectVisibility: 'internal',
      user: { id: 7, username: 'alice', email: 'alice@example.com', accessLevel: 40, directGroupPaths: ['acme'] },
      pipeline: {
        id: 70,
        source: 'push',
        ref: 'main',
        refType: 'branch',
        refProtected: true,
        sha: 'a'.repeat(40),
        ciConfig: { path: '.gitlab-ci.yml', sha: 'a'.repeat(40) },
      },
      job: { id: 500, environment: null },
      runner: { id: 3, gitlabHosted: false },
      server: { host: 'ci.example.com', fqdn: 'ci.example.com' },
    });
  });

  it('names the fork as source project and the parent as job project, with the access level held where the job runs', () => {
    const identity = jobIdentityOf(FORK_MR, OPTIONS);
    expect(identity.sourceProject).toEqual({ id: 20, fullPath: 'bob/app', namespaceId: 5, namespaceFullPath: 'bob' });
    expect(identity.jobProject).toEqual({ id: 10, fullPath: 'acme/platform/app', namespaceId: 2, namespaceFullPath: 'acme/platform' });
    // Developer through acme, where the job runs; owning the fork gives nothing in the parent's pipeline.
    expect(identity.user?.accessLevel).toBe(30);
    expect(identity.pipeline).toMatchObject({ source: 'merge_request_event', ref: 'feature', refProtected: false });
  });

  it('carries the environment with its protection and both tiers, and no user or runner when there is none', () => {
    const identity = jobIdentityOf(
      {
        ...SNAPSHOT,
        user: null,
        runner: null,
        environment: {
          definition: { name: 'production', deploymentTier: 'production', action: 'start' },
          tier: 'production',
          deployRules: [{ type: 'role', accessLevel: 40 }],
          deployerMemberships: [],
        },
      },
      OPTIONS,
    );
    expect(identity.job.environment).toEqual({
      name: 'production',
      protected: true,
      tier: 'production',
      deploymentTier: 'production',
      action: 'start',
    });
    expect(identity.user).toBeNull();
    expect(identity.runner).toBeNull();
  });

  it('gives a user with no membership where the job runs no access level', () => {
    const identity = jobIdentityOf(
      { ...SNAPSHOT, tokenFacts: { memberships: [{ sourceType: 'Project', sourceId: 99, accessLevel: 50 }], directGroupPaths: [] } },
      OPTIONS,
    );
    expect(identity.user?.accessLevel).toBe(0);
  });
});
