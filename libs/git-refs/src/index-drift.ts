/** A branch or tag as git holds it: `object` is what the ref names (a tag object for an annotated tag), `commit` the commit it peels to. */
export interface GitHeldRef {
  readonly refType: 'branch' | 'tag';
  readonly name: string;
  readonly object: string;
  readonly commit: string;
}

/** A branch or tag as the database's index holds it (always the peeled commit). */
export interface IndexedRef {
  readonly refType: 'branch' | 'tag';
  readonly name: string;
  readonly commitSha: string;
}

/** What the index must do to follow git for one ref: point it at `object` (peeled when indexed), or drop it (null). */
export interface RefDrift {
  readonly refType: 'branch' | 'tag';
  readonly name: string;
  readonly object: string | null;
}

/**
 * The refs on which the index disagrees with git, git being right: a ref git moved or created that the index does not
 * hold at that commit, and one the index holds that git deleted. Git moves a ref before the database commits the
 * index of the move, so a failure between the two leaves exactly these. Ordered by kind then name, so repairs run in a
 * stable order.
 */
export function indexDrift(git: readonly GitHeldRef[], indexed: readonly IndexedRef[]): RefDrift[] {
  const key = (ref: { refType: string; name: string }) => `${ref.refType}\u0000${ref.name}`;
  const inIndex = new Map(indexed.map((ref) => [key(ref), ref.commitSha]));
  const inGit = new Set(git.map(key));
  const drift: RefDrift[] = [];
  for (const ref of git) {
    if (inIndex.get(key(ref)) !== ref.commit) drift.push({ refType: ref.refType, name: ref.name, object: ref.object });
  }
  for (const ref of indexed) if (!inGit.has(key(ref))) drift.push({ refType: ref.refType, name: ref.name, object: null });
  return drift.sort((a, b) =>
    a.refType === b.refType ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.refType < b.refType ? -1 : 1,
  );
}
