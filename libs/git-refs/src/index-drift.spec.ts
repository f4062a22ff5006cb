import { indexDrift, type GitHeldRef, type IndexedRef } from './index-drift';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const TAG_OBJECT = 'c'.repeat(40);

const branch = (name: string, commit: string): GitHeldRef => ({ refType: 'branch', name, object: commit, commit });
const indexed = (refType: 'branch' | 'tag', name: string, commitSha: string): IndexedRef => ({ refType, name, commitSha });

describe('indexDrift', () => {
  it('finds nothing when the index holds every ref at the commit git names', () => {
    expect(indexDrift([branch('main', A), branch('dev', B)], [indexed('branch', 'dev', B), indexed('branch', 'main', A)])).toEqual([]);
  });

  it('points the index at a branch git moved, and adds one git created', () => {
    expect(indexDrift([branch('main', B), branch('feature', A)], [indexed('branch', 'main', A)])).toEqual([
      { refType: 'branch', name: 'feature', object: A },
      { refType: 'branch', name: 'main', object: B },
    ]);
  });

  it('drops from the index a ref git deleted', () => {
    expect(indexDrift([branch('main', A)], [indexed('branch', 'main', A), indexed('tag', 'v1', A)])).toEqual([
      { refType: 'tag', name: 'v1', object: null },
    ]);
  });

  it('compares an annotated tag by the commit it peels to, and hands over the tag object to index', () => {
    const annotated: GitHeldRef = { refType: 'tag', name: 'v1', object: TAG_OBJECT, commit: A };
    expect(indexDrift([annotated], [indexed('tag', 'v1', A)])).toEqual([]);
    expect(indexDrift([annotated], [])).toEqual([{ refType: 'tag', name: 'v1', object: TAG_OBJECT }]);
  });

  it('keeps a branch and a tag of one name apart', () => {
    expect(indexDrift([branch('v1', A)], [indexed('tag', 'v1', A)])).toEqual([
      { refType: 'branch', name: 'v1', object: A },
      { refType: 'tag', name: 'v1', object: null },
    ]);
  });
});
