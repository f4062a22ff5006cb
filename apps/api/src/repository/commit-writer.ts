import { createHash, randomBytes } from 'node:crypto';
import { EntityManager } from 'typeorm';

export interface NewCommit {
  readonly projectId: number;
  readonly parentSha: string | null;
  readonly message: string;
  readonly authorName: string;
  readonly authorEmail: string;
  readonly path: string;
  readonly content: Buffer;
}

/**
 * Writes a commit that changes one file: the parent's whole tree is copied and the changed path replaced. Runs on
 * the caller's transaction, which holds the branch lock; moving the branch is the caller's business.
 */
export async function writeCommit(tx: EntityManager, commit: NewCommit): Promise<string> {
  const sha = commitSha(commit);
  const [{ id }]: { id: number }[] = await tx.query(
    `INSERT INTO repository_commits (project_id, sha, parent_sha, message, author_name, author_email)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [commit.projectId, sha, commit.parentSha, commit.message, commit.authorName, commit.authorEmail],
  );
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

/** Not git's object hash (there are no tree objects here) but as unique: parent, change, message, time and a nonce. */
function commitSha(commit: NewCommit): string {
  return (
    createHash('sha1')
      .update(`parent ${commit.parentSha ?? ''}\n`)
      .update(`change ${commit.path} ${createHash('sha256').update(commit.content).digest('hex')}\n`)
      // eslint-disable-next-line no-restricted-syntax -- entropy for the sha (beside the nonce), not a rule
      .update(`author ${commit.authorName} <${commit.authorEmail}> ${Date.now()}\n`)
      .update(`nonce ${randomBytes(16).toString('hex')}\n\n`)
      .update(commit.message)
      .digest('hex')
  );
}
