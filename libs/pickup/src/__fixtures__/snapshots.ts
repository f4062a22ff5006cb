import type { JobSnapshot } from '../job-snapshot';

/** acme (1) → acme/platform (2) → project acme/platform/app (10), job 500 of pipeline 70 on protected `main`. */
export const SNAPSHOT: JobSnapshot = {
  build: { id: 500, name: 'deploy', stage: 'deploy', protected: true },
  metadata: { script: ['make deploy'] },
  pipeline: { id: 70, source: 'push', createdAt: new Date('2026-11-29T10:00:00Z'), sha: 'a'.repeat(40), tag: false },
  sourceRef: 'main',
  project: { id: 10, name: 'App', path: 'app', visibility: 'internal', defaultBranch: 'main' },
  namespace: { id: 2, traversalIds: [1, 2] },
  namespaceFullPath: 'acme/platform',
  rootNamespace: { id: 1, path: 'acme' },
  user: { id: 7, username: 'alice', email: 'alice@example.com', name: 'Alice', admin: false },
  runner: { id: 3, description: 'shared', gitlabHosted: false },
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
  pipeline: { ...SNAPSHOT.pipeline, source: 'merge_request_event' },
  sourceRef: 'feature',
  mergeRequest: {
    record: { id: 900, iid: 4, title: 'Fix', targetProjectId: 10, targetBranch: 'main', sourceBranch: 'feature' },
    sourceProject: { id: 20, path: 'app' },
    sourceNamespace: { id: 5, traversalIds: [5] },
    sourceNamespaceFullPath: 'bob',
    targetFullPath: 'acme/platform/app',
    targetBranchProtected: true,
  },
  tokenFacts: {
    memberships: [
      { sourceType: 'Project', sourceId: 20, accessLevel: 50 },
      { sourceType: 'Namespace', sourceId: 1, accessLevel: 30 },
    ],
    directGroupPaths: [],
  },
};
