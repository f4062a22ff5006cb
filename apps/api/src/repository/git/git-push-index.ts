import { EntityManager } from 'typeorm';
import type { RefType } from '../repository-ref.entity';
import type { GitRepository } from './git-repository';

/** A ref a push moved in git, to mirror into the database's index. `sha` is null for a deletion. */
export interface MovedRef {
  readonly refType: RefType;
  readonly name: string;
  readonly sha: string | null;
}

interface ParsedCommit {
  readonly parents: string[];
  readonly authorName: string;
  readonly authorEmail: string;
  readonly at: Date;
  readonly message: string;
}

/**
 * Mirrors pushed commits and refs into the database's index (repository_commits, repository_files, repository_refs),
 * which pipeline creation, `rules:changes` and the REST API read. Commits are indexed parents first, each file row
 * copied from the first parent unless the commit changed it, as the files API's writer does.
 */
export async function indexPush(tx: EntityManager, git: GitRepository, projectId: number, moved: readonly MovedRef[]): Promise<void> {
  const targets: string[] = [];
  for (const ref of moved) if (ref.sha) targets.push(await peel(git, ref.sha));
  if (targets.length) {
    const known: { commit_sha: string }[] = await tx.query('SELECT DISTINCT commit_sha FROM repository_refs WHERE project_id = $1', [
      projectId,
    ]);
    const input = [...targets, ...known.map((row) => `^${row.commit_sha}`)].join('\n') + '\n';
    const commits = (await git.text(['rev-list', '--reverse', '--topo-order', '--ignore-missing', '--stdin'], { input }))
      .split('\n')
      .filter(Boolean);
    for (const sha of commits) await indexCommit(tx, git, projectId, sha);
  }
  for (const ref of moved) {
    if (ref.sha === null) {
      await tx.query('DELETE FROM repository_refs WHERE project_id = $1 AND ref_type = $2 AND name = $3', [
        projectId,
        ref.refType,
        ref.name,
      ]);
      continue;
    }
    const commit = await peel(git, ref.sha);
    const message = ref.refType === 'tag' && commit !== ref.sha ? await tagMessage(git, ref.sha) : null;
    await tx.query(
      `INSERT INTO repository_refs (project_id, name, ref_type, commit_sha, message) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (project_id, ref_type, name) DO UPDATE SET commit_sha = EXCLUDED.commit_sha, message = EXCLUDED.message`,
      [projectId, ref.name, ref.refType, commit, message],
    );
  }
}

async function peel(git: GitRepository, sha: string): Promise<string> {
  return git.text(['rev-parse', '--verify', `${sha}^{commit}`]);
}

async function tagMessage(git: GitRepository, tag: string): Promise<string | null> {
  const body = (await git.run(['cat-file', 'tag', tag])).toString('utf8');
  const start = body.indexOf('\n\n');
  return start < 0 ? null : body.slice(start + 2).replace(/\n$/, '') || null;
}

async function indexCommit(tx: EntityManager, git: GitRepository, projectId: number, sha: string): Promise<void> {
  const commit = parseCommit((await git.run(['cat-file', 'commit', sha])).toString('utf8'));
  const parent = commit.parents[0] ?? null;
  const inserted: { id: number }[] = await tx.query(
    `INSERT INTO repository_commits (project_id, sha, parent_sha, message, author_name, author_email, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (project_id, sha) DO NOTHING RETURNING id`,
    [projectId, sha, parent, commit.message, commit.authorName, commit.authorEmail, commit.at],
  );
  if (!inserted.length) return;
  const [{ id }] = inserted;
  // Changed (or, for a root commit, all) regular files and symlinks; submodules are no files.
  const diff = parent
    ? await git.run(['diff-tree', '-r', '-z', '--no-renames', '--no-commit-id', parent, sha])
    : await git.run(['ls-tree', '-r', '-z', sha]);
  const changes = parent ? parseDiffTree(diff) : parseLsTree(diff);
  if (parent) {
    await tx.query(
      `INSERT INTO repository_files (commit_id, path, content, last_commit_sha)
       SELECT $1, f.path, f.content, f.last_commit_sha
         FROM repository_files f JOIN repository_commits c ON c.id = f.commit_id
        WHERE c.project_id = $2 AND c.sha = $3 AND f.path <> ALL($4)`,
      [id, projectId, parent, changes.map((change) => change.path)],
    );
  }
  for (const change of changes) {
    if (change.blob === null) continue;
    const content = await git.run(['cat-file', 'blob', change.blob]);
    await tx.query('INSERT INTO repository_files (commit_id, path, content, last_commit_sha) VALUES ($1, $2, $3, $4)', [
      id,
      change.path,
      content,
      sha,
    ]);
  }
}

function parseCommit(text: string): ParsedCommit {
  const split = text.indexOf('\n\n');
  const headers = text.slice(0, split < 0 ? text.length : split).split('\n');
  const parents = headers.filter((line) => line.startsWith('parent ')).map((line) => line.slice(7));
  const author = /^author (.*) <([^>]*)> (\d+) [+-]\d{4}$/.exec(headers.find((line) => line.startsWith('author ')) ?? '');
  return {
    parents,
    authorName: author?.[1] ?? '',
    authorEmail: author?.[2] ?? '',
    at: new Date(Number(author?.[3] ?? 0) * 1000),
    message: split < 0 ? '' : text.slice(split + 2),
  };
}

/** `:old-mode new-mode old-oid new-oid status\0path\0`, blob null when the path went away or is not a file. */
function parseDiffTree(output: Buffer): { path: string; blob: string | null }[] {
  const fields = output.toString('utf8').split('\0');
  const changes: { path: string; blob: string | null }[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [, newMode, , newOid, status] = fields[i].slice(1).split(' ');
    changes.push({ path: fields[i + 1], blob: status === 'D' || !isFileMode(newMode) ? null : newOid });
  }
  return changes;
}

/** `mode type oid\tpath\0`. */
function parseLsTree(output: Buffer): { path: string; blob: string | null }[] {
  return output
    .toString('utf8')
    .split('\0')
    .filter(Boolean)
    .map((entry) => {
      const tab = entry.indexOf('\t');
      const [mode, , oid] = entry.slice(0, tab).split(' ');
      return { path: entry.slice(tab + 1), blob: isFileMode(mode) ? oid : null };
    });
}

function isFileMode(mode: string): boolean {
  return mode === '100644' || mode === '100755' || mode === '120000';
}
