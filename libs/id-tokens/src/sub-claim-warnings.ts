import { validateSubClaimComponents } from './sub-claim';

/**
 * What a valid component list loses: `sub` values that different refs share, so a trust policy written for one also
 * admits the other. Each warning names the setting, the collision and the fix.
 */
export function subClaimSettingWarnings(components: readonly string[]): string[] {
  const warnings: string[] = [];
  if (components.includes('ref') && !components.includes('ref_type')) {
    warnings.push(
      'ci_id_token_sub_claim_components has ref but not ref_type: a tag and a branch with the same name (a tag named ' +
        'main and the protected branch main) get the same sub; add ref_type',
    );
  }
  return warnings;
}

/**
 * Why jobs that need a token would fail under the components in force (a list stored before a rule existed, such as
 * one led by a namespace), as one sentence for lint; null when minting can use them.
 */
export function subClaimMintingProblem(components: readonly string[]): string | null {
  const problems = validateSubClaimComponents(components);
  if (problems.length === 0) return null;
  return `the sub claim components in force (${components.join(', ')}) are invalid: ${problems.join('; ')}`;
}
