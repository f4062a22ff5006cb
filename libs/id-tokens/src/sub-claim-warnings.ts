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
  const jobProjectLed = components[0] === 'job_project_path' || components[0] === 'job_project_id';
  const tellsForksApart = ['project_path', 'project_id', 'ref_protected', 'pipeline_source'].some((name) => components.includes(name));
  if (jobProjectLed && !tellsForksApart) {
    warnings.push(
      `ci_id_token_sub_claim_components leads with ${components[0]} but has none of project_path, project_id, ` +
        'ref_protected or pipeline_source: a merge-request pipeline from a fork runs in this project, so a fork ' +
        'branch named main gets the same sub as the protected branch main (gitlab#548165); add ref_protected',
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
