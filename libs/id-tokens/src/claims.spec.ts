import { AccessLevel, type ResourceVisibility } from '@lanyard/access';
import { RESERVED_CLAIM_NAMES } from '@lanyard/ci-config';
import { FORK_MR_IDENTITY, IDENTITY, ISSUER, JTI, NOW, SHA, withPipeline } from './__fixtures__/job-identity';
import { GROUPS_DIRECT_LIMIT, buildIdTokenClaims, type IdTokenOptions } from './claims';
import type { IdTokenErrorCode } from './errors';
import { DEFAULT_SUB_CLAIM_COMPONENTS } from './sub-claim';
import type { CustomClaims, JobEnvironment, JobIdentity, JobUser } from './types';

const OPTIONS: IdTokenOptions = {
  aud: 'https://vault.example.com',
  subComponents: DEFAULT_SUB_CLAIM_COMPONENTS,
  issuer: ISSUER,
  ttl: 3600,
};

const build = (identity: JobIdentity = IDENTITY, options: Partial<IdTokenOptions> = {}) =>
  buildIdTokenClaims(identity, { ...OPTIONS, ...options }, NOW, JTI);

const withUser = (changes: Partial<JobUser> | null): JobIdentity => ({
  ...IDENTITY,
  user: changes && { ...(IDENTITY.user as JobUser), ...changes },
});
const withEnvironment = (environment: JobEnvironment): JobIdentity => ({ ...IDENTITY, job: { ...IDENTITY.job, environment } });

/** The claims of IDENTITY, key order included: GitLab's `JwtV2` payload (reference §1.2, the docs' example). */
const EXPECTED = {
  namespace_id: '72',
  namespace_path: 'my-group',
  project_id: '20',
  project_path: 'my-group/my-project',
  user_id: '1',
  user_login: 'sample-user',
  user_email: 'sample-user@example.com',
  user_access_level: 'developer',
  job_namespace_id: '72',
  job_namespace_path: 'my-group',
  job_project_id: '20',
  job_project_path: 'my-group/my-project',
  pipeline_id: '574',
  pipeline_source: 'push',
  job_id: '302',
  ref: 'main',
  ref_type: 'branch',
  ref_path: 'refs/heads/main',
  ref_protected: 'true',
  groups_direct: [],
  runner_id: 1,
  runner_environment: 'self-hosted',
  sha: SHA,
  project_visibility: 'private',
  ci_config_ref_uri: 'gitlab.example.com/my-group/my-project//.gitlab-ci.yml@refs/heads/main',
  ci_config_sha: SHA,
  jti: JTI,
  iss: 'https://gitlab.example.com',
  iat: NOW,
  nbf: NOW - 5,
  exp: NOW + 3600,
  sub: 'project_path:my-group/my-project:ref_type:branch:ref:main',
  aud: 'https://vault.example.com',
};

