import { CLAIM_NAME_PATTERN, RESERVED_CLAIM_NAMES, checkClaimName, isReservedClaimName, isUriClaimName } from './index';
import { REGISTERED_JWT_CLAIM_NAMES, RELYING_PARTY_CLAIM_NAMES } from './registered-claim-names';
import { BUILT_IN_CLAIM_NAMES } from './reserved-claims';

describe('RESERVED_CLAIM_NAMES', () => {
  // A closed list: adding a built-in claim means adding it here, deliberately.
  it('lists every built-in claim, the GitLab claims not emitted yet, and the prototype names', () => {
    expect(BUILT_IN_CLAIM_NAMES).toEqual([
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

  // Pinned: a registry entry or a cloud's claim added upstream is added here on purpose, with its source.
  it("pins IANA's JWT claims registry (OpenID Connect included) and the names clouds and clusters read", () => {
    expect(REGISTERED_JWT_CLAIM_NAMES).toHaveLength(138);
    expect(REGISTERED_JWT_CLAIM_NAMES.slice(0, 7)).toEqual(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti']);
    expect(RELYING_PARTY_CLAIM_NAMES).toEqual([
      'oaud',
      'https://aws.amazon.com/source_identity',
      'tid',
      'oid',
      'appid',
      'appidacr',
      'azpacr',
      'idp',
      'idtyp',
      'ver',
      'upn',
      'unique_name',
      'wids',
      'uti',
      'rh',
      'scp',
      'hasgroups',
      'ipaddr',
      'onprem_sid',
      'xms_mirid',
      'xms_cc',
      'acct',
      'ctry',
      'tenant_ctry',
      'tenant_region_scope',
      'login_hint',
      'aio',
      'acrs',
      'verified_primary_email',
      'verified_secondary_email',
      'fwd',
      'hd',
      'google',
      'firebase',
      'username',
      'uid',
      'extra',
      'typ',
    ]);
  });

  it('is the union of the three lists, built-in names first, each name once', () => {
    expect(RESERVED_CLAIM_NAMES.slice(0, BUILT_IN_CLAIM_NAMES.length)).toEqual(BUILT_IN_CLAIM_NAMES);
    expect(new Set(RESERVED_CLAIM_NAMES)).toEqual(
      new Set([...BUILT_IN_CLAIM_NAMES, ...REGISTERED_JWT_CLAIM_NAMES, ...RELYING_PARTY_CLAIM_NAMES]),
    );
    expect(new Set(RESERVED_CLAIM_NAMES).size).toBe(RESERVED_CLAIM_NAMES.length);
  });

  // The names the attacker minted (issue 14, item 5): Kubernetes cluster admin through `groups`, and the rest.
  it.each([
    'groups',
    'email',
    'preferred_username',
    'roles',
    'azp',
    'scope',
    'amr',
    'acr',
    'tid',
    'oid',
    'client_id',
    'cnf',
    'act',
    'https://aws.amazon.com/source_identity',
  ])('reserves %s, which a relying party reads', (name) => expect(checkClaimName(name)).toBe('reserved'));

  it('leaves the AWS session tags claim to custom claims', () => {
    expect(checkClaimName('https://aws.amazon.com/tags')).toBeNull();
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
