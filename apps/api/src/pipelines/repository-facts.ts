import type { EntityManager } from 'typeorm';
import type { RepositoryService } from '../repository/repository.service';

/** What indexes a commit's tree before it is read (a push indexes only its tips'). */
export type Trees = Pick<RepositoryService, 'ensureTree'>;

/** How far back a merge base is looked for, along first parents. */
const MAX_HISTORY = 10_000;

/** Every file path at a commit (`git ls-files`), for `rules:exists`. */
export async function filesAt(tx: EntityManager, trees: Trees, projectId: number, sha: string): Promise<string[]> {
  await trees.ensureTree(tx, projectId, sha);
  const rows: { path: string }[] = await tx.query(
    `SELECT f.path FROM repository_files f JOIN repository_commits c ON c.id = f.commit_id
      WHERE c.project_id = $1 AND c.sha = $2 ORDER BY f.path`,
    [projectId, sha],
  );
  return rows.map((row) => row.path);
}

/** Paths added, removed or whose content differs between two commits of a project (`git diff --name-only`). */
export async function changedPaths(tx: EntityManager, trees: Trees, projectId: number, from: string, to: string): Promise<string[]> {
  // In one order everywhere, so two diffs indexing the same two commits never wait on each other's lock.
  for (const sha of [from, to].sort()) await trees.ensureTree(tx, projectId, sha);
  const rows: { path: string }[] = await tx.query(
    `WITH tree AS (
       SELECT c.sha, f.path, f.content FROM repository_files f JOIN repository_commits c ON c.id = f.commit_id
        WHERE c.project_id = $1 AND c.sha IN ($2, $3))
     SELECT coalesce(a.path, b.path) AS path
       FROM (SELECT path, content FROM tree WHERE sha = $2) a
       FULL JOIN (SELECT path, content FROM tree WHERE sha = $3) b ON a.path = b.path
      WHERE a.path IS NULL OR b.path IS NULL OR a.content <> b.content
      ORDER BY 1`,
    [projectId, from, to],
  );
  return rows.map((row) => row.path);
}

/**
 * The newest common ancestor of `sha` (in `projectId`) and `otherSha` (in `otherProjectId`, a fork's parent or the
 * project itself): commits keep their sha when a fork copies them. Null when the histories never meet.
 */
export async function mergeBase(
  tx: EntityManager,
  projectId: number,
  sha: string,
  otherProjectId: number,
  otherSha: string,
): Promise<string | null> {
  const rows: { sha: string }[] = await tx.query(
    `WITH RECURSIVE
       mine(sha, depth) AS (
         SELECT $2::char(40), 0
         UNION ALL
         SELECT c.parent_sha, m.depth + 1 FROM mine m JOIN repository_commits c ON c.project_id = $1 AND c.sha = m.sha
          WHERE c.parent_sha IS NOT NULL AND m.depth < $5),
       theirs(sha, depth) AS (
         SELECT $4::char(40), 0
         UNION ALL
         SELECT c.parent_sha, t.depth + 1 FROM theirs t JOIN repository_commits c ON c.project_id = $3 AND c.sha = t.sha
          WHERE c.parent_sha IS NOT NULL AND t.depth < $5)
     SELECT m.sha FROM mine m WHERE m.sha IN (SELECT sha FROM theirs) ORDER BY m.depth LIMIT 1`,
    [projectId, sha, otherProjectId, otherSha, MAX_HISTORY],
  );
  return rows[0]?.sha ?? null;
}

/** Paths changed from the merge base of the two commits to `sha` (`git diff A...B`); null when there is none. */
export async function changedSinceMergeBase(
  tx: EntityManager,
  trees: Trees,
  projectId: number,
  sha: string,
  otherProjectId: number,
  otherSha: string,
): Promise<string[] | null> {
  const base = await mergeBase(tx, projectId, sha, otherProjectId, otherSha);
  return base === null ? null : changedPaths(tx, trees, projectId, base, sha);
}
