import { PatternEngine } from '../expressions/pattern-engine';
import { Problems } from '../values';
import { yaml } from './__fixtures__/rules-fixtures';
import { parseRules } from './parse-rules';
import type { RulesOwner } from './rule-keywords';

const job: RulesOwner = { kind: 'job', name: 'Deploy' };

function parseRule(source: string, owner: RulesOwner = job, engine = new PatternEngine()) {
  const problems = new Problems();
  const rules = parseRules(yaml(`- ${source}`), owner, problems, engine);
  return { rule: rules?.[0] ?? null, errors: problems.errors };
}

const errorsOf = (source: string, owner: RulesOwner = job) => parseRule(source, owner).errors;

describe('a rule', () => {
  it("reports in GitLab's order, keeping the job name's case", () => {
    expect(errorsOf("{foo: 1, when: explode, allow_failure: x, if: '$A =='}")).toEqual([
      'jobs:Deploy:rules:rule if invalid expression syntax',
      'jobs:Deploy:rules:rule allow failure should be a boolean value',
      'jobs:Deploy:rules:rule when unknown value: explode',
      'jobs:Deploy:rules:rule config contains unknown keys: foo',
    ]);
  });

  it('checks its nested entries only once its own keys are valid, as GitLab composes them', () => {
    expect(errorsOf('{when: explode, changes: a string}')).toEqual(['jobs:Deploy:rules:rule when unknown value: explode']);
    expect(errorsOf('{when: always, changes: a string, variables: [x]}')).toEqual([
      'jobs:Deploy:rules:rule:changes should be an array or a hash',
      'jobs:Deploy:rules:rule:variables config should be a hash',
    ]);
  });

  it('prints a non-string when the way Ruby does', () => {
    expect(errorsOf('{when: [manual]}')).toEqual(['jobs:Deploy:rules:rule when unknown value: ["manual"]']);
    expect(errorsOf('{when: {a: b}}')).toEqual(['jobs:Deploy:rules:rule when unknown value: {:a=>"b"}']);
    expect(errorsOf('{when: 1}')).toEqual(['jobs:Deploy:rules:rule when unknown value: 1']);
  });

  it('keeps its clauses in the order written', () => {
    expect(Object.keys(parseRule("{exists: [a], when: always, if: '$A', changes: [b]}").rule ?? {})).toEqual([
      'exists',
      'if',
      'changes',
      'when',
    ]);
  });

  it('names the limit an expression is over', () => {
    expect(errorsOf(`{if: '$A == "${'x'.repeat(2048)}"'}`)).toEqual([
      'jobs:Deploy:rules:rule if expression is too long (maximum is 2048 characters)',
    ]);
    expect(errorsOf(`{if: '$A =~ /${'.{1000}'.repeat(11)}/'}`)).toEqual([
      'jobs:Deploy:rules:rule if regular expression is too large (maximum is 10000 instructions)',
    ]);
    expect(parseRule("{if: '$A =~ /ab/'}", job, new PatternEngine(10)).errors).toEqual([
      'jobs:Deploy:rules:rule if exceeded the pattern matching budget (10 steps)',
    ]);
  });

  describe('per owner', () => {
    it('takes interruptible in jobs but not in workflow:, where it is still type-checked', () => {
      expect(errorsOf('{interruptible: true}')).toEqual([]);
      expect(errorsOf('{interruptible: x}', { kind: 'workflow' })).toEqual([
        'workflow:rules:rule interruptible should be a boolean value',
        'workflow:rules:rule config contains unknown keys: interruptible',
      ]);
    });

    it('takes auto_cancel in workflow: only', () => {
      expect(parseRule('{auto_cancel: {on_new_commit: interruptible, on_job_failure: all}}', { kind: 'workflow' }).rule).toEqual({
        autoCancel: { onNewCommit: 'interruptible', onJobFailure: 'all' },
      });
      expect(errorsOf('{auto_cancel: {on_new_commit: none}}')).toEqual([
        'jobs:Deploy:rules:rule config contains unknown keys: auto_cancel',
      ]);
    });

    it("takes workflow:'s legacy keys, but never start_in since when cannot be delayed there", () => {
      expect(errorsOf('{allow_failure: true, needs: [a], variables: {A: b}}', { kind: 'workflow' })).toEqual([]);
      expect(errorsOf("{start_in: '1 day'}", { kind: 'workflow' })).toEqual([
        'workflow:rules:rule config contains disallowed keys: start_in',
      ]);
    });

    it('takes only if, exists, when and changes in include:, checked in its own order', () => {
      expect(errorsOf("{foo: 1, if: '$A ==', when: manual, allow_failure: true}", { kind: 'include' })).toEqual([
        'include:rules:rule config contains unknown keys: foo, allow_failure',
        'include:rules:rule if invalid expression syntax',
        'include:rules:rule when unknown value: manual',
      ]);
      expect(parseRule(`{exists: [${Array(60).fill('a').join(', ')}]}`, { kind: 'include' }).errors).toEqual([]);
    });
  });
});

describe('rules:changes', () => {
  it.each<[string, string[]]>([
    ['{paths: [a], compare_to: main, foo: 1}', ['jobs:Deploy:rules:rule:changes config contains unknown keys: foo']],
    [
      '{compare_to: main}',
      [
        'jobs:Deploy:rules:rule:changes config missing required keys: paths',
        'jobs:Deploy:rules:rule:changes paths should be an array of strings',
      ],
    ],
    ['{paths: [a], compare_to: [main]}', ['jobs:Deploy:rules:rule:changes compare to should be a string']],
    [`{paths: [${Array(51).fill('a').join(', ')}]}`, ['jobs:Deploy:rules:rule:changes paths has too many entries (maximum 50)']],
    ['1', ['jobs:Deploy:rules:rule:changes should be an array or a hash']],
  ])('refuses %s', (changes, errors) => {
    expect(errorsOf(`{changes: ${changes}}`)).toEqual(errors);
  });
});

