import { CONTEXT, SHA, errorOf, repository } from './__fixtures__/include-fixtures';
import { resolveIncludes } from './resolve-includes';

describe(`${resolveIncludes.name}: GitLab's include errors`, () => {
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
    [
      'include:rules without a rules context',
      'include: {local: a.yml, rules: [{if: $X}]}',
      'include:rules is not supported by Lanyard yet',
    ],
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

  it('refuses a spec: header in the configuration itself, naming spec:inputs', async () => {
    expect(await errorOf('spec:\n  inputs:\n    env:\n---\njob: {script: x}')).toEqual([
      'spec:inputs is not supported by Lanyard: remove the `spec:` header document and its `---`',
    ]);
  });

  it('stops with GitLab’s timeout error once the caller says time is up, before reading more', async () => {
    let reads = 0;
    const loader = repository({ 'a.yml': 'include: b.yml', 'b.yml': 'j: {script: x}' });
    const counting = { ...loader, readFile: (...args: Parameters<typeof loader.readFile>) => (reads++, loader.readFile(...args)) };
    const result = await resolveIncludes('include: a.yml', { ...CONTEXT, timedOut: () => reads >= 1 }, counting);
    expect(result).toEqual({ ok: false, errors: ['Request timed out when fetching configuration files.'] });
    expect(reads).toBe(1);
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
});
