import type { EntityManager } from 'typeorm';
import { enqueueBuilds } from './pending-builds';

/** The statuses in which a job holds its resource group (GitLab assigns the resource when it is queued). */
const HOLDING = `('pending', 'running')`;

/**
 * Locks every resource group of a project, always in id order, so two transactions taking and freeing groups of the
 * same project (a job finishing, another starting) wait for each other instead of both seeing a group free, and never
 * deadlock: the first to lock the lowest id goes first. Later calls in the same transaction hold the locks already.
 */
export async function lockResourceGroups(tx: EntityManager, projectId: number): Promise<void> {
  // NO KEY UPDATE: the key-share locks that inserting a job of a group takes (its foreign key) must not conflict with
  // this, or two pipelines created together would each wait for the other.
  await tx.query('SELECT id FROM ci_resource_groups WHERE project_id = $1 ORDER BY id FOR NO KEY UPDATE', [projectId]);
}

/**
 * Starts jobs: those without a resource group are queued; a job whose group another job holds waits
 * (`waiting_for_resource`), the first of several asking for a free group takes it.
 */
export async function startBuilds(tx: EntityManager, projectId: number, buildIds: readonly number[], now: Date): Promise<void> {
  if (buildIds.length === 0) return;
  const rows: { id: string; resource_group_id: string | null }[] = await tx.query(
    'SELECT id, resource_group_id FROM ci_builds WHERE id = ANY($1) ORDER BY id',
    [buildIds],
  );
  if (rows.every((row) => row.resource_group_id === null)) return enqueueBuilds(tx, projectId, buildIds, now);
  await lockResourceGroups(tx, projectId);
  const groups = [...new Set(rows.flatMap((row) => (row.resource_group_id === null ? [] : [row.resource_group_id])))];
  const held: { resource_group_id: string }[] = await tx.query(
    `SELECT DISTINCT resource_group_id FROM ci_builds WHERE resource_group_id = ANY($1) AND status IN ${HOLDING}`,
    [groups],
  );
  const busy = new Set(held.map((row) => row.resource_group_id));
  const queued: number[] = [];
  const waiting: number[] = [];
  for (const row of rows) {
    if (row.resource_group_id !== null && busy.has(row.resource_group_id)) waiting.push(Number(row.id));
    else {
      queued.push(Number(row.id));
      if (row.resource_group_id !== null) busy.add(row.resource_group_id);
    }
  }
  if (waiting.length) await tx.query(`UPDATE ci_builds SET status = 'waiting_for_resource' WHERE id = ANY($1)`, [waiting]);
  await enqueueBuilds(tx, projectId, queued, now);
}

/**
 * After a job of a resource group finished: the oldest job waiting for the group, in any pipeline of the project,
 * takes it and is queued. Its pipeline's status does not change (a waiting job counts as pending).
 */
export async function releaseResourceGroup(tx: EntityManager, projectId: number, resourceGroupId: number, now: Date): Promise<void> {
  await lockResourceGroups(tx, projectId);
  const [holder] = await tx.query(`SELECT 1 FROM ci_builds WHERE resource_group_id = $1 AND status IN ${HOLDING} LIMIT 1`, [
    resourceGroupId,
  ]);
  if (holder) return;
  const [next]: { id: string }[] = await tx.query(
    `SELECT id FROM ci_builds WHERE resource_group_id = $1 AND status = 'waiting_for_resource' ORDER BY id LIMIT 1 FOR UPDATE`,
    [resourceGroupId],
  );
  if (next) await enqueueBuilds(tx, projectId, [Number(next.id)], now);
}
