import { IdTokenError } from './errors';

/** The claims that name a project by its full path, each asked about for the project it names. */
export type ReclaimedPathClaim = 'project_path' | 'job_project_path';

/** What the pickup knows about the paths a job's tokens would name, read at mint time. */
export interface ReclaimedPathFacts {
  /**
   * Per path claim, whether the project it names sits on a full path that a different project gave up (deleted,
   * renamed or transferred away; GitLab's `burned_project_routes`) and that no admin released for it since.
   */
  readonly reclaimed: { readonly [Claim in ReclaimedPathClaim]: boolean };
  /** The instance's `block_jwt_for_reclaimed_paths` (on by default). */
  readonly blockJwtForReclaimedPaths: boolean;
}

/** Why a job on a reclaimed path gets no token, and how an admin restores them. */
export const RECLAIMED_PATH_MESSAGE =
  "ID token issuance is disabled in CI because this project's path was previously used by a different project: " +
  "its tokens would carry that project's project_path, namespace_path and ci_config_ref_uri, whatever the sub. " +
  'An administrator can restore ID tokens for this project by releasing the path for it ' +
  '(POST /api/v4/admin/ci/reclaimed_paths/release) once no relying party trusts the previous project.';

/**
 * GitLab 19.1 (#600358) refuses a `sub` that leads with a reclaimed path. Lanyard refuses every token of such a job,
 * whatever its `sub`: relying parties bind `project_path` and the other path claims without `sub` (a Vault role's
 * `bound_claims`), and those would equal the old project's byte for byte. Off when the admin setting is off.
 */
export function assertNotOnReclaimedPath(facts: ReclaimedPathFacts): void {
  if (!facts.blockJwtForReclaimedPaths) return;
  const claim = (['project_path', 'job_project_path'] as const).find((each) => facts.reclaimed[each]);
  if (claim) throw new IdTokenError('ERR_PATH_RECLAIMED', claim, RECLAIMED_PATH_MESSAGE);
}
