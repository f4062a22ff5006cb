export { buildIdTokenClaims, GROUPS_DIRECT_LIMIT, NOT_BEFORE_SECONDS } from './claims';
export type { IdTokenOptions } from './claims';
export { buildLegacyJwtClaims, buildLegacyJwtV2Claims } from './legacy-claims';
export type { LegacyJwtV2Options } from './legacy-claims';
export {
  DEFAULT_SUB_CLAIM_COMPONENTS,
  SUB_CLAIM_COMPONENTS,
  SUB_CLAIM_LEADING_COMPONENTS,
  SUB_CLAIM_MAX_LENGTH,
  SUB_CLAIM_WARN_LENGTH,
  composeSubClaim,
  isSubClaimComponent,
  subClaimMessages,
  validateSubClaimComponents,
} from './sub-claim';
export type { SubClaimComponent, SubClaimValues } from './sub-claim';
export { JOB_PROJECT_COMPONENTS, subComponentsInForce } from './job-project-sub';
export type { JobProjectComponent, SubComponentsInForce } from './job-project-sub';
export { RECLAIMED_PATH_MESSAGE, assertNotOnReclaimedPath } from './reclaimed-paths';
export type { ReclaimedPathClaim, ReclaimedPathFacts } from './reclaimed-paths';
export { TOKEN_VARIABLES, audienceSecretErrors, audienceSecretReferences, expandAudience } from './audience';
export type { AudienceVariables } from './audience';
export { subClaimMintingProblem, subClaimSettingWarnings } from './sub-claim-warnings';
export { MIN_RSA_MODULUS_BITS, jwkThumbprint, publicJwkOf, signIdToken } from './signing';
export type { IdTokenSigningKey, PublicSigningJwk, RsaKeyInput } from './signing';
export { serverNamesFromUrl } from './server-names';
export {
  CLAIMS_DECIDED_AT_PICKUP,
  hiddenVariablePlaceholder,
  isLegacyV1Token,
  previewAuditTokens,
  previewClaims,
  previewWarnings,
  secretLikeness,
} from './token-preview';
export type { PreviewAuditToken, PreviewWarningInput } from './token-preview';
export { IdTokenError } from './errors';
export type { CustomClaimErrorCode, IdTokenErrorCode } from './errors';
export { CUSTOM_CLAIM_LIMITS, CustomClaimError, checkCustomClaim, claimSource, describeLevel } from './custom-claim-rules';
export type { ClaimLevelKind, ClaimLevelRef, CustomClaimLimit } from './custom-claim-rules';
export { customClaimValues, jobClaimLevel, mergeCustomClaims } from './custom-claims-merge';
export {
  AWS_SESSION_TAGS_CLAIM,
  claimNamesOf,
  claimNamesToLookUp,
  openClaimNameWarnings,
  unownedClaimMessage,
  unownedClaimName,
} from './claim-names';
export type { ClaimNameRegistration, ClaimNameRegistry, UnownedClaimName } from './claim-names';
export type { CustomClaimDefinition, CustomClaimLevel, CustomClaimsMerge, MergedCustomClaim } from './custom-claims-merge';
export type {
  CustomClaimValue,
  CustomClaims,
  IdTokenClaims,
  JobEnvironment,
  JobIdentity,
  JobPipeline,
  JobRunner,
  JobUser,
  LegacyJwtClaims,
  PredefinedClaims,
  ProjectIdentity,
  RefType,
  ServerNames,
  TrueOrFalse,
} from './types';
export {
  JWKS_REFRESH_INTERVAL_SECONDS,
  MIN_KEY_PUBLISH_LEAD_SECONDS,
  jwksMaxAgeSeconds,
  keyUsableFrom,
  planRevocation,
  publishLeadProblem,
  retiredKeyPublishedUntil,
} from './key-rotation';
export type { RevocationPlan, RotationKey, SigningKeyState } from './key-rotation';
export { chainOf, describeError, levelRef, levelsOf, ownerKey, replacementErrors } from './claim-tree';
export type { ClaimOwner, ClaimTree, TreeGroup, TreeProject } from './claim-tree';
export { OPT_IN_JWT_DEFAULT, effectiveCiSettings } from './ci-settings';
export type { CiSettingsRow, EffectiveCiSettings } from './ci-settings';
export { publishedCopyRefresh } from './published-copy';
export type { PublishedCopyRefresh, SigningKeyChange } from './published-copy';