describe('rules:exists', () => {
  it.each<[string, object]>([
    ['""', { paths: [''] }],
    ['false', { paths: [] }],
    ['{paths: null, project: a/b}', { paths: [], project: 'a/b' }],
  ])('reads %s', (exists, expected) => {
    expect(parseRule(`{exists: ${exists}}`).rule).toEqual({ exists: expected });
  });

  it.each<[string, string[]]>([
    ['1', ['jobs:Deploy:rules:rule:exists should be a string, an array of strings, or a hash']],
    ['{project: a/b}', ['jobs:Deploy:rules:rule:exists config missing required keys: paths']],
    ['{paths: [a], branch: x}', ['jobs:Deploy:rules:rule:exists config contains unknown keys: branch']],
    ['{paths: a}', ['jobs:Deploy:rules:rule:exists paths should be an array of strings']],
    [
      '{paths: [a], project: [a/b], ref: 1}',
      ['jobs:Deploy:rules:rule:exists project should be a string', 'jobs:Deploy:rules:rule:exists ref should be a string'],
    ],
  ])('refuses %s', (exists, errors) => {
    expect(errorsOf(`{exists: ${exists}}`)).toEqual(errors);
  });
});

describe('rules:variables', () => {
  it.each<[string, string[]]>([
    ['{A: {value: x}}', ['jobs:Deploy:rules:rule:variables:A config must be a string']],
    ['{A: null}', ['jobs:Deploy:rules:rule:variables:A config must be a string']],
    ['{A: [x]}', ['jobs:Deploy:rules:rule:variables:A variable definition must be either a string or a hash']],
    ['[A]', ['jobs:Deploy:rules:rule:variables config should be a hash']],
  ])('refuses %s', (variables, errors) => {
    expect(errorsOf(`{variables: ${variables}}`)).toEqual(errors);
  });

  it('keeps scalars as Ruby prints them', () => {
    expect(parseRule('{variables: {A: 1, B: 1.5, C: false, D: text}}').rule).toEqual({
      variables: { A: '1', B: '1.5', C: 'false', D: 'text' },
    });
  });
});

describe('rules:needs', () => {
  it.each<[string, string[]]>([
    ['build', ['jobs:Deploy:rules:rule:needs config can only be a hash or an array']],
    ['{}', ['jobs:Deploy:rules:rule:needs config can not be an empty hash']],
    ['[""]', ["jobs:Deploy:rules:rule:needs:need config can't be blank"]],
    ['[{job: ""}]', ["jobs:Deploy:rules:rule:needs:need job can't be blank"]],
    ['[{job: null}]', ['jobs:Deploy:rules:rule:needs:need job should be a string', "jobs:Deploy:rules:rule:needs:need job can't be blank"]],
    [
      '[{job: a, artifacts: x, optional: 1}]',
      [
        'jobs:Deploy:rules:rule:needs:need artifacts should be a boolean value',
        'jobs:Deploy:rules:rule:needs:need optional should be a boolean value',
      ],
    ],
    ['[{job: a, parallel: {matrix: []}}]', ['jobs:Deploy:rules:rule:needs:need config contains unknown keys: parallel']],
    ['[{project: a/b, job: c, ref: main}]', ['jobs:Deploy:rules:rule:needs:need has an unsupported type']],
    ['[1]', ['jobs:Deploy:rules:rule:needs:need has an unsupported type']],
    [
      '[1, {pipeline: $PARENT, job: c}]',
      [
        'jobs:Deploy:rules:rule:needs config uses invalid types: cross_dependency',
        'jobs:Deploy:rules:rule:needs:need has an unsupported type',
      ],
    ],
  ])('refuses %s', (needs, errors) => {
    expect(errorsOf(`{needs: ${needs}}`)).toEqual(errors);
  });

  it('reads a single hash and nested lists', () => {
    expect(parseRule('{needs: {job: a}}').rule).toEqual({ needs: [{ job: 'a', artifacts: true, optional: false }] });
    expect(parseRule('{needs: [[a], [[b]]]}').rule?.needs?.map((need) => need.job)).toEqual(['a', 'b']);
    expect(parseRule('{needs: []}').rule).toEqual({ needs: [] });
  });
});

describe('rules:auto_cancel', () => {
  const workflow: RulesOwner = { kind: 'workflow' };

  it.each<[string, string[]]>([
    ['conservative', ['workflow:rules:rule:auto_cancel config should be a hash']],
    ['{on_push: none}', ['workflow:rules:rule:auto_cancel config contains unknown keys: on_push']],
    ['{on_job_failure: some}', ['workflow:rules:rule:auto_cancel on job failure must be one of: none, all']],
    [
      '{on_new_commit: 1}',
      [
        'workflow:rules:rule:auto_cancel on new commit should be a string',
        'workflow:rules:rule:auto_cancel on new commit must be one of: conservative, interruptible, none',
      ],
    ],
  ])('refuses %s', (autoCancel, errors) => {
    expect(errorsOf(`{auto_cancel: ${autoCancel}}`, workflow)).toEqual(errors);
  });
});
