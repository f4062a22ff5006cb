import { rulesContext } from '../rules/__fixtures__/rules-fixtures';
import type { IncludeContext, IncludeLoader, IncludeProject } from './include-types';
import { parseCiConfigWithIncludes } from './parse-with-includes';
import { resolveIncludes } from './resolve-includes';

const SHA = 'a'.repeat(40);
const LIB_SHA = 'b'.repeat(40);
const LIB_V1 = 'c'.repeat(40);

interface FakeProject {
  readonly project: IncludeProject;
  readonly refs: Readonly<Record<string, string>>;
  readonly files: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** False: the user may not read it, so the loader answers as if it did not exist. */
  readonly readable: boolean;
}

/** An in-memory repository; `reads` records what was read, so a test can see nothing else was. */
function fakeLoader(projects: readonly FakeProject[]): IncludeLoader & { reads: string[] } {
  const byId = new Map(projects.map((each) => [each.project.id, each]));
  const reads: string[] = [];
  return {
    reads,
    findProject: async (path) => projects.find((each) => each.readable && each.project.fullPath.toLowerCase() === path)?.project ?? null,
    resolveRef: async (project, ref) => byId.get(project.id)?.refs[ref] ?? null,
    readFile: async (project, sha, path) => {
      reads.push(`${project.fullPath}@${sha.slice(0, 1)}:${path}`);
      return byId.get(project.id)?.files[sha]?.[path] ?? null;
    },
    listFiles: async (project, sha) => Object.keys(byId.get(project.id)?.files[sha] ?? {}),
  };
}

const APP: IncludeProject = { id: 1, fullPath: 'group/app' };
const LIB: IncludeProject = { id: 2, fullPath: 'Group/CI-Lib' };
const SECRET: IncludeProject = { id: 3, fullPath: 'hidden/secret' };

function repository(appFiles: Record<string, string>, libFiles: Record<string, string> = {}): ReturnType<typeof fakeLoader> {
  return fakeLoader([
    { project: APP, refs: { HEAD: SHA }, files: { [SHA]: appFiles }, readable: true },
    {
      project: LIB,
      refs: { HEAD: LIB_SHA, main: LIB_SHA, v1: LIB_V1 },
      files: { [LIB_SHA]: libFiles, [LIB_V1]: { 'ci/build.yml': 'lib_v1: {script: v1}' } },
      readable: true,
    },
    { project: SECRET, refs: { HEAD: SHA }, files: { [SHA]: { 'ci/secret.yml': 'leak: {script: "echo SECRET_TOKEN"}' } }, readable: false },
  ]);
}

const CONTEXT: IncludeContext = { project: APP, sha: SHA };

/** The merged configuration as plain data, or the errors. */
async function resolve(source: string, loader: IncludeLoader, context: IncludeContext = CONTEXT): Promise<unknown> {
  const result = await resolveIncludes(source, context, loader);
  return result.ok ? toPlain(result.root) : { errors: result.errors };
}

function toPlain(value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries([...value].map(([key, item]) => [key, toPlain(item)]));
  if (Array.isArray(value)) return value.map(toPlain);
  return value;
}

