import { rulesContext } from './__fixtures__/rules-fixtures';
import { RuleClauseError, changesMatch, existsMatch } from './rule-clauses';
import type { ProjectFiles } from './rule-clauses';

describe(changesMatch.name, () => {
  const changed = (changedPaths: readonly string[] | null, expandedVariables = {}) =>
    rulesContext({ expandedVariables, repository: { changedPaths } });

  it('is true when there is no diff to compare (tags, schedules, web and API pipelines, new branches)', () => {
    expect(changesMatch({ paths: ['nothing/*'] }, changed(null))).toBe(true);
  });

  it('is false for an empty diff, or when no path is left', () => {
    expect(changesMatch({ paths: ['**/*'] }, changed([]))).toBe(false);
    expect(changesMatch({ paths: [] }, changed(['a']))).toBe(false);
  });

  it('matches any changed path against any glob', () => {
    expect(changesMatch({ paths: ['docs/*', 'src/**/*.ts'] }, changed(['README.md', 'src/a/b.ts']))).toBe(true);
    expect(changesMatch({ paths: ['docs/*', 'src/**/*.ts'] }, changed(['README.md', 'src/a/b.js']))).toBe(false);
  });

  it('expands variables in the globs with the expanded variables', () => {
    expect(changesMatch({ paths: ['$DIR/*', '${DIR}/x'] }, changed(['src/a'], { DIR: 'src' }))).toBe(true);
    expect(changesMatch({ paths: ['$UNSET/*'] }, changed(['src/a']))).toBe(false);
  });

  it('compares with compare_to, expanded, and fails the rule when it names no commit', () => {
    const since = (ref: string) => (ref === 'main' ? ['src/changed.ts'] : undefined);
    const context = rulesContext({
      expandedVariables: { BASE: 'main' },
      repository: { changedPaths: ['docs/other.md'], changedPathsSince: since },
    });
    expect(changesMatch({ paths: ['src/*'], compareTo: '$BASE' }, context)).toBe(true);
    expect(() => changesMatch({ paths: ['src/*'], compareTo: 'gone' }, context)).toThrow(
      new RuleClauseError('rules:changes:compare_to is not a valid ref'),
    );
  });

  it('stops comparing above 50 000 path-glob comparisons, and holds then', () => {
    const paths = Array.from({ length: 25_001 }, (_, index) => `file${index}`);
    expect(changesMatch({ paths: ['a', 'b'] }, changed(paths))).toBe(true);
    expect(changesMatch({ paths: ['a', 'a', 'b'] }, changed(paths.slice(0, 25_000)))).toBe(false); // duplicates count once
  });
});

describe(existsMatch.name, () => {
  const files = ['Dockerfile', 'README.md', '.gitlab-ci.yml', 'docs/index.md', 'src/app/main.ts', 'src/lib/util.js'];
  const exists = (paths: string[], extra: Partial<Parameters<typeof rulesContext>[0]> = {}) =>
    existsMatch({ paths }, rulesContext({ repository: { files }, ...extra }));

  it.each<[string[], boolean]>([
    [[], false],
    [['Dockerfile'], true],
    [['Makefile'], false],
    [['src/app/main.ts'], true],
    [['src/'], true], // a directory: any file below it
    [['src/app/'], true],
    [['src/ap/'], false],
    [['**/*.js'], true], // an ending
    [['**/*.rb'], false],
    [['*.md'], true],
    [['*.ts'], false], // top-level only: src/app/main.ts is not in the top directory
    [['**/*.ts'], true],
    [['src/**/*.{js,rb}'], true],
    [['.gitlab-ci.*'], true], // dotfiles match
    [['docs/*.md', 'Makefile'], true],
  ])('%p: %p', (paths, expected) => {
    expect(exists(paths)).toBe(expected);
  });

  it('expands variables in the paths', () => {
    expect(exists(['$DIR/**/*.ts'], { expandedVariables: { DIR: 'src' } })).toBe(true);
  });

  it('stops comparing above 50 000 pattern comparisons, and holds then', () => {
    const many = Array.from({ length: 50_001 }, (_, index) => `dir/file${index}`);
    expect(existsMatch({ paths: ['nowhere/*'] }, rulesContext({ repository: { files: many } }))).toBe(true);
    expect(existsMatch({ paths: ['nowhere/*'] }, rulesContext({ repository: { files: many.slice(1) } }))).toBe(false);
  });

  describe('in another project', () => {
    const filesInProject = (project: string, ref: string | null): ProjectFiles => {
      if (project !== 'group/tools') return { missing: 'project' };
      if (ref !== null && ref !== 'v1') return { missing: 'ref', projectPath: 'group/tools' };
      return { files: ref === 'v1' ? ['old.txt'] : ['new.txt'] };
    };
    const context = rulesContext({
      expandedVariables: { TOOLS: 'group/tools', SECRET: 's3cr3t' },
      maskedValues: ['s3cr3t'],
      repository: { files, filesInProject },
    });

    it("reads that project's files, at its default branch or at ref", () => {
      expect(existsMatch({ paths: ['new.txt'], project: '$TOOLS' }, context)).toBe(true);
      expect(existsMatch({ paths: ['new.txt'], project: 'group/tools', ref: 'v1' }, context)).toBe(false);
      expect(existsMatch({ paths: ['old.txt'], project: 'group/tools', ref: 'v1' }, context)).toBe(true);
    });

    it("fails the rule in GitLab's words, masked variables hidden", () => {
      expect(() => existsMatch({ paths: ['a'], project: 'group/$SECRET' }, context)).toThrow(
        'rules:exists:project `group/xxxxxx` not found or access denied',
      );
      expect(() => existsMatch({ paths: ['a'], project: 'group/tools', ref: '$SECRET' }, context)).toThrow(
        'rules:exists:ref `xxxxxx` is not a valid ref in project `group/tools`',
      );
    });
  });
});
