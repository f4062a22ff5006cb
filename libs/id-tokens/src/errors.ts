/** Why a level's custom claims cannot be merged; see `CustomClaimError`. */
export type CustomClaimErrorCode =
  | 'ERR_CUSTOM_CLAIM_RESERVED'
  | 'ERR_CUSTOM_CLAIM_KEY_INVALID'
  | 'ERR_CUSTOM_CLAIM_VALUE_INVALID'
  | 'ERR_CUSTOM_CLAIM_DUPLICATE'
  | 'ERR_CUSTOM_CLAIM_LOCKED'
  | 'ERR_CUSTOM_CLAIM_NOT_OWNED'
  | 'ERR_CUSTOM_CLAIM_LIMIT';

/** Every way minting can be refused; `apps/api` maps them to a 400 or to a failed job's reason. */
export type IdTokenErrorCode =
  | 'ERR_SUB_COMPONENTS_EMPTY'
  | 'ERR_SUB_FIRST_COMPONENT'
  | 'ERR_SUB_JOB_PROJECT_UNSCOPED'
  | 'ERR_SUB_COMPONENT_UNKNOWN'
  | 'ERR_SUB_COMPONENT_DUPLICATE'
  | 'ERR_SUB_TOO_LONG'
  | 'ERR_PATH_RECLAIMED'
  | 'ERR_AUD_EMPTY'
  | 'ERR_AUD_INVALID'
  | 'ERR_AUD_SECRET'
  | 'ERR_CUSTOM_CLAIM_COLLISION'
  | 'ERR_CUSTOM_CLAIM_INVALID'
  | CustomClaimErrorCode
  | 'ERR_TIME_INVALID'
  | 'ERR_JTI_INVALID'
  | 'ERR_SIGNING_KEY_INVALID';

/**
 * The one error the library throws. `field` names what was wrong (`sub`, `id_tokens.VAULT_TOKEN.aud`, a claim name);
 * `reason`, also the message, is a sentence naming it that a maintainer can act on. Neither ever holds a token, key
 * material or the value of a CI/CD variable.
 */
export class IdTokenError extends Error {
  override readonly name = 'IdTokenError';

  constructor(
    readonly code: IdTokenErrorCode,
    readonly field: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}
