import { rulesContext } from '../rules/__fixtures__/rules-fixtures';
import { CONTEXT, LIB_SHA, LIB_V1, SHA, errorOf, repository, resolve, toPlain } from './__fixtures__/include-fixtures';
import type { IncludeContext } from './include-types';
import { parseCiConfigWithIncludes } from './parse-with-includes';
import { resolveIncludes } from './resolve-includes';

describe(resolveIncludes.name, () => {
  it('leaves a configuration without include as loaded', async () => {
    expect(await resolve('job: {script: x}', repository({}))).toEqual({ job: { script: 'x' } });
  });

  it.each([
    ['a string', 'include: /ci/a.yml\nmain: {script: m}'],
    ['a list of strings', 'include: [ci/a.yml]\nmain: {script: m}'],
    ['a hash', 'include: {local: /ci/a.yml}\nmain: {script: m}'],
    ['a list of hashes', 'include:\n  - local: ci/a.yml\nmain: {script: m}'],
  ])('reads include: as %s', async (_shape, source) => {
    expect(await resolve(source, repository({ 'ci/a.yml': 'a: {script: a}' }))).toEqual({ a: { script: 'a' }, main: { script: 'm' } });
  });

  it('merges as GitLab: included files in order, the including file last; hashes merge, lists and scalars are replaced', async () => {
    const files = {
      'one.yml': 'variables: {A: one, B: one}\nstages: [build, test]\njob: {script: [one], stage: build, variables: {X: one}}',
      'two.yml': 'variables: {B: two, C: two}\njob: {script: [two, more]}\nother: {script: o}',
    };
    const source = 'include: [one.yml, two.yml]\nvariables: {C: main}\njob: {variables: {Y: main}}\nlast: {script: l}';
    const merged = await resolve(source, repository(files));
    expect(merged).toEqual({
      variables: { A: 'one', B: 'two', C: 'main' },
      stages: ['build', 'test'],
      job: { script: ['two', 'more'], stage: 'build', variables: { X: 'one', Y: 'main' } },
      other: { script: 'o' },
      last: { script: 'l' },
    });
    // Keys keep the position they first had: included jobs come first.
    expect(Object.keys(merged as object)).toEqual(['variables', 'stages', 'job', 'other', 'last']);
  });

  it('includes the same file twice (the last inclusion wins) and counts it twice', async () => {
    const result = await resolveIncludes(
      'include: [a.yml, b.yml, a.yml]',
      CONTEXT,
      repository({ 'a.yml': 'j: {script: a}', 'b.yml': 'j: {script: b}' }),
    );
    expect(result.ok && toPlain(result.root)).toEqual({ j: { script: 'a' } });
    expect(result.ok && result.includes.map((file) => file.location)).toEqual(['a.yml', 'b.yml', 'a.yml']);
  });

  it('resolves nested includes: local ones in the including file’s project, at its sha', async () => {
    const loader = repository(
      { 'ci/top.yml': 'include: {project: group/ci-lib, file: /ci/lib.yml}\ntop: {script: t}' },
      { 'ci/lib.yml': 'include: ci/nested.yml\nlib: {script: l}', 'ci/nested.yml': 'nested: {script: n}' },
    );
    expect(await resolve('include: ci/top.yml\nmain: {script: m}', loader)).toEqual({
      nested: { script: 'n' },
      lib: { script: 'l' },
      top: { script: 't' },
      main: { script: 'm' },
    });
    expect(loader.reads).toEqual(['group/app@a:ci/top.yml', 'Group/CI-Lib@b:ci/lib.yml', 'Group/CI-Lib@b:ci/nested.yml']);
  });

  it('reads project files at ref (the default branch unless given), each file of a list', async () => {
    const loader = repository({}, { 'ci/build.yml': 'build: {script: b}', 'ci/test.yml': 'test: {script: t}' });
    const source =
      'include:\n  - {project: Group/CI-Lib, file: [ci/build.yml, /ci/test.yml]}\n  - {project: group/ci-lib, ref: v1, file: ci/build.yml}';
    const result = await resolveIncludes(source, CONTEXT, loader);
    expect(result.ok && toPlain(result.root)).toEqual({ build: { script: 'b' }, test: { script: 't' }, lib_v1: { script: 'v1' } });
    expect(result.ok && result.includes).toEqual([
      {
        type: 'file',
        location: 'ci/build.yml',
        project: 'Group/CI-Lib',
        sha: LIB_SHA,
        extra: { project: 'group/ci-lib', ref: 'HEAD' },
        contextProject: 'group/app',
        contextSha: SHA,
      },
      {
        type: 'file',
        location: 'ci/test.yml',
        project: 'Group/CI-Lib',
        sha: LIB_SHA,
        extra: { project: 'group/ci-lib', ref: 'HEAD' },
        contextProject: 'group/app',
        contextSha: SHA,
      },
      {
        type: 'file',
        location: 'ci/build.yml',
        project: 'Group/CI-Lib',
        sha: LIB_V1,
        extra: { project: 'group/ci-lib', ref: 'v1' },
        contextProject: 'group/app',
        contextSha: SHA,
      },
    ]);
  });

  it.each([
    ['configs/*.yml', ['configs/a.yml', 'configs/b.yml']],
    ['/configs/**.yml', ['configs/a.yml', 'configs/b.yml', 'configs/sub/c.yml', 'configs/sub/deep/d.yml']],
    ['configs/**/*.yml', ['configs/sub/c.yml', 'configs/sub/deep/d.yml']],
    ['configs/*/c.yml', ['configs/sub/c.yml']],
    ['nothing/*.yml', []],
  ])('expands the local wildcard %s as GitLab', async (pattern, expected) => {
    const files = Object.fromEntries(
      ['configs/a.yml', 'configs/b.yml', 'configs/sub/c.yml', 'configs/sub/deep/d.yml', 'configs/readme.md', 'other/e.yml'].map((path) => [
        path,
        `"${path}": {script: x}`,
      ]),
    );
    const result = await resolveIncludes(`include: {local: '${pattern}'}\nmain: {script: m}`, CONTEXT, repository(files));
    expect(result.ok && result.includes.map((file) => file.location)).toEqual(expected);
  });

  it('expands variables in locations, and a string naming a URL is a remote include', async () => {
    const loader = repository({ 'ci/prod.yml': 'prod: {script: p}' });
    expect(await resolve('include: ci/$ENV.yml', loader, { ...CONTEXT, variables: { ENV: 'prod' } })).toEqual({ prod: { script: 'p' } });
    expect(await resolve('include: $URL', loader, { ...CONTEXT, variables: { URL: 'https://example.com/ci.yml' } })).toEqual({
      errors: ['include:remote is not supported by Lanyard (`https://example.com/ci.yml`); use include:local or include:project'],
    });
  });

  it.each([
    ['an include loop', { 'a.yml': 'include: b.yml', 'b.yml': 'include: a.yml' }, 'include: a.yml'],
    ['a file including itself', { 'a.yml': 'include: a.yml\nj: {script: x}' }, 'include: a.yml'],
    ['too many files', { 'a.yml': 'j: {script: x}' }, `include: [${Array(151).fill('a.yml').join(', ')}]`],
  ])('stops %s at 150 files with GitLab’s message', async (_case, files, source) => {
    expect(await errorOf(source, files)).toEqual(['Maximum of 150 nested includes are allowed!']);
  });

  it('allows exactly 150 files, and a lower limit when the context sets one', async () => {
    const files = { 'a.yml': 'j: {script: x}' };
    const source = `include: [${Array(150).fill('a.yml').join(', ')}]`;
    expect((await resolveIncludes(source, CONTEXT, repository(files))).ok).toBe(true);
    expect(await errorOf('include: [a.yml, a.yml, a.yml]', files, { ...CONTEXT, maxIncludes: 2 })).toEqual([
      'Maximum of 2 nested includes are allowed!',
    ]);
  });

  it('refuses included files whose combined size is too big', async () => {
    // Each file is under the 1 MB limit of one file; ten of them are over the 8 MB total.
    const files = { 'big.yml': `j: {script: x}\n# ${'x'.repeat(900_000)}\n` };
    const source = `include: [${Array(10).fill('big.yml').join(', ')}]`;
    expect(await errorOf(source, files)).toEqual(['Total size of combined CI/CD configuration is too big']);
  });

  it('evaluates include:rules when given a rules context: no rules or a match includes, when: never or no match drops', async () => {
    const files = { 'a.yml': 'a: {script: a}', 'b.yml': 'b: {script: b}', 'c.yml': 'c: {script: c}', 'd.yml': 'd: {script: d}' };
    const context: IncludeContext = { ...CONTEXT, rulesContext: () => rulesContext({ variables: { DEPLOY: 'yes' } }) };
    const source = [
      'include:',
      '  - local: a.yml',
      '  - {local: b.yml, rules: [{if: $DEPLOY}]}',
      '  - {local: c.yml, rules: [{if: $DEPLOY, when: never}, {when: always}]}',
      '  - {local: d.yml, rules: [{if: $UNSET}]}',
      'main: {script: m}',
    ].join('\n');
    expect(await resolve(source, repository(files), context)).toEqual({ a: { script: 'a' }, b: { script: 'b' }, main: { script: 'm' } });
    expect(await errorOf('include: {local: a.yml, rules: [{when: manual}]}', files, context)).toEqual([
      'include:rules:rule when unknown value: manual',
    ]);
  });
});

