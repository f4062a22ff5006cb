import { isLegacyV1Token, previewClaims, previewWarnings } from '@lanyard/id-tokens';
import type { PickupDecision } from '@lanyard/pickup';
import type { PreviewAuditRow } from './id-token-preview.repository';

/** Each token as minted minus what only the pickup knows; the custom claims with the level each comes from. */
export function presentTokens(decided: Extract<PickupDecision, { kind: 'run' }>, hiddenVariables: readonly string[]) {
  const { plan, secretValues } = decided;
  return plan.tokens.map(({ variable, claims }) => {
    const legacyV1 = isLegacyV1Token(claims);
    const customClaims = legacyV1 ? [] : plan.customClaims;
    return {
      variable,
      claims: previewClaims(claims),
      custom_claims: customClaims.map(({ key, value, source }) => ({ key, value, source })),
      warnings: previewWarnings({
        claims: claims as Readonly<Record<string, unknown>>,
        customClaimKeys: customClaims.map(({ key }) => key),
        subComponents: legacyV1 ? null : plan.subComponents,
        secretValues,
        hiddenVariables,
        claimNames: plan.claimNames,
      }),
    };
  });
}

export function presentAuditRow(row: PreviewAuditRow) {
  return {
    id: row.id,
    created_at: row.created_at,
    author: row.user_id === null ? null : { id: row.user_id, username: row.username, name: row.name },
    ref: row.ref,
    sha: row.sha,
    job: row.job,
    pipeline_source: row.pipeline_source,
    unsaved_config: row.unsaved_config,
    tokens: row.tokens.map(({ variable, aud, sub }) => ({ variable, aud, sub })),
    failure_reason: row.failure_reason,
  };
}
