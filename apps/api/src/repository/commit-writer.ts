import { EntityManager } from 'typeorm';
import { writeFileCommit } from './git/git-objects';
import type { GitRepository } from './git/git-repository';
import { ensureTreeIndexed } from './git/tree-index';

export interface NewCommit {
  readonly projectId: number;
  readonly parentSha: string | null;
  readonly message: string;
  readonly authorName: string;
  readonly authorEmail: string;
  readonly at: Date;
  readonly path: string;
  readonly content: Buffer;
}

/**
 * Writes a git commit that changes one file, then indexes it in the database: the commit row, and its whole tree in
 * repository_files (what pipeline creation, `rules:changes` and the files API read without spawning git). Runs on the
 * caller's transaction, which holds the branch lock; moving the branch (in git and in the index) is the caller's
 * business.
 */
export async function writeCommit(tx: EntityManager, git: GitRepository, commit: NewCommit): Promise<string> {
  // The new tree is the parent's with one file changed: the parent's must be there to copy.
  if (commit.parentSha) await ensureTreeIndexed(tx, git, commit.projectId, commit.parentSha);
  const sha = await writeFileCommit(git, {
    parentSha: commit.parentSha,
    path: commit.path,
    content: commit.content,
    message: commit.message,
    author: { name: commit.authorName, email: commit.authorEmail, at: commit.at },
  });
  const inserted: { id: number }[] = await tx.query(
    `INSERT INTO repository_commits (project_id, sha, parent_sha, message, author_name, author_email, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (project_id, sha) DO NOTHING RETURNING id`,
    [commit.projectId, sha, commit.parentSha, commit.message, commit.authorName, commit.authorEmail, commit.at],
  );
  // The same change to the same parent by the same author in the same second is the same git commit, indexed already.
  if (!inserted.length) return sha;
  const [{ id }] = inserted;
  if (commit.parentSha) {
    await tx.query(
      `INSERT INTO repository_files (commit_id, path, content, last_commit_sha)
       SELECT $1, f.path, f.content, f.last_commit_sha
         FROM repository_files f JOIN repository_commits c ON c.id = f.commit_id
        WHERE c.project_id = $2 AND c.sha = $3 AND f.path <> $4`,
      [id, commit.projectId, commit.parentSha, commit.path],
    );
  }
  await tx.query('INSERT INTO repository_files (commit_id, path, content, last_commit_sha) VALUES ($1, $2, $3, $4)', [
    id,
    commit.path,
    commit.content,
    sha,
  ]);
  return sha;
}
