import { FORK_MR_IDENTITY, IDENTITY, ISSUER, JTI, NOW } from './__fixtures__/job-identity';
import { buildIdTokenClaims } from './claims';
import { buildLegacyJwtClaims, buildLegacyJwtV2Claims } from './legacy-claims';
import { DEFAULT_SUB_CLAIM_COMPONENTS } from './sub-claim';
import type { JobIdentity } from './types';

describe(buildLegacyJwtClaims.name, () => {
  it('builds GitLab’s v1 claim set: iss the host, sub job_<id>, no aud (1)', () => {
    const claims = buildLegacyJwtClaims(IDENTITY, { ttl: 30 }, NOW, JTI);
    expect(claims).toStrictEqual({
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
      jti: JTI,
      iss: 'gitlab.example.com',
      iat: NOW,
      nbf: NOW - 5,
      exp: NOW + 30,
      sub: 'job_302',
    });
    expect(Object.keys(claims).slice(-6)).toEqual(['jti', 'iss', 'iat', 'nbf', 'exp', 'sub']);
  });

  it('carries the environment claims and the fork’s project claims, as v1 did', () => {
    const identity: JobIdentity = {
      ...FORK_MR_IDENTITY,
      job: { id: 9, environment: { name: 'review/x', protected: false, tier: 'development' } },
    };
    expect(buildLegacyJwtClaims(identity, { ttl: 60 }, NOW, JTI)).toMatchObject({
      project_path: 'dev-user/my-project',
      job_project_path: 'my-group/my-project',
      environment: 'review/x',
      environment_action: 'start',
      sub: 'job_9',
    });
  });

  it('leaves out what only ID tokens carry', () => {
    const claims = buildLegacyJwtClaims(IDENTITY, { ttl: 60 }, NOW, JTI);
    for (const name of ['aud', 'runner_id', 'runner_environment', 'sha', 'project_visibility', 'ci_config_ref_uri', 'ci_config_sha']) {
      expect(name in claims).toBe(false);
    }
  });

  it('checks the clock and jti as ID tokens do', () => {
    expect(() => buildLegacyJwtClaims(IDENTITY, { ttl: 0 }, NOW, JTI)).toThrow(expect.objectContaining({ code: 'ERR_TIME_INVALID' }));
    expect(() => buildLegacyJwtClaims(IDENTITY, { ttl: 60 }, NOW, 'x')).toThrow(expect.objectContaining({ code: 'ERR_JTI_INVALID' }));
  });
});

describe(buildLegacyJwtV2Claims.name, () => {
  it('is an ID token whose aud is the issuer (CI_JOB_JWT_V2)', () => {
    const claims = buildLegacyJwtV2Claims(IDENTITY, { issuer: ISSUER, subComponents: DEFAULT_SUB_CLAIM_COMPONENTS, ttl: 3600 }, NOW, JTI);
    expect(claims.aud).toBe(ISSUER);
    expect(claims.iss).toBe(ISSUER);
    expect(claims).toStrictEqual(
      buildIdTokenClaims(IDENTITY, { aud: ISSUER, issuer: ISSUER, subComponents: DEFAULT_SUB_CLAIM_COMPONENTS, ttl: 3600 }, NOW, JTI),
    );
  });

  it('appends the job project to a fork merge request’s sub, as the ID tokens do: its aud is every project’s (issue 14)', () => {
    const claims = buildLegacyJwtV2Claims(
      FORK_MR_IDENTITY,
      { issuer: ISSUER, subComponents: DEFAULT_SUB_CLAIM_COMPONENTS, ttl: 3600 },
      NOW,
      JTI,
    );
    expect(claims.sub).toBe('project_path:dev-user/my-project:ref_type:branch:ref:feature-branch:job_project_path:my-group/my-project');
  });

  it('carries the custom claims after every built-in one, as the ID tokens do', () => {
    const customClaims = { team: 'platform', 'https://aws.amazon.com/tags': { principal_tags: { team: ['platform'] } } };
    const claims = buildLegacyJwtV2Claims(
      IDENTITY,
      { issuer: ISSUER, subComponents: DEFAULT_SUB_CLAIM_COMPONENTS, ttl: 3600, customClaims },
      NOW,
      JTI,
    );
    expect(Object.keys(claims).slice(-3)).toEqual(['aud', 'team', 'https://aws.amazon.com/tags']);
    expect(claims).toMatchObject(customClaims);
  });
});
