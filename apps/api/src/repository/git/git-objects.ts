import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitRepository, ZERO_OID } from './git-repository';

export interface GitIdentity {
  readonly name: string;
  readonly email: string;
  readonly at: Date;
}

export interface FileChange {
  readonly parentSha: string | null;
  readonly path: string;
  readonly content: Buffer;
  readonly message: string;
  readonly author: GitIdentity;
}

/** Git's `<epoch> <zone>` date, in UTC as every clock of the service. */
function gitDate(at: Date): string {
  return `${Math.floor(at.getTime() / 1000)} +0000`;
}

export function identityEnv(identity: GitIdentity): Record<string, string> {
  const date = gitDate(identity.at);
  return {
    GIT_AUTHOR_NAME: identity.name,
    GIT_AUTHOR_EMAIL: identity.email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: identity.name,
    GIT_COMMITTER_EMAIL: identity.email,
    GIT_COMMITTER_DATE: date,
  };
}

/**
 * Writes the commit that changes one file of its parent's tree, through a temporary index as `git commit` does: the
 * parent's tree is read, the blob replaced, the tree and commit written. Nothing points at the commit yet.
 */
export async function writeFileCommit(git: GitRepository, change: FileChange): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'lanyard-index-'));
  const env = { GIT_INDEX_FILE: join(directory, 'index') };
  try {
    if (change.parentSha) await git.run(['read-tree', change.parentSha], { env });
    const blob = await git.text(['hash-object', '-w', '--stdin'], { input: change.content });
    await git.run(['update-index', '--add', '--cacheinfo', `100644,${blob},${change.path}`], { env });
    const tree = await git.text(['write-tree'], { env });
    const parents = change.parentSha ? ['-p', change.parentSha] : [];
    return await git.text(['commit-tree', tree, ...parents, '-F', '-'], {
      input: change.message,
      env: identityEnv(change.author),
    });
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/**
 * Moves (or creates, or with `to` null deletes) a ref only if it still points where the caller read it, so of two
 * concurrent writers one loses, as `git push` does; false when it lost.
 */
export async function compareAndSwapRef(git: GitRepository, ref: string, to: string | null, from: string | null): Promise<boolean> {
  const args = to === null ? ['update-ref', '-d', ref, from ?? ZERO_OID] : ['update-ref', ref, to, from ?? ZERO_OID];
  try {
    await git.run(args);
    return true;
  } catch {
    return false;
  }
}

/** What a ref points at in git (a tag ref may name a tag object), or null when git has no such ref. */
export async function readRef(git: GitRepository, ref: string): Promise<string | null> {
  const value = await git.run(['rev-parse', '--verify', '--quiet', ref]).catch(() => null);
  return value === null ? null : value.toString('utf8').trim() || null;
}

/** An annotated tag object (GitLab's tags with a message), returning the tag object's id. */
export async function writeTagObject(
  git: GitRepository,
  name: string,
  target: string,
  message: string,
  tagger: GitIdentity,
): Promise<string> {
  const body = `object ${target}\ntype commit\ntag ${name}\ntagger ${tagger.name} <${tagger.email}> ${gitDate(tagger.at)}\n\n${message}\n`;
  return git.text(['mktag'], { input: body });
}

export const branchRef = (name: string) => `refs/heads/${name}`;
export const tagRef = (name: string) => `refs/tags/${name}`;

/** The objects' bytes, in the order asked, from one `git cat-file --batch` (`<oid> <type> <size>\n<bytes>\n` each). */
export async function readObjects(git: GitRepository, oids: readonly string[]): Promise<Buffer[]> {
  if (!oids.length) return [];
  const output = await git.run(['cat-file', '--batch'], { input: oids.map((oid) => `${oid}\n`).join('') });
  const objects: Buffer[] = [];
  let offset = 0;
  while (offset < output.length) {
    const newline = output.indexOf(0x0a, offset);
    const header = output.subarray(offset, newline).toString('utf8').split(' ');
    if (header.length !== 3) throw new Error(`git cat-file --batch: ${header.join(' ')}`);
    const size = Number(header[2]);
    objects.push(output.subarray(newline + 1, newline + 1 + size));
    offset = newline + 1 + size + 1;
  }
  return objects;
}