describe(parseCiConfigWithIncludes.name, () => {
  it('parses the merged configuration: jobs from every file, extends and !reference across files, merged YAML', async () => {
    const loader = repository(
      { 'ci/templates.yml': '.base: {script: [base], variables: {FROM: template}}\n.ref: {before: [echo ref]}' },
      { 'ci/deploy.yml': 'deploy: {extends: .base, stage: deploy, script: [!reference [.ref, before], deploy]}' },
    );
    const source = 'include:\n  - local: ci/templates.yml\n  - project: group/ci-lib\n    file: ci/deploy.yml\ntest: {extends: .base}';
    const result = await parseCiConfigWithIncludes(source, CONTEXT, loader, { optInJwt: true, refusedKeywords: [] });
    expect(result.errors).toEqual([]);
    expect(result.jobs.map((job) => [job.name, job.script])).toEqual([
      ['deploy', ['echo ref', 'deploy']],
      ['test', ['base']],
    ]);
    expect(result.mergedYaml).toContain('deploy:');
    expect(result.mergedYaml).not.toContain('include');
    expect(result.includes.map((file) => [file.type, file.location])).toEqual([
      ['local', 'ci/templates.yml'],
      ['file', 'ci/deploy.yml'],
    ]);
  });

  it('reports an include error as the configuration’s only error, with no includes', async () => {
    const result = await parseCiConfigWithIncludes('include: nope.yml\nj: {script: x}', CONTEXT, repository({}), { optInJwt: true });
    expect(result).toMatchObject({ valid: false, errors: ['Local file `nope.yml` does not exist!'], includes: [], jobs: [] });
  });

  it('validates what the includes brought in', async () => {
    const result = await parseCiConfigWithIncludes('include: a.yml\nj: {script: x}', CONTEXT, repository({ 'a.yml': 'bad: {stage: 1}' }), {
      optInJwt: true,
    });
    expect(result.valid).toBe(false);
    expect(result.includes).toEqual([]);
  });
});