describe(buildIdTokenClaims.name, () => {
  it('builds GitLab’s whole claim set, in GitLab’s key order', () => {
    const claims = build();
    expect(claims).toStrictEqual(EXPECTED);
    expect(Object.keys(claims)).toEqual(Object.keys(EXPECTED));
  });

  it('builds every optional claim in place: groups, environment, runner, custom claims last', () => {
    const identity: JobIdentity = {
      ...withUser({ directGroupPaths: ['other-group', 'mygroup/mysubgroup', 'mygroup'] }),
      job: { id: 302, environment: { name: 'production', protected: true, tier: 'production' } },
      runner: { id: 7, gitlabHosted: true },
    };
    const claims = build(identity, {
      customClaims: { team: 'payments', 'https://aws.amazon.com/tags': { principal_tags: { team: ['payments'] } } },
    });
    expect(Object.keys(claims)).toEqual([
      ...Object.keys(EXPECTED).slice(0, Object.keys(EXPECTED).indexOf('runner_id')),
      'environment',
      'environment_protected',
      'deployment_tier',
      'environment_action',
      ...Object.keys(EXPECTED).slice(Object.keys(EXPECTED).indexOf('runner_id')),
      'team',
      'https://aws.amazon.com/tags',
    ]);
    expect(claims).toMatchObject({
      groups_direct: ['mygroup', 'mygroup/mysubgroup', 'other-group'],
      environment: 'production',
      environment_protected: 'true',
      deployment_tier: 'production',
      environment_action: 'start',
      runner_id: 7,
      runner_environment: 'gitlab-hosted',
      team: 'payments',
      'https://aws.amazon.com/tags': { principal_tags: { team: ['payments'] } },
    });
  });

  it('emits only reserved names, so no custom claim can ever take one (closed list)', () => {
    const identity: JobIdentity = {
      ...withUser({ directGroupPaths: ['g'] }),
      job: { id: 1, environment: { name: 'e', protected: false, tier: 'other' } },
    };
    const reserved = new Set<string>(RESERVED_CLAIM_NAMES);
    expect(Object.keys(build(identity)).filter((name) => !reserved.has(name))).toEqual([]);
  });

  describe('project and user claims', () => {
    it.each<[string, JobIdentity, Record<string, unknown>]>([
      // 10–12: branch, tag, merge request (ref is the source branch).
      [
        'a branch (10)',
        withPipeline({ ref: 'auto-deploy-2020-03-19' }),
        { ref: 'auto-deploy-2020-03-19', ref_type: 'branch', ref_path: 'refs/heads/auto-deploy-2020-03-19' },
      ],
      [
        'a tag (11)',
        withPipeline({ ref: 'auto-deploy-2020-03-19', refType: 'tag' }),
        { ref_type: 'tag', ref_path: 'refs/tags/auto-deploy-2020-03-19' },
      ],
      [
        'a merge-request pipeline (12)',
        withPipeline({ source: 'merge_request_event', ref: 'feature-branch', refProtected: false }),
        {
          pipeline_source: 'merge_request_event',
          ref: 'feature-branch',
          ref_type: 'branch',
          ref_path: 'refs/heads/feature-branch',
          ref_protected: 'false',
        },
      ],
      ['an unprotected ref (13)', withPipeline({ refProtected: false }), { ref_protected: 'false' }],
      ['a protected ref (13)', withPipeline({ refProtected: true }), { ref_protected: 'true' }],
      ['a guest (16)', withUser({ accessLevel: AccessLevel.Guest }), { user_access_level: 'guest' }],
      ['a reporter (16)', withUser({ accessLevel: AccessLevel.Reporter }), { user_access_level: 'reporter' }],
      ['a developer (16)', withUser({ accessLevel: AccessLevel.Developer }), { user_access_level: 'developer' }],
      ['a maintainer (16)', withUser({ accessLevel: AccessLevel.Maintainer }), { user_access_level: 'maintainer' }],
      ['an owner (16)', withUser({ accessLevel: AccessLevel.Owner }), { user_access_level: 'owner' }],
      ['a non-member (16)', withUser({ accessLevel: null }), { user_access_level: null }],
      ['NoAccess (16)', withUser({ accessLevel: AccessLevel.NoAccess }), { user_access_level: null }],
      ['a user without email', withUser({ email: null }), { user_email: null }],
      ['no user (17)', withUser(null), { user_id: '', user_login: null, user_email: null, user_access_level: null }],
      [
        'a non-fork pipeline: job_* equal project_* (20)',
        IDENTITY,
        { job_project_id: '20', job_project_path: 'my-group/my-project', job_namespace_id: '72', job_namespace_path: 'my-group' },
      ],
      [
        'a fork merge-request pipeline: project_* name the fork, job_* the parent (21, D5)',
        FORK_MR_IDENTITY,
        {
          namespace_id: '85',
          namespace_path: 'dev-user',
          project_id: '31',
          project_path: 'dev-user/my-project',
          job_namespace_id: '72',
          job_namespace_path: 'my-group',
          job_project_id: '20',
          job_project_path: 'my-group/my-project',
          ref_protected: 'false',
          sub: 'project_path:dev-user/my-project:ref_type:branch:ref:feature-branch:job_project_path:my-group/my-project',
          ci_config_ref_uri: 'gitlab.example.com/my-group/my-project//.gitlab-ci.yml@refs/heads/feature-branch',
        },
      ],
    ])('for %s', (_title, identity, expected) => {
      expect(build(identity)).toMatchObject(expected);
    });

    it('gives a fork merge request a sub neither the parent’s nor the fork’s own protected main has (27, D5, issue 14)', () => {
      const parentMain = build().sub;
      const forkMain = build({
        ...IDENTITY,
        sourceProject: FORK_MR_IDENTITY.sourceProject,
        jobProject: FORK_MR_IDENTITY.sourceProject,
      }).sub;
      const forkSameName = build(withPipeline({ ref: 'main', refProtected: false }, FORK_MR_IDENTITY)).sub;
      expect(forkSameName).toBe('project_path:dev-user/my-project:ref_type:branch:ref:main:job_project_path:my-group/my-project');
      expect(forkMain).toBe('project_path:dev-user/my-project:ref_type:branch:ref:main');
      expect(forkSameName).not.toBe(parentMain);
    });
  });

  describe('groups_direct', () => {
    const paths = (count: number) => Array.from({ length: count }, (_, i) => `group-${String(i).padStart(3, '0')}`);
    it.each<[string, JobIdentity, string[] | undefined]>([
      [
        'sorted (18)',
        withUser({ directGroupPaths: ['other-group', 'mygroup/mysubgroup', 'mygroup'] }),
        ['mygroup', 'mygroup/mysubgroup', 'other-group'],
      ],
      ['empty when the user has no group', withUser({ directGroupPaths: [] }), []],
      [
        `kept at the limit (${GROUPS_DIRECT_LIMIT})`,
        withUser({ directGroupPaths: paths(GROUPS_DIRECT_LIMIT).reverse() }),
        paths(GROUPS_DIRECT_LIMIT),
      ],
      ['left out above the limit (19)', withUser({ directGroupPaths: paths(GROUPS_DIRECT_LIMIT + 1) }), undefined],
      ['left out without a user', withUser(null), undefined],
    ])('is %s', (_title, identity, expected) => {
      const claims = build(identity);
      expect(claims.groups_direct).toEqual(expected);
      expect('groups_direct' in claims).toBe(expected !== undefined);
    });

    it('does not reorder the caller’s list', () => {
      const directGroupPaths = ['b', 'a'];
      build(withUser({ directGroupPaths }));
      expect(directGroupPaths).toEqual(['b', 'a']);
    });
  });

  describe('environment claims', () => {
    const ENVIRONMENT_KEYS = ['environment', 'environment_protected', 'deployment_tier', 'environment_action'];
    it('are all absent without an environment (9, C10)', () => {
      const claims = build();
      expect(ENVIRONMENT_KEYS.filter((key) => key in claims)).toEqual([]);
    });

    it.each<[string, JobEnvironment, Record<string, string>]>([
      [
        'production, defaults (14)',
        { name: 'production', protected: false, tier: 'production' },
        { environment: 'production', environment_protected: 'false', deployment_tier: 'production', environment_action: 'start' },
      ],
      [
        'the job’s deployment_tier over the environment’s, action prepare (15)',
        { name: 'production', protected: false, tier: 'production', deploymentTier: 'development', action: 'prepare' },
        { deployment_tier: 'development', environment_action: 'prepare' },
      ],
      ['a protected environment (EE)', { name: 'production', protected: true, tier: 'production' }, { environment_protected: 'true' }],
      [
        'a null override',
        { name: 'review/x', protected: false, tier: 'development', deploymentTier: null, action: null },
        { deployment_tier: 'development', environment_action: 'start' },
      ],
      ['action stop', { name: 'review/x', protected: false, tier: 'development', action: 'stop' }, { environment_action: 'stop' }],
    ])('for %s', (_title, environment, expected) => {
      expect(build(withEnvironment(environment))).toMatchObject(expected);
    });
  });

  describe('runner, visibility and configuration claims', () => {
    it.each<[string, JobIdentity['runner'], Record<string, unknown> | undefined]>([
      ['self-hosted (33)', { id: 12, gitlabHosted: false }, { runner_id: 12, runner_environment: 'self-hosted' }],
      ['GitLab-hosted (33)', { id: 13, gitlabHosted: true }, { runner_id: 13, runner_environment: 'gitlab-hosted' }],
      ['absent without a runner (33)', null, undefined],
    ])('runner claims: %s', (_title, runner, expected) => {
      const claims = build({ ...IDENTITY, runner });
      expect({ runner_id: claims.runner_id, runner_environment: claims.runner_environment }).toEqual(expected ?? {});
      expect('runner_id' in claims).toBe(expected !== undefined);
    });

    it.each<ResourceVisibility>(['public', 'internal', 'private'])('project_visibility %s is the job project’s (34)', (visibility) => {
      expect(build({ ...FORK_MR_IDENTITY, projectVisibility: visibility }).project_visibility).toBe(visibility);
    });

    it.each<[string, JobIdentity, string]>([
      [
        'a branch (36)',
        withPipeline({ ref: 'test-branch-for-claim-mapper' }),
        'gitlab.example.com/my-group/my-project//.gitlab-ci.yml@refs/heads/test-branch-for-claim-mapper',
      ],
      ['a tag', withPipeline({ ref: 'v1.0.0', refType: 'tag' }), 'gitlab.example.com/my-group/my-project//.gitlab-ci.yml@refs/tags/v1.0.0'],
      [
        'a port and relative root',
        { ...IDENTITY, server: { host: 'acme.com', fqdn: 'acme.com:9090/gitlab' } },
        'acme.com:9090/gitlab/my-group/my-project//.gitlab-ci.yml@refs/heads/main',
      ],
      [
        'another config path',
        withPipeline({ ciConfig: { path: 'ci/main.yml', sha: SHA } }),
        'gitlab.example.com/my-group/my-project//ci/main.yml@refs/heads/main',
      ],
    ])('ci_config_ref_uri for %s', (_title, identity, uri) => {
      expect(build(identity).ci_config_ref_uri).toBe(uri);
    });

    it('takes sha and ci_config_sha from the pipeline (34, 36)', () => {
      const claims = build(withPipeline({ sha: 'a'.repeat(40), ciConfig: { path: '.gitlab-ci.yml', sha: 'b'.repeat(40) } }));
      expect([claims.sha, claims.ci_config_sha]).toEqual(['a'.repeat(40), 'b'.repeat(40)]);
    });
  });

  describe('registered claims', () => {
    it.each([
      ['an hour (2)', 3600],
      ['the project’s build_timeout 3699 (6)', 3699],
      ['30 s (1)', 30],
    ])('expires after %s; nbf is iat - 5 (7)', (_title, ttl) => {
      const { iat, nbf, exp } = build(IDENTITY, { ttl });
      expect({ iat, nbf, exp }).toEqual({ iat: NOW, nbf: NOW - 5, exp: NOW + ttl });
    });

    it.each<[string, Partial<IdTokenOptions>, string | string[]]>([
      ['a string stays a string (28)', { aud: 'AWS' }, 'AWS'],
      ['an array stays an array (29)', { aud: ['https://gitlab.com', 'https://aws.com'] }, ['https://gitlab.com', 'https://aws.com']],
      ['a one-element array stays an array', { aud: ['https://gitlab.com'] }, ['https://gitlab.com']],
    ])('aud: %s', (_title, options, aud) => {
      const claims = build(IDENTITY, options);
      expect(claims.aud).toEqual(aud);
      expect('target_audience' in claims).toBe(false);
    });

    it('keeps a custom issuer byte for byte, trailing slash included (35)', () => {
      const issuer = 'https://example-oidc-configuration-bucket.s3.eu-north-1.amazonaws.com/';
      expect(build(IDENTITY, { issuer }).iss).toBe(issuer);
    });

    it('copies an array aud rather than sharing it', () => {
      const aud = ['a'];
      const claims = build(IDENTITY, { aud });
      aud.push('b');
      expect(claims.aud).toEqual(['a']);
    });

    it('composes sub from the configured components (22, 23)', () => {
      expect(build(IDENTITY, { subComponents: ['project_id', 'ref_protected'] }).sub).toBe('project_id:20:ref_protected:true');
      expect(build(IDENTITY, { subComponents: ['project_path'] }).sub).toBe('project_path:my-group/my-project');
    });
  });

  describe('custom claims', () => {
    it('come after every built-in claim, in the order given', () => {
      const keys = Object.keys(build(IDENTITY, { customClaims: { zeta: 'z', alpha: ['a', 'b'] } }));
      expect(keys.slice(-3)).toEqual(['aud', 'zeta', 'alpha']);
    });

    it.each([
      'iss',
      'sub',
      'aud',
      'exp',
      'nbf',
      'iat',
      'jti',
      'job_project_id',
      'ref_protected',
      'project_path',
      'groups_direct',
      'runner_id',
      'user_identities',
      'target_audience',
      'constructor',
      'prototype',
    ])('can never replace %s (C1, C2)', (name) => {
      expect(() => build(IDENTITY, { customClaims: { [name]: 'forged' } })).toThrow(
        expect.objectContaining({
          code: 'ERR_CUSTOM_CLAIM_COLLISION',
          field: name,
          message: expect.stringContaining(`reserved claim name: ${name}`),
        }),
      );
    });

    it('refuses a __proto__ key from JSON without touching any prototype (C2)', () => {
      const customClaims = JSON.parse('{"team":"a","__proto__":{"polluted":"yes"}}') as CustomClaims;
      expect(() => build(IDENTITY, { customClaims })).toThrow(
        expect.objectContaining({ code: 'ERR_CUSTOM_CLAIM_COLLISION', field: '__proto__' }),
      );
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it.each<[string, CustomClaims, IdTokenErrorCode]>([
      ['an upper-case name (C3)', { Team: 'x' }, 'ERR_CUSTOM_CLAIM_INVALID'],
      ['a dotted name (C3)', { 'a.b': 'x' }, 'ERR_CUSTOM_CLAIM_INVALID'],
      ['an empty name (C3)', { '': 'x' }, 'ERR_CUSTOM_CLAIM_INVALID'],
      ['a Cyrillic look-alike of a built-in (C3)', { 'pr\u043eject_path': 'x' }, 'ERR_CUSTOM_CLAIM_INVALID'],
      ['a number (C5)', { team: 5 as unknown as string }, 'ERR_CUSTOM_CLAIM_INVALID'],
      ['null (C5)', { team: null as unknown as string }, 'ERR_CUSTOM_CLAIM_INVALID'],
      ['an object under a short name (C5)', { team: { a: 'b' } }, 'ERR_CUSTOM_CLAIM_INVALID'],
      ['a right-to-left override (C6)', { team: 'pay\u202eevil' }, 'ERR_CUSTOM_CLAIM_INVALID'],
      ['a line break in an array entry (C6)', { team: ['a', 'b\nc'] }, 'ERR_CUSTOM_CLAIM_INVALID'],
      ['a 10 KB value (C4)', { team: 'x'.repeat(10_240) }, 'ERR_CUSTOM_CLAIM_INVALID'],
    ])('refuses %s', (_title, customClaims, code) => {
      expect(() => build(IDENTITY, { customClaims })).toThrow(expect.objectContaining({ name: 'IdTokenError', code }));
    });

    it('keeps a "$VAR" value literally (C8)', () => {
      expect(build(IDENTITY, { customClaims: { branch: '$CI_COMMIT_REF_NAME' } }).branch).toBe('$CI_COMMIT_REF_NAME');
    });
  });

  describe('refusals', () => {
    it.each<[string, () => unknown, IdTokenErrorCode, string]>([
      ['an empty aud string', () => build(IDENTITY, { aud: '' }), 'ERR_AUD_EMPTY', 'aud'],
      ['an empty aud array', () => build(IDENTITY, { aud: [] }), 'ERR_AUD_EMPTY', 'aud'],
      ['an empty aud entry', () => build(IDENTITY, { aud: ['a', ''] }), 'ERR_AUD_EMPTY', 'aud'],
      ['a fractional clock', () => buildIdTokenClaims(IDENTITY, OPTIONS, NOW + 0.5, JTI), 'ERR_TIME_INVALID', 'iat'],
      [
        'a clock in milliseconds beyond safe integers',
        () => buildIdTokenClaims(IDENTITY, OPTIONS, Number.MAX_VALUE, JTI),
        'ERR_TIME_INVALID',
        'iat',
      ],
      ['a zero lifetime', () => build(IDENTITY, { ttl: 0 }), 'ERR_TIME_INVALID', 'exp'],
      ['a lifetime of a month', () => build(IDENTITY, { ttl: 2_629_746 }), 'ERR_TIME_INVALID', 'exp'],
      ['a NaN lifetime', () => build(IDENTITY, { ttl: Number.NaN }), 'ERR_TIME_INVALID', 'exp'],
      ['an empty jti', () => buildIdTokenClaims(IDENTITY, OPTIONS, NOW, ''), 'ERR_JTI_INVALID', 'jti'],
      ['a non-v4 jti', () => buildIdTokenClaims(IDENTITY, OPTIONS, NOW, '235b3a54-b797-15c7-ae9a-f72d7bc6ef5b'), 'ERR_JTI_INVALID', 'jti'],
      ['a sub over 255 bytes (B8)', () => build(withPipeline({ ref: 'r'.repeat(250) })), 'ERR_SUB_TOO_LONG', 'sub'],
    ])('%s', (_title, act, code, field) => {
      expect(act).toThrow(expect.objectContaining({ code, field }));
    });
  });
});
