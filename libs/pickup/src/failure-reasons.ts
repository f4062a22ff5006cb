import type { IdTokenErrorCode } from '@lanyard/id-tokens';
import type { ServerFailureReason } from '@lanyard/pipelines';

/**
 * Every reason Lanyard fails a job for without a runner, once: what an operator is told (`null`: the refusal's own
 * message says it, naming what is wrong), and the library refusals (`IdTokenError` codes) that lead to it. A refusal
 * with no reason of its own is `id_token_generation_failed`.
 */
export const SERVER_FAILURES: {
  readonly [Reason in ServerFailureReason]: { readonly detail: string | null; readonly codes: readonly IdTokenErrorCode[] };
} = {
  secrets_provider_not_found: { detail: 'the job has secrets but no VAULT_SERVER_URL variable', codes: [] },
  id_token_generation_failed: { detail: null, codes: ['ERR_TIME_INVALID', 'ERR_JTI_INVALID', 'ERR_SIGNING_KEY_INVALID'] },
  id_token_audience_empty: { detail: null, codes: ['ERR_AUD_EMPTY'] },
  id_token_sub_too_long: { detail: null, codes: ['ERR_SUB_TOO_LONG'] },
  id_token_claims_invalid: {
    detail: null,
    codes: [
      'ERR_AUD_INVALID',
      'ERR_CUSTOM_CLAIM_COLLISION',
      'ERR_CUSTOM_CLAIM_INVALID',
      'ERR_CUSTOM_CLAIM_RESERVED',
      'ERR_CUSTOM_CLAIM_KEY_INVALID',
      'ERR_CUSTOM_CLAIM_VALUE_INVALID',
      'ERR_CUSTOM_CLAIM_DUPLICATE',
      'ERR_CUSTOM_CLAIM_LOCKED',
      'ERR_CUSTOM_CLAIM_LIMIT',
    ],
  },
  protected_environment_failure: { detail: "the job's user may not deploy to its protected environment", codes: [] },
  user_blocked: { detail: "the job's user is blocked", codes: [] },
  environment_creation_failure: { detail: 'its environment name expands to an invalid one', codes: [] },
  id_token_audience_secret: { detail: null, codes: ['ERR_AUD_SECRET'] },
  id_token_sub_components_invalid: {
    detail: null,
    codes: [
      'ERR_SUB_COMPONENTS_EMPTY',
      'ERR_SUB_FIRST_COMPONENT',
      'ERR_SUB_JOB_PROJECT_UNSCOPED',
      'ERR_SUB_COMPONENT_UNKNOWN',
      'ERR_SUB_COMPONENT_DUPLICATE',
    ],
  },
  id_token_signing_key_revoked: { detail: 'the key that signed its tokens was revoked', codes: [] },
  project_deleted: { detail: "the project the job's code comes from was deleted", codes: [] },
  id_token_burned_project_path: { detail: null, codes: ['ERR_PATH_RECLAIMED'] },
  protected_ref_access_revoked: { detail: "the job's user may no longer push to or merge into its protected ref", codes: [] },
  id_token_claim_not_owned: { detail: null, codes: ['ERR_CUSTOM_CLAIM_NOT_OWNED'] },
};

const REASON_OF_CODE = new Map<IdTokenErrorCode, ServerFailureReason>(
  Object.entries(SERVER_FAILURES).flatMap(([reason, { codes }]) => codes.map((code) => [code, reason as ServerFailureReason] as const)),
);

/** The reason a library refusal fails the job with. */
export function failureReasonOf(code: IdTokenErrorCode): ServerFailureReason {
  return REASON_OF_CODE.get(code) ?? 'id_token_generation_failed';
}

/** What the operator is told about a job dropped for `reason`, when the refusal did not say it itself. */
export function failureDetailOf(reason: ServerFailureReason): string {
  return SERVER_FAILURES[reason].detail ?? reason;
}
