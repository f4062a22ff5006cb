import { EntityManager } from 'typeorm';
import type { RefType } from '../repository-ref.entity';
import type { GitRepository } from './git-repository';
import { readObjects } from './git-objects';
import { INSERT_BATCH, ensureTreeIndexed } from './tree-index';

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
 * which pipeline creation, `rules:changes` and the REST API read. Every new commit gets its row, parents first; only the
 * pushed tips get their trees, so a push's rows grow with its commits plus one tree per tip, never commits × tree.
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
    await indexCommits(tx, git, projectId, commits);
    for (const sha of new Set(targets)) await ensureTreeIndexed(tx, git, projectId, sha);
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

/** The commits' rows, read by one `cat-file --batch`; their trees are left for `ensureTreeIndexed`. */
async function indexCommits(tx: EntityManager, git: GitRepository, projectId: number, shas: readonly string[]): Promise<void> {
  const commits = (await readObjects(git, shas)).map((body) => parseCommit(body.toString('utf8')));
  for (let start = 0; start < shas.length; start += INSERT_BATCH) {
    const batch = commits.slice(start, start + INSERT_BATCH);
    await tx.query(
      `INSERT INTO repository_commits (project_id, sha, parent_sha, message, author_name, author_email, created_at, tree_indexed)
       SELECT $1, *, false FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
       ON CONFLICT (project_id, sha) DO NOTHING`,
      [
        projectId,
        shas.slice(start, start + INSERT_BATCH),
        batch.map((commit) => commit.parents[0] ?? null),
        batch.map((commit) => commit.message),
        batch.map((commit) => commit.authorName),
        batch.map((commit) => commit.authorEmail),
        batch.map((commit) => commit.at),
      ],
    );
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
