import { CI_CONFIG_LIMITS } from './limits';
import { REGISTERED_JWT_CLAIM_NAMES, RELYING_PARTY_CLAIM_NAMES } from './registered-claim-names';

/**
 * Claim names no custom claim may use, at any level: every claim Lanyard builds (DESIGN §5), the GitLab claims it
 * does not emit yet (so adding them later breaks no one), and the names that pollute JavaScript prototypes.
 */
export const BUILT_IN_CLAIM_NAMES = [
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
] as const;

/** Every name no custom claim may use: one pinned list, built-in names first. */
export const RESERVED_CLAIM_NAMES: readonly string[] = [
  ...new Set<string>([...BUILT_IN_CLAIM_NAMES, ...REGISTERED_JWT_CLAIM_NAMES, ...RELYING_PARTY_CLAIM_NAMES]),
];

const RESERVED = new Set<string>(RESERVED_CLAIM_NAMES);

/** Short names, as GitHub allows for custom `sub` keys: lower-case, digits and `_`, starting with a letter. */
export const CLAIM_NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
/**
 * Collision-resistant names (RFC 7519 §4.2): an absolute `https://` URI in printable ASCII, e.g.
 * `https://aws.amazon.com/tags`. Only https: the name says who owns it (a domain), and nothing else reads as one.
 */
const CLAIM_URI_PATTERN = /^https:\/\/[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?::[0-9]{1,5})?(?:[/?#][^\s"<>\\^`{|}\x00-\x1f\x7f-\uffff]*)?$/;

export function isReservedClaimName(name: string): boolean {
  return RESERVED.has(name);
}

export function isUriClaimName(name: string): boolean {
  return name.length <= CI_CONFIG_LIMITS.maxClaimUriLength && CLAIM_URI_PATTERN.test(name);
}

export type ClaimNameProblem = 'reserved' | 'invalid';

/** Why `name` cannot be a custom claim, or null when it can. */
export function checkClaimName(name: string): ClaimNameProblem | null {
  if (isReservedClaimName(name)) return 'reserved';
  if (CLAIM_NAME_PATTERN.test(name) || isUriClaimName(name)) return null;
  return 'invalid';
}