async function errorOf(source: string, files: Record<string, string> = {}, context: IncludeContext = CONTEXT): Promise<string[]> {
  const result = await resolveIncludes(source, context, repository(files, { 'ci/lib.yml': 'lib: {script: x}', 'empty.yml': '  \n' }));
  if (result.ok) throw new Error('expected an include error');
  return [...result.errors];
}

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
    ['a missing local file', 'include: /ci/missing.yml', 'Local file `ci/missing.yml` does not exist!'],
    ['an empty local file', 'include: blank.yml', 'Local file `blank.yml` is empty!'],
    ['a comment-only file', 'include: comment.yml', 'Included file `comment.yml` does not have valid YAML syntax!'],
    ['invalid YAML', 'include: bad.yml', '`bad.yml`: Invalid configuration format: '],
    ['a file that is not a hash', 'include: list.yml', '`list.yml`: Invalid configuration format'],
    ['a non-YAML extension', 'include: ci/a.txt', 'Included file `ci/a.txt` does not have YAML extension!'],
    ['a location that is not a string', 'include: {local: [a.yml]}', 'Included file `["a.yml"]` needs to be a string'],
    ['an item that is neither', 'include: [5]', 'include config should be a hash or a string'],
    [
      'no valid subkey',
      'include: {ref: main}',
      '`{"ref":"main"}` does not have a valid subkey for include. Valid subkeys are: `local`, `project`, `remote`, `template`, `artifact`, `component`',
    ],
    ['project without file', 'include: {project: group/ci-lib}', '`{"project":"group/ci-lib"}` does not have a valid subkey for include.'],
    [
      'two subkeys',
      'include: {local: a.yml, template: B.yml}',
      'Each include must use only one of: `local`, `project`, `remote`, `template`, `artifact`, `component`',
    ],
    ['an unknown key', 'include: {local: a.yml, foo: 1}', 'include config contains unknown keys: foo'],
    [
      'a missing project',
      'include: {project: no/such, file: a.yml}',
      'Project `no/such` not found or access denied! Make sure any includes in the pipeline configuration are correctly defined.',
    ],
    [
      'a missing ref',
      'include: {project: Group/CI-Lib, ref: nope, file: a.yml}',
      'Project `group/ci-lib` reference `nope` does not exist!',
    ],
    [
      'a missing project file',
      'include: {project: group/ci-lib, file: /nope.yml}',
      'Project `group/ci-lib` file `nope.yml` does not exist!',
    ],
    ['an empty project file', 'include: {project: group/ci-lib, file: empty.yml}', 'Project `group/ci-lib` file `empty.yml` is empty!'],
    [
      'include:remote',
      'include: {remote: "https://example.com/a.yml"}',
      'include:remote is not supported by Lanyard (`https://example.com/a.yml`)',
    ],
    [
      'a remote URL string',
      'include: https://example.com/a.yml',
      'include:remote is not supported by Lanyard (`https://example.com/a.yml`)',
    ],
    [
      'include:template',
      'include: {template: Auto-DevOps.gitlab-ci.yml}',
      'include:template is not supported by Lanyard (`Auto-DevOps.gitlab-ci.yml`)',
    ],
    [
      'include:component',
      'include: {component: "gitlab.com/a/b/c@1.0"}',
      'include:component is not supported by Lanyard (`gitlab.com/a/b/c@1.0`)',
    ],
    ['include:artifact', 'include: {artifact: gen.yml, job: gen}', 'include:artifact is not supported by Lanyard (`gen.yml`)'],
    ['include:inputs', 'include: {local: a.yml, inputs: {x: 1}}', 'include:inputs is not supported by Lanyard (`a.yml`)'],
    ['a spec: header in an included file', 'include: header.yml', '`header.yml`: spec:inputs is not supported by Lanyard'],
    ['include:rules without a rules context', 'include: {local: a.yml, rules: [{if: $X}]}', 'include:rules is not supported here yet'],
    ['a nested error', 'include: nests.yml', 'Local file `missing.yml` does not exist!'],
  ])('refuses %s with GitLab’s message', async (_case, source, expected) => {
    const files = {
      'a.yml': 'a: {script: a}',
      'blank.yml': ' \n',
      'comment.yml': '# only a comment\n',
      'bad.yml': 'a: [',
      'list.yml': '- a\n- b',
      'header.yml': 'spec:\n  inputs:\n    x:\n---\njob: {script: x}',
      'nests.yml': 'include: missing.yml',
    };
    const [error, ...rest] = await errorOf(source, files);
    expect(rest).toEqual([]);
    expect(error.startsWith(expected)).toBe(true);
  });

  it('refuses a local include when there is no project', async () => {
    expect(await errorOf('include: a.yml', {}, { project: null, sha: SHA })).toEqual(['Local file `a.yml` does not have project!']);
  });

  it('reports the first invalid file, after validating every file of its level', async () => {
    expect(await errorOf('include: [missing.yml, a.txt]')).toEqual(['Local file `missing.yml` does not exist!']);
    expect(await errorOf('include: [a.yml, missing.yml]', { 'a.yml': 'include: nested-missing.yml' })).toEqual([
      'Local file `nested-missing.yml` does not exist!',
    ]);
  });

  it('answers a project the user may not read as not found, reading nothing from it', async () => {
    const loader = repository({ 'ci/a.yml': 'include: {project: hidden/secret, file: ci/secret.yml}' });
    const result = await resolveIncludes('include: ci/a.yml\nmain: {script: m}', CONTEXT, loader);
    expect(result).toEqual({
      ok: false,
      errors: [
        'Project `hidden/secret` not found or access denied! Make sure any includes in the pipeline configuration are correctly defined.',
      ],
    });
    expect(loader.reads).toEqual(['group/app@a:ci/a.yml']);
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
