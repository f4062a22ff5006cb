import type { JobSnapshot } from '../job-snapshot';

/** acme (1) → acme/platform (2) → project acme/platform/app (10), job 500 of pipeline 70 on protected `main`. */
export const SNAPSHOT: JobSnapshot = {
  build: { id: 500, name: 'deploy', stage: 'deploy', stageIdx: 3, protected: true },
  metadata: {
    script: ['make deploy'],
    variables: {},
    idTokens: {},
    secrets: {},
    jwtClaims: null,
    environment: null,
    jobTimeout: null,
    options: null,
  },
  dependencyCandidates: [],
  pipeline: {
    id: 70,
    iid: 9,
    source: 'push',
    createdAt: new Date('2026-11-29T10:00:00Z'),
    sha: 'a'.repeat(40),
    beforeSha: null,
    ref: 'main',
    tag: false,
    variables: [],
  },
  project: { id: 10, name: 'App', path: 'app', visibility: 'internal', defaultBranch: 'main', buildTimeout: 3600 },
  namespace: { id: 2, type: 'Group', traversalIds: [1, 2] },
  namespaceFullPath: 'acme/platform',
  rootNamespace: { id: 1, path: 'acme' },
  user: { id: 7, username: 'alice', email: 'alice@example.com', name: 'Alice', admin: false, state: 'active' },
  runner: { id: 3, description: 'shared', gitlabHosted: false, maximumTimeout: null, tags: [] },
  environment: null,
  mergeRequest: null,
  protectionRules: [{ name: 'main', pushAccessLevel: 40, mergeAccessLevel: 40 }],
  tokenFacts: {
    memberships: [
      { sourceType: 'Namespace', sourceId: 1, accessLevel: 30 },
      { sourceType: 'Project', sourceId: 10, accessLevel: 40 },
      { sourceType: 'Project', sourceId: 99, accessLevel: 50 },
    ],
    directGroupPaths: ['acme'],
  },
  ciVariables: [],
  ciSettings: { project_id: 10, opt_in_jwt: null, project_components: null, group_components: null, group_id: null },
  claimTree: {
    groups: new Map([
      [1, { id: 1, fullPath: 'acme', traversalIds: [1] }],
      [2, { id: 2, fullPath: 'acme/platform', traversalIds: [1, 2] }],
    ]),
    projects: new Map([[10, { id: 10, fullPath: 'acme/platform/app', groupId: 2, namespaceIds: [1, 2] }]]),
    claims: new Map(),
    names: new Map(),
  },
  reclaimed: { blockJwtForReclaimedPaths: true, jobProjectPath: false },
};

export const RUN = {
  serverUrl: 'https://ci.example.com',
  jobToken: 'glcbt-secret',
  startedAt: new Date('2026-11-29T10:05:00Z'),
  timeoutSeconds: 600,
};
export const OPTIONS = { serverUrl: 'https://ci.example.com', ciConfigPath: '.gitlab-ci.yml' };

/** A merge-request pipeline in acme/platform/app whose code comes from the fork bob/app (project 20, namespace 5). */
export const FORK_MR: JobSnapshot = {
  ...SNAPSHOT,
  build: { ...SNAPSHOT.build, protected: false },
  pipeline: { ...SNAPSHOT.pipeline, source: 'merge_request_event', ref: 'refs/merge-requests/4/head' },
  mergeRequest: {
    record: { id: 900, iid: 4, title: 'Fix', description: '', targetProjectId: 10, targetBranch: 'main', sourceBranch: 'feature' },
    source: { project: { id: 20, path: 'app' }, namespace: { id: 5, traversalIds: [5] }, namespaceFullPath: 'bob', pathReclaimed: false },
    targetFullPath: 'acme/platform/app',
    targetBranchRules: [{ name: 'main', pushAccessLevel: 40, mergeAccessLevel: 40 }],
    sourceBranchRules: [],
  },
  tokenFacts: {
    memberships: [
      { sourceType: 'Project', sourceId: 20, accessLevel: 50 },
      { sourceType: 'Namespace', sourceId: 1, accessLevel: 30 },
    ],
    directGroupPaths: [],
  },
};
