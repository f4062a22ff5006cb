import { IdTokenError } from './errors';
import type { SubClaimComponent } from './sub-claim';

/** The leading `sub` components that name a project by its path, each with the id component that replaces it. */
const PATH_LEAD_REPLACEMENTS = { project_path: 'project_id', job_project_path: 'job_project_id' } as const;

export type SubPathComponent = keyof typeof PATH_LEAD_REPLACEMENTS;

/** What the pickup knows about the paths a `sub` could lead with, read at mint time. */
export interface ReclaimedPathFacts {
  /**
   * Per path component, whether the project it names sits on a full path that a different project gave up
   * (deleted, renamed or transferred away): GitLab's `burned_project_routes` with another project id.
   */
  readonly reclaimed: { readonly [Component in SubPathComponent]: boolean };
  /** The instance's `block_jwt_for_reclaimed_paths` (on by default). */
  readonly blockJwtForReclaimedPaths: boolean;
}

/** GitLab's wording (`CommitStatusPresenter`, `id_token_burned_project_path`), naming the id component to lead with. */
export function reclaimedPathMessage(replacement: string): string {
  return (
    "ID token issuance is disabled in CI because this project's path was previously used by a different project. " +
    `To restore ID tokens, set \`ci_id_token_sub_claim_components\` to start with \`${replacement}\` ` +
    `(for example, \`["${replacement}", "ref_type", "ref"]\`) and update your cloud trust policy to match.`
  );
}

function isPathLead(component: SubClaimComponent | undefined): component is SubPathComponent {
  return component !== undefined && Object.hasOwn(PATH_LEAD_REPLACEMENTS, component);
}

/**
 * GitLab 19.1 (#600358): a `sub` that leads with a path now held by a different project than the one that gave it
 * up would equal the old project's `sub`, so every trust policy written for it would accept this project. Refused
 * while the setting is on; an id-led `sub` never depends on paths and is always allowed.
 */
export function assertSubNotOnReclaimedPath(components: readonly SubClaimComponent[], facts: ReclaimedPathFacts): void {
  const lead = components[0];
  if (!facts.blockJwtForReclaimedPaths || !isPathLead(lead) || !facts.reclaimed[lead]) return;
  throw new IdTokenError('ERR_SUB_PATH_RECLAIMED', 'sub', reclaimedPathMessage(PATH_LEAD_REPLACEMENTS[lead]));
}
