import { AccessLevel } from '@lanyard/access';
import type { JobIdentity, ProjectIdentity } from '../types';

/** A frozen clock and id: every spec compares whole claim sets and tokens. */
export const NOW = 1_700_000_000;
export const JTI = '235b3a54-b797-45c7-ae9a-f72d7bc6ef5b';
export const SHA = '714a629c0b401fdce83e847fc9589983fc6f46bc';
export const ISSUER = 'https://gitlab.example.com';

export const PROJECT: ProjectIdentity = { id: 20, fullPath: 'my-group/my-project', namespaceId: 72, namespaceFullPath: 'my-group' };
export const FORK: ProjectIdentity = { id: 31, fullPath: 'dev-user/my-project', namespaceId: 85, namespaceFullPath: 'dev-user' };

/** A push pipeline on `main`, a developer, a self-hosted runner, no environment. */
export const IDENTITY: JobIdentity = {
  sourceProject: PROJECT,
  jobProject: PROJECT,
  projectVisibility: 'private',
  user: {
    id: 1,
    username: 'sample-user',
    email: 'sample-user@example.com',
    accessLevel: AccessLevel.Developer,
    directGroupPaths: [],
  },
  pipeline: {
    id: 574,
    source: 'push',
    ref: 'main',
    refType: 'branch',
    refProtected: true,
    sha: SHA,
    ciConfig: { path: '.gitlab-ci.yml', sha: SHA },
  },
  job: { id: 302, environment: null },
  runner: { id: 1, gitlabHosted: false },
  server: { host: 'gitlab.example.com', fqdn: 'gitlab.example.com' },
};

export function withPipeline(changes: Partial<JobIdentity['pipeline']>, identity: JobIdentity = IDENTITY): JobIdentity {
  return { ...identity, pipeline: { ...identity.pipeline, ...changes } };
}

/** A merge-request pipeline from a fork, run in the parent project (gitlab#548165). */
export const FORK_MR_IDENTITY: JobIdentity = withPipeline(
  { source: 'merge_request_event', ref: 'feature-branch', refProtected: false },
  { ...IDENTITY, sourceProject: FORK },
);
