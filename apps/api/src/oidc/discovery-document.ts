/** The claims an ID token may carry (DESIGN §5), advertised in `claims_supported`. */
export const SUPPORTED_CLAIMS = [
  'iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti',
  'namespace_id', 'namespace_path', 'project_id', 'project_path',
  'job_namespace_id', 'job_namespace_path', 'job_project_id', 'job_project_path',
  'user_id', 'user_login', 'user_email', 'user_access_level',
  'pipeline_id', 'pipeline_source', 'job_id',
  'ref', 'ref_type', 'ref_path', 'ref_protected',
  'sha', 'ci_config_sha', 'ci_config_ref_uri', 'project_visibility',
  'environment', 'environment_protected', 'deployment_tier', 'environment_action',
  'runner_id', 'runner_environment', 'groups_direct',
] as const;

/** The OpenID Provider metadata; `issuer` is the external URL byte for byte, as every token's `iss`. */
export function discoveryDocument(issuer: string) {
  return {
    issuer,
    jwks_uri: `${issuer}/oauth/discovery/keys`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid'],
    claim_types_supported: ['normal'],
    claims_supported: [...SUPPORTED_CLAIMS],
  };
}
