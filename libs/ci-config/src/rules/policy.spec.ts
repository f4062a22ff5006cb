import { PatternEngine } from '../expressions/pattern-engine';
import { Problems } from '../values';
import { rulesContext, yaml } from './__fixtures__/rules-fixtures';
import { DEFAULT_ONLY_REFS, POLICY_KEYWORDS, type PolicyDefinition, type PolicyFacts, parsePolicy, policiesInclude } from './policy';

function parse(source: string) {
  const problems = new Problems();
  const policy = parsePolicy(yaml(source), 'jobs:rspec:only', problems, new PatternEngine());
  return { policy, errors: problems.errors };
}

describe(parsePolicy.name, () => {
  it('knows exactly GitLab’s keys and default', () => {
    expect(POLICY_KEYWORDS).toEqual(['refs', 'kubernetes', 'variables', 'changes']);
    expect(DEFAULT_ONLY_REFS).toEqual(['branches', 'tags']);
  });

  it.each<[string, PolicyDefinition]>([
    ['[main, /^release-.*$/i, tags, branches@group/project]', { refs: ['main', '/^release-.*$/i', 'tags', 'branches@group/project'] }],
    ['[]', { refs: [] }],
    [
      '{refs: [main], variables: [\'$A == "x"\'], changes: [src/*], kubernetes: active}',
      { refs: ['main'], variables: ['$A == "x"'], changes: ['src/*'], kubernetes: 'active' },
    ],
    ["{variables: ['$A']}", { variables: ['$A'] }],
    ['{refs: null}', { refs: [] }],
  ])('reads %s', (source, policy) => {
    expect(parse(source)).toEqual({ policy, errors: [] });
  });

  it.each<[string, string[]]>([
    ['main', ['jobs:rspec:only has to be either an array of conditions or a hash']],
    ['[main, 1]', ['jobs:rspec:only config should be an array of strings or regular expressions using re2 syntax']],
    ['[/^(?!main)/]', ['jobs:rspec:only config should be an array of strings or regular expressions using re2 syntax']],
    ['{}', ["jobs:rspec:only config can't be blank"]],
    ['{refs: [a], branches: [b]}', ['jobs:rspec:only config contains unknown keys: branches']],
    ['{refs: /x/}', ['jobs:rspec:only refs should be an array of strings or regular expressions using re2 syntax']],
    ['{kubernetes: enabled}', ['jobs:rspec:only kubernetes unknown value: enabled']],
    [
      "{variables: ['$A ==', '$B', '$C == 1']}",
      ['jobs:rspec:only variables invalid expression syntax', 'jobs:rspec:only variables invalid expression syntax'],
    ],
    ['{variables: $A}', ['jobs:rspec:only variables should be an array of strings']],
    ['{changes: src}', ['jobs:rspec:only changes should be an array of strings']],
    [`['/${'.{1000}'.repeat(11)}/']`, ['jobs:rspec:only config regular expression is too large (maximum is 10000 instructions)']],
  ])('refuses %s', (source, errors) => {
    expect(parse(source)).toEqual({ policy: null, errors });
  });
});

describe(policiesInclude.name, () => {
  const branch: PolicyFacts = {
    source: 'push',
    refType: 'branch',
    ref: 'release-1.2',
    projectFullPath: 'group/project',
    kubernetesActive: false,
  };
  const tag: PolicyFacts = { ...branch, refType: 'tag', ref: 'v1.2.0' };
  const mergeRequest: PolicyFacts = {
    ...branch,
    source: 'merge_request_event',
    refType: 'merge_request',
    ref: 'refs/merge-requests/3/head',
  };
  const only = (refs: string[], facts: PolicyFacts) => policiesInclude({ refs }, undefined, facts, rulesContext());

  it.each<[string[], PolicyFacts, boolean]>([
    [['branches'], branch, true],
    [['branches'], tag, false],
    [['branches'], mergeRequest, false], // a merge-request pipeline is not a branch pipeline
    [['tags'], tag, true],
    [['tags'], branch, false],
    [['merge_requests'], mergeRequest, true],
    [['merge_request'], mergeRequest, true],
    [['pushes'], branch, true],
    [['push'], tag, true],
    [['web'], branch, false],
    [['release-1.2'], branch, true],
    [['release-1'], branch, false],
    [['/^release-/'], branch, true], // a regex, unanchored
    [['/^RELEASE-/i'], branch, true],
    [['/^v\\d/'], tag, true],
    [['/^refs/'], mergeRequest, false], // names and regexes never apply to merge-request pipelines
    [['branches@group/project'], branch, true],
    [['branches@group/other'], branch, false],
    [['/^release/@group/project'], branch, true],
    [['main', 'tags'], tag, true],
    [[], branch, false],
  ])('only: %p in %o: %p', (refs, facts, expected) => {
    expect(only(refs, facts)).toBe(expected);
  });

  it.each<[PolicyFacts['source'], string, boolean]>([
    ['api', 'api', true],
    ['api', 'apis', true],
    ['schedule', 'schedules', true],
    ['trigger', 'triggers', true],
    ['pipeline', 'pipelines', true],
    ['external_pull_request_event', 'external_pull_requests', true],
    ['web', 'webs', true],
    ['web', 'api', false],
  ])('matches the source %s with %s: %p', (source, keyword, expected) => {
    expect(only([keyword], { ...branch, source })).toBe(expected);
  });

  it('needs every kind of condition in only, and none in except', () => {
    const context = rulesContext({ variables: { DEPLOY: 'yes' }, repository: { changedPaths: ['src/a.ts'] } });
    const policy: PolicyDefinition = { refs: ['branches'], variables: ['$UNSET', '$DEPLOY'], changes: ['src/*'] };
    expect(policiesInclude(policy, undefined, branch, context)).toBe(true);
    expect(policiesInclude({ ...policy, changes: ['docs/*'] }, undefined, branch, context)).toBe(false);
    expect(policiesInclude({ ...policy, kubernetes: 'active' }, undefined, branch, context)).toBe(false);
    expect(policiesInclude({ ...policy, kubernetes: 'active' }, undefined, { ...branch, kubernetesActive: true }, context)).toBe(true);
    expect(policiesInclude(policy, { variables: ['$DEPLOY == "no"'] }, branch, context)).toBe(true);
    expect(policiesInclude(policy, { refs: ['/^release/'] }, branch, context)).toBe(false);
    expect(policiesInclude(undefined, { changes: ['src/**/*'] }, branch, context)).toBe(false);
  });

  it('takes only:changes as true without a diff, and does not expand its globs', () => {
    expect(policiesInclude({ changes: ['nowhere'] }, undefined, branch, rulesContext())).toBe(true);
    const context = rulesContext({ expandedVariables: { DIR: 'src' }, repository: { changedPaths: ['src/a'] } });
    expect(policiesInclude({ changes: ['$DIR/*'] }, undefined, branch, context)).toBe(false);
  });

  it('reads a refs regex with \\x40 for an @, since @ separates the project', () => {
    expect(only(['/^user\\x40example/'], { ...branch, ref: 'user@example' })).toBe(true);
  });
});
