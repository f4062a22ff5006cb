import type { EntityManager } from 'typeorm';

/**
 * The project's next pipeline `iid` (GitLab's `InternalId.generate_next` on `internal_ids`). The counter row stays
 * locked until `tx` ends, so concurrent pipelines of a project take consecutive numbers, and one rolled back gives its
 * number back.
 */
export async function nextPipelineIid(tx: EntityManager, projectId: number): Promise<number> {
  const [row]: { last_value: number }[] = await tx.query(
    `INSERT INTO internal_ids (project_id, usage, last_value) VALUES ($1, 'ci_pipelines', 1)
     ON CONFLICT (project_id, usage) DO UPDATE SET last_value = internal_ids.last_value + 1
     RETURNING last_value`,
    [projectId],
  );
  return row.last_value;
}
