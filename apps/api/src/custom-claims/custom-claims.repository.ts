import {
  AWS_SESSION_TAGS_CLAIM,
  type ClaimNameRegistration,
  type ClaimOwner,
  type ClaimTree,
  type CustomClaimDefinition,
  type TreeGroup,
  type TreeProject,
  ownerKey,
} from '@lanyard/id-tokens';
import { EntityManager } from 'typeorm';
import { namespaceFullPathSql, projectFullPathSql } from '../database/sql-fragments';
import { PREPARED_MARK } from '../database/prepared-statements';

export interface TreeScope {
  /** The group, or the project's namespace: its groups, root first, are the levels above. */
  readonly namespaceId: number;
  readonly projectId: number | null;
  /** Also every group and project below the group (a group's change is checked against them). */
  readonly descendants: boolean;
  /** Claims not stored (yet) whose names are looked up in the registry too: a level's new set, jobs' `jwt_claims`. */
  readonly unstoredClaims: readonly Readonly<Record<string, unknown>>[];
}

/** The row `claimTreeSql` selects: the tree as JSON (`value` is json, so its text and an object's key order are kept). */
export interface ClaimTreeRow {
  readonly groups: { id: number; full_path: string; traversal_ids: number[] }[] | null;
  readonly projects: { id: number; full_path: string; namespace_id: number; type: string; traversal_ids: number[] }[] | null;
  readonly claims: { namespace_id: number | null; project_id: number | null; key: string; value: unknown; mutable: boolean }[] | null;
  /** The registry's entries for every name the claims above and the unstored ones use (session tag keys included). */
  readonly names: { name: string; namespace_id: number | null; full_path: string | null }[] | null;
}

/**
 * SQL selecting one `ClaimTreeRow`: the groups, projects and claims of a scope given as SQL expressions (the namespace
 * id, whether to take its descendants, the project id or 0, and a jsonb array of unstored claim objects), and the
 * registry's entries for the names they use. Its aliases (`tree_*`) are its own, so a query may embed it as a
 * subquery that names the scope by its columns.
 */
export function claimTreeSql(namespaceId: string, descendants: string, projectId: string, unstoredClaims: string): string {
  const unstored = `CASE WHEN jsonb_typeof(${unstoredClaims}) = 'array' THEN ${unstoredClaims} ELSE '[]' END`;
  // The principal tag keys of AWS's session tags are claim names too (`claimNamesOf`), compared lower-cased.
  const sessionTags = `CASE WHEN tree_names.name = '${AWS_SESSION_TAGS_CLAIM}' AND jsonb_typeof(tree_names.value->'principal_tags') = 'object'
                            THEN tree_names.value->'principal_tags' ELSE '{}' END`;
  return `WITH tree_groups AS (
       SELECT tree_n.id, tree_n.traversal_ids, ${namespaceFullPathSql('tree_n')} AS full_path FROM namespaces tree_n
        WHERE tree_n.type = 'Group'
          AND (tree_n.id IN (SELECT unnest(traversal_ids) FROM namespaces WHERE id = ${namespaceId})
               OR (${descendants} AND tree_n.traversal_ids @> ARRAY[${namespaceId}::bigint]))
     ), tree_projects AS (
       SELECT tree_p.id, tree_p.namespace_id, tree_n.type, tree_n.traversal_ids, ${projectFullPathSql(namespaceFullPathSql('tree_n'), 'tree_p.path')} AS full_path
         FROM projects tree_p JOIN namespaces tree_n ON tree_n.id = tree_p.namespace_id
        WHERE tree_p.id = ${projectId}
           OR tree_p.namespace_id IN (SELECT id FROM tree_groups WHERE ${descendants} AND traversal_ids @> ARRAY[${namespaceId}::bigint])
     ), tree_claims AS (
       SELECT namespace_id, project_id, key, value, mutable, position FROM ci_id_token_custom_claims
        WHERE namespace_id IN (SELECT id FROM tree_groups) OR project_id IN (SELECT id FROM tree_projects)
     ), tree_names AS (
       SELECT key AS name, value::jsonb AS value FROM tree_claims
       UNION ALL
       SELECT tree_u.key, tree_u.value
         FROM jsonb_array_elements(${unstored}) tree_level (claims),
              jsonb_each(CASE WHEN jsonb_typeof(tree_level.claims) = 'object' THEN tree_level.claims ELSE '{}' END) tree_u
     ), tree_registry AS (
       SELECT tree_cn.name, tree_cn.namespace_id, ${namespaceFullPathSql('tree_o')} AS full_path
         FROM ci_id_token_claim_names tree_cn LEFT JOIN namespaces tree_o ON tree_o.id = tree_cn.namespace_id
        WHERE tree_cn.name IN (SELECT name FROM tree_names UNION ALL SELECT lower(tree_tag) FROM tree_names, jsonb_object_keys(${sessionTags}) tree_tag)
     )
     SELECT (SELECT json_agg(tree_groups) FROM tree_groups) AS groups, (SELECT json_agg(tree_projects) FROM tree_projects) AS projects,
            (SELECT json_agg(tree_claims ORDER BY tree_claims.position) FROM tree_claims) AS claims,
            (SELECT json_agg(tree_registry) FROM tree_registry) AS names`;
}

/** Reads the groups, projects and claims of `scope` in one query. */
export async function loadClaimTree(db: EntityManager, scope: TreeScope): Promise<ClaimTree> {
  const [row]: ClaimTreeRow[] = await db.query(PREPARED_MARK + claimTreeSql('$1', '$2', '$3', '$4::jsonb'), [
    scope.namespaceId,
    scope.descendants,
    scope.projectId ?? 0,
    unstoredClaimsParameter(scope.unstoredClaims),
  ]);
  return claimTreeOf(row);
}

