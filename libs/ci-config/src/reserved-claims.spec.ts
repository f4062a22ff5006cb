import { CLAIM_NAME_PATTERN, RESERVED_CLAIM_NAMES, checkClaimName, isReservedClaimName, isUriClaimName } from './index';

describe('RESERVED_CLAIM_NAMES', () => {
  // A closed list: adding a built-in claim means adding it here, deliberately.
  it('lists every built-in claim, the GitLab claims not emitted yet, and the prototype names', () => {
    expect(RESERVED_CLAIM_NAMES).toEqual([
      'namespace_id',
      'namespace_path',
      'project_id',
      'project_path',
      'job_namespace_id',
      'job_namespace_path',
      'job_project_id',
      'job_project_path',
      'user_id',
      'user_login',
      'user_email',
      'user_access_level',
      'pipeline_id',
      'pipeline_source',
      'job_id',
      'ref',
      'ref_type',
      'ref_path',
      'ref_protected',
      'sha',
      'ci_config_sha',
      'ci_config_ref_uri',
      'project_visibility',
      'environment',
      'environment_protected',
      'deployment_tier',
      'environment_action',
      'runner_id',
      'runner_environment',
      'groups_direct',
      'jti',
      'iss',
      'iat',
      'nbf',
      'exp',
      'sub',
      'aud',
      'user_identities',
      'target_audience',
      'job_source',
      'job_config',
      '__proto__',
      'constructor',
      'prototype',
    ]);
  });

  it('has no duplicates', () => {
    expect(new Set(RESERVED_CLAIM_NAMES).size).toBe(RESERVED_CLAIM_NAMES.length);
  });

  it.each(RESERVED_CLAIM_NAMES.map((name) => [name]))('reserves %s', (name) => {
    expect(isReservedClaimName(name)).toBe(true);
    expect(checkClaimName(name)).toBe('reserved');
  });
});

describe(checkClaimName.name, () => {
  it.each([
    ['team', null],
    ['a', null],
    ['a'.repeat(64), null],
    ['https://aws.amazon.com/tags', null],
    ['urn:example:claim', 'invalid'],
    ['http://example.com/claim', 'invalid'],
    ['https://example.com:8443/claim', null],
    ['Sub', 'invalid'],
    ['sub ', 'invalid'],
    ['a'.repeat(65), 'invalid'],
    ['', 'invalid'],
    ['_private', 'invalid'],
    ['https:', 'invalid'],
    ['https://x\u200B', 'invalid'],
    ['hasOwnProperty', 'invalid'],
  ])('classifies %p as %p', (name, problem) => {
    expect(checkClaimName(name)).toBe(problem);
  });

  it('exposes the short-name pattern and the URI rule', () => {
    expect(CLAIM_NAME_PATTERN.source).toBe('^[a-z][a-z0-9_]{0,63}$');
    expect(isUriClaimName('https://aws.amazon.com/tags')).toBe(true);
    expect(isUriClaimName('team')).toBe(false);
  });
});
