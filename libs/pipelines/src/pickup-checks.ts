import type { ServerFailureReason } from './build-status';

/** What the pickup knows about a job before anything is signed for it. */
export interface PickupFacts {
  /** The state of the job's user now (null: no user), which may have changed while the job waited. */
  readonly userState: string | null;
  /** The project the job's code comes from was deleted while it waited (a fork, for a merge-request pipeline). */
  readonly projectDeleted: boolean;
  /** The job runs for a protected ref its user may no longer push to or merge into (`protectedRefAccessRevoked`). */
  readonly protectedRefRevoked: boolean;
  /** The job's environment is protected and its user may not deploy there (access can change while a job waits). */
  readonly deployRefused: boolean;
  /** The job has `secrets:`; they need `VAULT_SERVER_URL` among its variables. */
  readonly hasSecrets: boolean;
  /** The job's variables, each key's effective value. */
  readonly variables: ReadonlyMap<string, string>;
}

/** GitLab's `User#blocked?` states: an admin's block, LDAP's, pending approval and banned. */
const BLOCKED_USER_STATES: ReadonlySet<string> = new Set(['blocked', 'ldap_blocked', 'blocked_pending_approval', 'banned']);

/**
 * GitLab's pre-assign checks (`Ci::RegisterJobService#pre_assign_runner_checks`, EE adds the secrets provider), in its
 * order: the first that applies drops the job. Decided before any ID token is signed, so a dropped job has none.
 */
const PICKUP_CHECKS: readonly (readonly [ServerFailureReason, (facts: PickupFacts) => boolean])[] = [
  ['project_deleted', (facts) => facts.projectDeleted],
  ['user_blocked', (facts) => facts.userState !== null && BLOCKED_USER_STATES.has(facts.userState)],
  ['protected_ref_access_revoked', (facts) => facts.protectedRefRevoked],
  ['protected_environment_failure', (facts) => facts.deployRefused],
  ['secrets_provider_not_found', (facts) => facts.hasSecrets && !facts.variables.get('VAULT_SERVER_URL')],
];

/** The reason to drop the job at pickup, or null when it may run. */
export function pickupFailure(facts: PickupFacts): ServerFailureReason | null {
  return PICKUP_CHECKS.find(([, applies]) => applies(facts))?.[0] ?? null;
}
