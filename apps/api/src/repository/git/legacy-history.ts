import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EntityManager } from 'typeorm';
import type { GitRepository } from './git-repository';
import { writeTagObject } from './git-objects';

interface LegacyCommit {
  readonly id: string;
  readonly sha: string;
  readonly parent_sha: string | null;
  readonly message: string;
  readonly author_name: string;
  readonly author_email: string;
  readonly created_at: Date;
}

/** Git fast-import's quoted path: always quoted, so no name (spaces, quotes, newlines) is misread. */
function quotePath(path: string): string {
  return `"${path.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function data(bytes: Buffer): Buffer[] {
  return [Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from('\n')];
}

function identity(name: string, email: string, at: Date): string {
  // Angle brackets and newlines cannot appear in a git identity.
  const clean = (text: string) => text.replace(/[<>\n]/g, '');
  return `${clean(name)} <${clean(email)}> ${Math.floor(at.getTime() / 1000)} +0000`;
}

/**
 * Writes one project's table-stored history into its git repository with `git fast-import` (each commit with its
 * whole tree, as the tables hold it, its parent, author, date and message), points the branches and tags at the
 * results, and swaps the random ids for the real ones in every table that stores a commit id. Deterministic: the
 * same rows give the same commits, so a fork converted apart from its source gets the same ids.
 */
export async function convertLegacyHistory(tx: EntityManager, git: GitRepository, projectId: number): Promise<Map<string, string>> {
  const commits: LegacyCommit[] = await tx.query(
    'SELECT id, sha, parent_sha, message, author_name, author_email, created_at FROM repository_commits WHERE project_id = $1 ORDER BY id',
    [projectId],
  );
  const marks = new Map<string, number>();
  const stream: Buffer[] = [];
  for (const [index, commit] of commits.entries()) {
    const mark = index + 1;
    marks.set(commit.sha, mark);
    const files: { path: string; content: Buffer }[] = await tx.query(
      'SELECT path, content FROM repository_files WHERE commit_id = $1 ORDER BY path',
      [commit.id],
    );
    const parent = commit.parent_sha ? marks.get(commit.parent_sha) : undefined;
    const who = identity(commit.author_name, commit.author_email, commit.created_at);
    stream.push(Buffer.from(`reset refs/lanyard/import\ncommit refs/lanyard/import\nmark :${mark}\nauthor ${who}\ncommitter ${who}\n`));
    stream.push(...data(Buffer.from(commit.message, 'utf8')));
    if (parent !== undefined) stream.push(Buffer.from(`from :${parent}\n`));
    stream.push(Buffer.from('deleteall\n'));
    for (const file of files) stream.push(Buffer.from(`M 100644 inline ${quotePath(file.path)}\n`), ...data(file.content));
    stream.push(Buffer.from('\n'));
  }
  stream.push(Buffer.from('done\n'));
  const directory = await mkdtemp(join(tmpdir(), 'lanyard-import-'));
  const marksFile = join(directory, 'marks');
  try {
    await git.run(['fast-import', '--quiet', '--done', `--export-marks=${marksFile}`], { input: Buffer.concat(stream) });
    const exported = new Map(
      (await readFile(marksFile, 'utf8').catch(() => ''))
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [mark, sha] = line.split(' ');
          return [Number(mark.slice(1)), sha] as const;
        }),
    );
    const mapping = new Map<string, string>();
    for (const [old, mark] of marks) mapping.set(old, exported.get(mark)!);
    await git.run(['update-ref', '-d', 'refs/lanyard/import']).catch(() => undefined);
    await pointRefs(tx, git, projectId, mapping, commits);
    await swapIds(tx, projectId, mapping);
    return mapping;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

async function pointRefs(tx: EntityManager, git: GitRepository, projectId: number, mapping: Map<string, string>, commits: LegacyCommit[]) {
  const refs: { name: string; ref_type: 'branch' | 'tag'; commit_sha: string; message: string | null; created_at: Date }[] = await tx.query(
    'SELECT name, ref_type, commit_sha, message, created_at FROM repository_refs WHERE project_id = $1',
    [projectId],
  );
  const byOld = new Map(commits.map((commit) => [commit.sha, commit]));
  const commands: string[] = [];
  for (const ref of refs) {
    const target = mapping.get(ref.commit_sha);
    if (!target) continue;
    if (ref.ref_type === 'branch') {
      commands.push(`update refs/heads/${ref.name} ${target}\n`);
      continue;
    }
    const author = byOld.get(ref.commit_sha)!;
    const object = ref.message
      ? await writeTagObject(git, ref.name, target, ref.message, {
          name: author.author_name,
          email: author.author_email,
          at: ref.created_at,
        })
      : target;
    commands.push(`update refs/tags/${ref.name} ${object}\n`);
  }
  if (commands.length) await git.run(['update-ref', '--stdin'], { input: commands.join('') });
}

/** Every stored commit id of the old history becomes its git id: the index, the refs, the pipelines, the previews. */
async function swapIds(tx: EntityManager, projectId: number, mapping: Map<string, string>) {
  const olds = [...mapping.keys()];
  const news = olds.map((old) => mapping.get(old)!);
  const map = 'unnest($1::text[], $2::text[]) AS m(old, new)';
  await tx.query(`UPDATE repository_commits c SET sha = m.new FROM ${map} WHERE c.project_id = $3 AND c.sha = m.old`, [
    olds,
    news,
    projectId,
  ]);
  await tx.query(`UPDATE repository_commits c SET parent_sha = m.new FROM ${map} WHERE c.project_id = $3 AND c.parent_sha = m.old`, [
    olds,
    news,
    projectId,
  ]);
  await tx.query(
    `UPDATE repository_files f SET last_commit_sha = m.new FROM ${map}, repository_commits c
      WHERE c.id = f.commit_id AND c.project_id = $3 AND f.last_commit_sha = m.old`,
    [olds, news, projectId],
  );
  await tx.query(`UPDATE repository_refs r SET commit_sha = m.new FROM ${map} WHERE r.project_id = $3 AND r.commit_sha = m.old`, [
    olds,
    news,
    projectId,
  ]);
  // A fork's merge-request pipelines run in the target project on the fork's commits: ids are matched anywhere.
  await tx.query(`UPDATE ci_pipelines p SET sha = m.new FROM ${map} WHERE p.sha = m.old`, [olds, news]);
  await tx.query(`UPDATE ci_id_token_previews p SET sha = m.new FROM ${map} WHERE p.sha = m.old`, [olds, news]);
}
