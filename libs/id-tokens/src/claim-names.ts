/**
 * Who may set a custom claim name: the instance's registry (`ci_id_token_claim_names`), kept by admins. A lock only
 * binds the levels below the group that set it; it says nothing about who else may use the name. So a relying party
 * trusting `team: platform` would trust any project that writes it, unless the name belongs to one top-level group,
 * whose tree alone may set it.
 */
export interface ClaimNameRegistration {
  readonly name: string;
  /**
   * The group whose tree alone may set the name (top-level when registered); null: open to every project. A
   * deleted owner keeps its id here, which no namespace has any more, so nobody may set the name until an admin
   * registers it again.
   */
  readonly owner: { readonly id: number; readonly fullPath: string } | null;
}

/** Registered names by name; a name absent from it is unregistered, and anyone may set it. */
export type ClaimNameRegistry = ReadonlyMap<string, ClaimNameRegistration>;

/** AWS's session-tags claim: its principal tag keys assert facts as claim names do. */
export const AWS_SESSION_TAGS_CLAIM = 'https://aws.amazon.com/tags';

/**
 * The names a definition asserts: its key, and under AWS's session tags each principal tag key, lower-cased
 * (AWS matches tag keys in policies case-insensitively, so `Team` would pass a condition on `aws:PrincipalTag/team`).
 */
export function claimNamesOf(key: string, value: unknown): string[] {
  if (key !== AWS_SESSION_TAGS_CLAIM || !isObject(value) || !isObject(value.principal_tags)) return [key];
  return [key, ...Object.keys(value.principal_tags).map((tag) => tag.toLowerCase())];
}

/** The names of `claims` to look up in the registry. */
export function claimNamesToLookUp(claims: readonly { readonly key: string; readonly value: unknown }[]): string[] {
  return [...new Set(claims.flatMap((claim) => claimNamesOf(claim.key, claim.value)))];
}

export interface UnownedClaimName {
  readonly name: string;
  readonly owner: NonNullable<ClaimNameRegistration['owner']>;
}

/**
 * The first name `key` = `value` asserts that a group outside `namespaceIds` owns, or null. `namespaceIds` are the
 * traversal ids (root first) of where the definition is written: the group, the project's namespace, or for a job
 * the namespace of the project its code comes from.
 */
export function unownedClaimName(
  key: string,
  value: unknown,
  namespaceIds: readonly number[],
  registry: ClaimNameRegistry,
): UnownedClaimName | null {
  for (const name of claimNamesOf(key, value)) {
    const owner = registry.get(name)?.owner;
    if (owner && !namespaceIds.includes(owner.id)) return { name, owner };
  }
  return null;
}

/** The refusal of an owned name: `jobs:deploy:jwt_claims ` or a level is put before it by whoever reports it. */
export function unownedClaimMessage(key: string, unowned: UnownedClaimName): string {
  const subject = unowned.name === key ? key : `${key} session tag ${unowned.name}`;
  return `${subject} is owned by group ${unowned.owner.fullPath}: only that group and the groups and projects below it may set it`;
}

/**
 * Warnings for the open and unregistered names `key` = `value` asserts (AWS's tags claim itself aside: its tag keys
 * are what it asserts): a relying party trusting such a claim trusts every project, unless it binds where the token
 * comes from too.
 */
export function openClaimNameWarnings(location: string, key: string, value: unknown, registry: ClaimNameRegistry): string[] {
  const bind = 'a relying party that trusts it must also bind namespace_id or project_id';
  return claimNamesOf(key, value)
    .filter((name) => name !== AWS_SESSION_TAGS_CLAIM && !registry.get(name)?.owner)
    .map((name) =>
      registry.has(name)
        ? `${location} ${name} is open to every project: ${bind}`
        : `${location} ${name} is not a registered claim name, so any project can set it: ${bind}`,
    );
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
