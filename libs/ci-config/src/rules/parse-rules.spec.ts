import { PatternEngine } from '../expressions/pattern-engine';
import { Problems } from '../values';
import { yaml } from './__fixtures__/rules-fixtures';
import { parseRules } from './parse-rules';
import type { RulesOwner } from './rule-keywords';

const job: RulesOwner = { kind: 'job', name: 'rspec' };
const workflow: RulesOwner = { kind: 'workflow' };
const include: RulesOwner = { kind: 'include' };

function parse(source: string, owner: RulesOwner = job) {
  const problems = new Problems();
  const rules = parseRules(yaml(source), owner, problems, new PatternEngine());
  return { rules, errors: problems.errors };
}

const errorsOf = (source: string, owner: RulesOwner = job) => parse(source, owner).errors;
const ruleOf = (source: string, owner: RulesOwner = job) => parse(`- ${source.replace(/\n/g, '\n  ')}`, owner);

describe(parseRules.name, () => {
  // GitLab's rule_spec (reference §3.2): each config, valid or not, with the message GitLab asserts.
  describe('the reference table', () => {
    it.each([
      ['when: manual', { when: 'manual' }],
      ['allow_failure: true', { allowFailure: true }],
      ['interruptible: true', { interruptible: true }],
      [
        "{if: '$THIS || $THAT', when: manual, allow_failure: true, interruptible: true}",
        { if: '$THIS || $THAT', when: 'manual', allowFailure: true, interruptible: true },
      ],
      [
        'changes: [app/, lib/, spec/, other/*, paths/**/*.rb]',
        { changes: { paths: ['app/', 'lib/', 'spec/', 'other/*', 'paths/**/*.rb'] } },
      ],
      ['changes: {paths: [app/], compare_to: branch1}', { changes: { paths: ['app/'], compareTo: 'branch1' } }],
      ["exists: 'paths/**/*.rb'", { exists: { paths: ['paths/**/*.rb'] } }],
      ['exists: null', {}],
      ['exists: []', { exists: { paths: [] } }],
      ['exists: {}', { exists: { paths: [] } }],
      [
        'exists: {paths: [this.md], project: path/to/project, ref: refs/heads/branch1}',
        { exists: { paths: ['this.md'], project: 'path/to/project', ref: 'refs/heads/branch1' } },
      ],
      ["{if: '$THIS || $THAT', when: delayed, start_in: '2 days'}", { if: '$THIS || $THAT', when: 'delayed', startIn: '2 days' }],
      ['{if: $A, variables: {B: "x", C: 1, D: true}}', { if: '$A', variables: { B: 'x', C: '1', D: 'true' } }],
      [
        '{if: $A, needs: [build, {job: test, artifacts: false, optional: true}]}',
        {
          if: '$A',
          needs: [
            { job: 'build', artifacts: true, optional: false },
            { job: 'test', artifacts: false, optional: true },
          ],
        },
      ],
      ['{if: null, when: null, allow_failure: null}', {}], // GitLab compacts null keys away
    ])('accepts %s', (rule, expected) => {
      expect(ruleOf(rule)).toEqual({ rules: [expected], errors: [] });
    });

    it.each<[string, string]>([
      [`if: ['$MY_VAR == "this"', '$YOUR_VAR == "that"']`, 'jobs:rspec:rules:rule if invalid expression syntax'],
      ["if: '$MY_VAR =='", 'jobs:rspec:rules:rule if invalid expression syntax'],
      ["if: '$MY_VAR == 123'", 'jobs:rspec:rules:rule if invalid expression syntax'],
      ["if: '$MY_VAR =~ /some ( thing/'", 'jobs:rspec:rules:rule if invalid expression syntax'],
      ["if: '$CI_COMMIT_REF =~ /^(?!master).+/'", 'jobs:rspec:rules:rule if invalid expression syntax'],
      ["changes: 'a regular string'", 'jobs:rspec:rules:rule:changes should be an array or a hash'],
      ['changes: [1, 2]', 'jobs:rspec:rules:rule:changes config should be an array of strings'],
      [`changes: [${Array(51).fill('app/').join(', ')}]`, 'jobs:rspec:rules:rule:changes config has too many entries (maximum 50)'],
      ['exists: [1, 2, 3]', 'jobs:rspec:rules:rule:exists config should be an array of strings'],
      [`exists: [${Array(51).fill('app/*').join(', ')}]`, 'jobs:rspec:rules:rule:exists config has too many entries (maximum 50)'],
      ['exists: {paths: [this.md], ref: refs/heads/branch1}', 'jobs:rspec:rules:rule:exists config missing required keys: project'],
      ["{if: '$THIS || $THAT', start_in: '15 minutes'}", 'jobs:rspec:rules:rule config contains disallowed keys: start_in'],
      ["{if: '$THIS || $THAT', when: delayed, start_in: '2 weeks'}", 'jobs:rspec:rules:rule start in should not exceed the limit'],
      ['invalid: something', 'jobs:rspec:rules:rule config contains unknown keys: invalid'],
      ["{if: '$THIS', when: false}", 'jobs:rspec:rules:rule when unknown value: false'],
      ["{if: '$THIS', when: explode}", 'jobs:rspec:rules:rule when unknown value: explode'],
      ["{if: '$THIS', variables: hello}", 'jobs:rspec:rules:rule:variables config should be a hash'],
      ["{if: '$THIS', allow_failure: always}", 'jobs:rspec:rules:rule allow failure should be a boolean value'],
      ["{if: '$THIS', interruptible: string}", 'jobs:rspec:rules:rule interruptible should be a boolean value'],
    ])('refuses %s', (rule, message) => {
      expect(ruleOf(rule)).toEqual({ rules: null, errors: [message] });
    });

    it('refuses an empty rule as blank', () => {
      expect(errorsOf('- {}')).toEqual(["jobs:rspec:rules:rule config can't be blank"]);
    });

    it('refuses delayed without start_in with all three of GitLab duration messages', () => {
      expect(errorsOf("- {if: '$THIS', when: delayed}")).toEqual([
        "jobs:rspec:rules:rule start in can't be blank",
        'jobs:rspec:rules:rule start in should be a duration',
        'jobs:rspec:rules:rule start in should not exceed the limit',
      ]);
    });

    it('refuses a workflow rule with a job-only when', () => {
      expect(errorsOf("- {if: '$THIS', when: on_success}", workflow)).toEqual(['workflow:rules:rule when unknown value: on_success']);
    });

    it('refuses an auto_cancel outside the allowed values', () => {
      expect(errorsOf("- {if: '$THIS', auto_cancel: {on_new_commit: xyz}}", workflow)).toEqual([
        'workflow:rules:rule:auto_cancel on new commit must be one of: conservative, interruptible, none',
      ]);
    });
  });

  describe('the list', () => {
    it.each<[string, string[]]>([
      ['if: $A', ['jobs:rspec rules should be an array containing hashes and arrays of hashes']],
      ['[string strategy]', ['jobs:rspec rules should be an array containing hashes and arrays of hashes']],
      ['[[[[[[[[[[[{if: $A}]]]]]]]]]]]', ['jobs:rspec rules should be an array containing hashes and arrays of hashes']],
      ['[]', ["jobs:rspec:rules config can't be blank"]],
    ])('refuses %s for a job', (source, errors) => {
      expect(parse(source)).toEqual({ rules: null, errors });
    });

    it('flattens rules nested by !reference, up to ten levels of lists', () => {
      expect(parse('[[{if: $A}, [{when: never}]], {when: always}]').rules).toEqual([{ if: '$A' }, { when: 'never' }, { when: 'always' }]);
      expect(parse('[[[[[[[[[[{if: $A}]]]]]]]]]]').rules).toEqual([{ if: '$A' }]);
    });

    it.each<[RulesOwner, string, string[]]>([
      [workflow, 'if: $A', ['workflow:rules config should be a array']],
      [workflow, '[]', ["workflow:rules config can't be blank"]],
      [workflow, '{}', ["workflow:rules config can't be blank", 'workflow:rules config should be a array']],
      [workflow, '[string strategy]', ['workflow:rules:rule config should be a hash']],
      [workflow, '[""]', ['workflow:rules:rule config should be a hash', "workflow:rules:rule config can't be blank"]],
      [include, '[]', ["include:rules config can't be blank"]],
      [include, '[{if: $A, when: manual}]', ['include:rules:rule when unknown value: manual']],
    ])('refuses for %o: %s', (owner, source, errors) => {
      expect(parse(source, owner)).toEqual({ rules: null, errors });
    });

    it('reports every rule, each at its own location', () => {
      expect(errorsOf('- {if: "$A =="}\n- {when: sometimes}')).toEqual([
        'jobs:rspec:rules:rule if invalid expression syntax',
        'jobs:rspec:rules:rule when unknown value: sometimes',
      ]);
    });
  });
});
