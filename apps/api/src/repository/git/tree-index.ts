import type { EntityManager } from 'typeorm';
import { readObjects } from './git-objects';
import type { GitRepository } from './git-repository';
import { RepositoryError } from '../repository-errors';

/** Rows a statement inserts at once: few round trips, parameters of bounded size. */
export const INSERT_BATCH = 500;

/**
 * Writes the whole tree of an indexed commit into repository_files unless it is there already. A push indexes only
 * its tips' trees (copying every intermediate commit's tree made a push quadratic); any other commit — a merge base,
 * a sha the files API names — is indexed the first time a reader needs it. The commit row is locked, so two readers
 * never write one tree twice. A sha the project has no commit row for is left alone (readers then find nothing); one
 * git does not have is COMMIT_NOT_FOUND.
 */
export async function ensureTreeIndexed(tx: EntityManager, git: GitRepository, projectId: number, sha: string): Promise<void> {
  const [commit]: { id: number; tree_indexed: boolean }[] = await tx.query(
    'SELECT id, tree_indexed FROM repository_commits WHERE project_id = $1 AND sha = $2',
    [projectId, sha],
  );
  if (!commit || commit.tree_indexed) return;
  const [locked]: { tree_indexed: boolean }[] = await tx.query('SELECT tree_indexed FROM repository_commits WHERE id = $1 FOR UPDATE', [
    commit.id,
  ]);
  if (locked.tree_indexed) return;
  // The index may know a commit git lacks (objects lost with a deleted fork source before they were kept): a 404.
  if (!(await git.test(['cat-file', '-e', `${sha}^{tree}`]))) throw new RepositoryError('COMMIT_NOT_FOUND');
  await writeTree(tx, git, commit.id, sha);
  await tx.query('UPDATE repository_commits SET tree_indexed = true WHERE id = $1', [commit.id]);
}

/** Regular files and symlinks of the tree (submodules are no files), their bytes read by one `cat-file --batch`. */
async function writeTree(tx: EntityManager, git: GitRepository, commitId: number, sha: string): Promise<void> {
  const files = parseLsTree(await git.run(['ls-tree', '-r', '-z', sha]));
  if (!files.length) return;
  const contents = await readObjects(
    git,
    files.map((file) => file.blob),
  );
  const lastCommits = await lastCommitOfPaths(git, sha, new Set(files.map((file) => file.path)));
  for (let start = 0; start < files.length; start += INSERT_BATCH) {
    const batch = files.slice(start, start + INSERT_BATCH);
    await tx.query(
      `INSERT INTO repository_files (commit_id, path, content, last_commit_sha)
       SELECT $1, * FROM unnest($2::text[], $3::bytea[], $4::text[])`,
      [
        commitId,
        batch.map((file) => file.path),
        contents.slice(start, start + INSERT_BATCH),
        batch.map((file) => lastCommits.get(file.path) ?? sha),
      ],
    );
  }
}

/**
 * GitLab's last_commit_id, `git log -1 <sha> -- <path>`, for every path of a tree. One walk of the history listing each
 * commit's changed paths (a merge's: those changed from all its parents, `-c`) answers every path it meets before the
 * first merge: up to there the history is one line. Past a merge, `git log -- <path>` follows only the parent the path
 * came from, which the walk cannot tell, so those paths are asked of git one by one.
 */
async function lastCommitOfPaths(git: GitRepository, sha: string, paths: Set<string>): Promise<Map<string, string>> {
  const output = await git.run(['log', '-c', '--name-only', '--no-renames', '-z', '--format=%x01%H %P', sha]);
  const found = new Map<string, string>();
  const pastMerge: string[] = [];
  let merged = false;
  for (const record of output.toString('utf8').split('\x01')) {
    const [header, ...names] = record.split('\0');
    const [commit, ...parents] = header.split(' ');
    for (const name of names) {
      const path = name.replace(/^\n/, '');
      if (!paths.has(path) || found.has(path)) continue;
      found.set(path, commit);
      if (merged) pastMerge.push(path);
    }
    if (found.size === paths.size) break;
    if (parents.length > 1) merged = true;
  }
  for (const path of pastMerge) found.set(path, await git.text(['--literal-pathspecs', 'log', '-1', '--format=%H', sha, '--', path]));
  return found;
}

/** `mode type oid\tpath\0`, files only. */
function parseLsTree(output: Buffer): { path: string; blob: string }[] {
  return output
    .toString('utf8')
    .split('\0')
    .filter(Boolean)
    .flatMap((entry) => {
      const tab = entry.indexOf('\t');
      const [mode, , oid] = entry.slice(0, tab).split(' ');
      return isFileMode(mode) ? [{ path: entry.slice(tab + 1), blob: oid }] : [];
    });
}

function isFileMode(mode: string): boolean {
  return mode === '100644' || mode === '100755' || mode === '120000';
}