/**
 * Unstored claims as jsonb text. PostgreSQL's jsonb cannot hold U+0000, which a request may put in any key or value;
 * the merge refuses such a claim afterwards (400), so here it only has to reach the registry lookup harmlessly: as
 * U+FFFD, which no registered claim name holds. Only an escape after an even run of backslashes is a NUL.
 */
function unstoredClaimsParameter(claims: TreeScope['unstoredClaims']): string {
  return JSON.stringify(claims).replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd');
}

export function claimTreeOf(row: ClaimTreeRow): ClaimTree {
  const groups = new Map<number, TreeGroup>(
    (row.groups ?? []).map((group) => [group.id, { id: group.id, fullPath: group.full_path, traversalIds: group.traversal_ids }]),
  );
  const projects = new Map<number, TreeProject>(
    (row.projects ?? []).map((project) => [
      project.id,
      {
        id: project.id,
        fullPath: project.full_path,
        groupId: project.type === 'Group' ? project.namespace_id : null,
        namespaceIds: project.traversal_ids,
      },
    ]),
  );
  const claims = new Map<string, CustomClaimDefinition[]>();
  for (const claim of row.claims ?? []) {
    const owner: ClaimOwner =
      claim.project_id === null ? { kind: 'group', id: claim.namespace_id! } : { kind: 'project', id: claim.project_id };
    const list = claims.get(ownerKey(owner)) ?? [];
    list.push({ key: claim.key, value: claim.value, mutable: claim.mutable });
    claims.set(ownerKey(owner), list);
  }
  const names = new Map((row.names ?? []).map((entry) => [entry.name, registrationOf(entry)]));
  return { groups, projects, claims, names };
}

function registrationOf(entry: NonNullable<ClaimTreeRow['names']>[number]): ClaimNameRegistration {
  if (entry.namespace_id === null) return { name: entry.name, owner: null };
  return {
    name: entry.name,
    owner: { id: Number(entry.namespace_id), fullPath: entry.full_path ?? `(deleted group ${entry.namespace_id})` },
  };
}

/**
 * Serialises claim changes within one root namespace until the transaction ends, so a group locking a claim and a
 * project redefining it at the same moment cannot both pass their checks.
 */
export async function lockClaimHierarchy(db: EntityManager, namespaceId: number): Promise<void> {
  await db.query(
    `SELECT pg_advisory_xact_lock(hashtextextended('ci_id_token_custom_claims', n.traversal_ids[1])) FROM namespaces n WHERE n.id = $1`,
    [namespaceId],
  );
}

/** Replaces the owner's claims; `value` goes in as the JSON text it was given, so objects keep their key order. */
export async function writeClaims(db: EntityManager, owner: ClaimOwner, claims: readonly CustomClaimDefinition[]): Promise<void> {
  const [namespaceId, projectId] = ownerColumns(owner);
  await db.query('DELETE FROM ci_id_token_custom_claims WHERE namespace_id = $1 OR project_id = $2', [namespaceId, projectId]);
  if (claims.length === 0) return;
  await db.query(
    `INSERT INTO ci_id_token_custom_claims (namespace_id, project_id, key, value, mutable, position)
     SELECT $1, $2, claim->>'key', claim->'value', (claim->>'mutable')::boolean, ordinality - 1
       FROM json_array_elements($3::json) WITH ORDINALITY AS c (claim, ordinality)`,
    [namespaceId, projectId, JSON.stringify(claims.map(({ key, value, mutable }) => ({ key, value, mutable })))],
  );
}

export interface ClaimEventInput {
  readonly owner: ClaimOwner;
  readonly userId: number;
  /** The level's `source` label when the change was made. */
  readonly level: string;
  readonly before: readonly CustomClaimDefinition[];
  readonly after: readonly CustomClaimDefinition[];
}

export async function recordClaimEvent(db: EntityManager, event: ClaimEventInput): Promise<void> {
  const [namespaceId, projectId] = ownerColumns(event.owner);
  await db.query(
    `INSERT INTO ci_id_token_custom_claim_events (namespace_id, project_id, user_id, level, before, after)
     VALUES ($1, $2, $3, $4, $5::json, $6::json)`,
    [namespaceId, projectId, event.userId, event.level, JSON.stringify(event.before), JSON.stringify(event.after)],
  );
}

export interface ClaimEventRow {
  id: number;
  level: string;
  before: CustomClaimDefinition[];
  after: CustomClaimDefinition[];
  created_at: Date;
  user_id: number | null;
  username: string | null;
  name: string | null;
}

/** Newest first, as GitLab lists audit events. */
export async function listClaimEvents(
  db: EntityManager,
  owner: ClaimOwner,
  offset: number,
  limit: number,
): Promise<[ClaimEventRow[], number]> {
  const [namespaceId, projectId] = ownerColumns(owner);
  const where = 'WHERE e.namespace_id = $1 OR e.project_id = $2';
  const rows: ClaimEventRow[] = await db.query(
    `SELECT e.id, e.level, e.before, e.after, e.created_at, u.id AS user_id, u.username, u.name
       FROM ci_id_token_custom_claim_events e LEFT JOIN users u ON u.id = e.user_id
      ${where} ORDER BY e.id DESC OFFSET $3 LIMIT $4`,
    [namespaceId, projectId, offset, limit],
  );
  const [{ count }]: { count: number }[] = await db.query(`SELECT count(*)::int AS count FROM ci_id_token_custom_claim_events e ${where}`, [
    namespaceId,
    projectId,
  ]);
  return [rows, count];
}

function ownerColumns(owner: ClaimOwner): [number | null, number | null] {
  return owner.kind === 'group' ? [owner.id, null] : [null, owner.id];
}
