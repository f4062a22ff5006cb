import { PatternEngine } from '../expressions/pattern-engine';
import { Problems } from '../values';
import { rulesContext, yaml } from './__fixtures__/rules-fixtures';
import { evaluateIncludeRules, evaluateRules } from './evaluate-rules';
import { parseRules } from './parse-rules';
import type { RuleDefinition } from './rule-types';

function rules(source: string, owner: 'job' | 'include' = 'job'): RuleDefinition[] {
  const problems = new Problems();
  const parsed = parseRules(yaml(source), owner === 'job' ? { kind: 'job', name: 'test' } : { kind: 'include' }, problems);
  if (!parsed) throw new Error(problems.errors.join('\n'));
  return parsed;
}

describe(evaluateRules.name, () => {
  const variables = { A: 'a', B: 'b', EMPTY: '', SPACES: '  ', REF: '$OTHER' };

  it('takes the first rule that matches', () => {
    const list = rules("- {if: '$UNSET', when: always}\n- {if: $A, when: manual}\n- {if: $B, when: delayed, start_in: 1h}");
    expect(evaluateRules(list, rulesContext({ variables }))).toEqual({ when: 'manual', errors: [] });
  });

  it('does not create the job when no rule matches', () => {
    expect(evaluateRules(rules("- if: '$UNSET'\n- if: '$EMPTY'\n- if: '$SPACES'"), rulesContext({ variables }))).toEqual({
      when: 'never',
      errors: [],
    });
  });

  it("gives the default when without rules, or to a matched rule without when (the job's own when)", () => {
    expect(evaluateRules(undefined, rulesContext())).toEqual({ when: 'on_success', errors: [] });
    expect(evaluateRules(undefined, rulesContext(), 'manual')).toEqual({ when: 'manual', errors: [] });
    expect(evaluateRules(rules('- if: $A'), rulesContext({ variables }), 'manual').when).toBe('manual');
    expect(evaluateRules(rules('- allow_failure: true'), rulesContext()).when).toBe('on_success');
  });

  it("gives the matched rule's attributes, and only its", () => {
    const list = rules(
      [
        '- if: \'$A == "a"\'',
        '  when: delayed',
        "  start_in: '30 minutes'",
        '  allow_failure: true',
        '  interruptible: false',
        '  variables: {DEPLOY: "yes"}',
        '  needs: [build, {job: lint, optional: true}]',
        '- when: always',
        '  variables: {OTHER: "no"}',
      ].join('\n'),
    );
    expect(evaluateRules(list, rulesContext({ variables }))).toEqual({
      when: 'delayed',
      startIn: '30 minutes',
      allowFailure: true,
      interruptible: false,
      variables: { DEPLOY: 'yes' },
      needs: [
        { job: 'build', artifacts: true, optional: false },
        { job: 'lint', artifacts: true, optional: true },
      ],
      errors: [],
    });
  });

  it('leaves the job needs alone for rules:needs: [] (GitLab only replaces them with jobs)', () => {
    expect(evaluateRules(rules('- needs: []'), rulesContext())).toEqual({ when: 'on_success', errors: [] });
  });

  it('skips a rule with when: never that matches, by not creating the job', () => {
    expect(evaluateRules(rules('- {if: $A, when: never}\n- when: always'), rulesContext({ variables })).when).toBe('never');
  });

  it('needs every clause of a rule to hold', () => {
    const list = rules('- {if: $A, changes: [src/*], exists: [Dockerfile]}');
    const context = (files: string[], changed: string[]) => rulesContext({ variables, repository: { files, changedPaths: changed } });
    expect(evaluateRules(list, context(['Dockerfile'], ['src/a.ts'])).when).toBe('on_success');
    expect(evaluateRules(list, context([], ['src/a.ts'])).when).toBe('never');
    expect(evaluateRules(list, context(['Dockerfile'], ['docs/a.md'])).when).toBe('never');
  });

  it('compares if: to the stored values, unexpanded (reference §3.3)', () => {
    const context = rulesContext({ variables, expandedVariables: { ...variables, REF: 'expanded' } });
    expect(evaluateRules(rules('- if: \'$REF == "$OTHER"\''), context).when).toBe('on_success');
  });

  it('evaluates clauses in the order written: an error after a false clause is never reached', () => {
    const context = rulesContext({ variables, repository: { changedPaths: ['a'] } });
    expect(evaluateRules(rules('- {if: $UNSET, changes: {paths: [a], compare_to: nope}}'), context)).toEqual({ when: 'never', errors: [] });
    expect(evaluateRules(rules('- {changes: {paths: [a], compare_to: nope}, if: $UNSET}'), context)).toEqual({
      when: 'never',
      errors: ['rules:changes:compare_to is not a valid ref'],
    });
  });

  it('reports a Lanyard limit hit by a clause, naming the clause', () => {
    const context = rulesContext({ variables: { TEXT: 'x'.repeat(1000) }, engine: new PatternEngine(2000) });
    expect(evaluateRules(rules("- if: '$TEXT =~ /ab/'"), context)).toEqual({
      when: 'never',
      errors: ['rules:if exceeded the pattern matching budget (2000 steps)'],
    });
  });

  it('ends a hostile configuration in an error, not a hang', () => {
    // A thousand distinct regexes against a long commit message: each alone is fine, together they exhaust the budget.
    const hostile = Array.from({ length: 1000 }, (_, index) => `- if: '$CI_COMMIT_MESSAGE =~ /[a-z]{200}${index}x/'`).join('\n');
    const context = rulesContext({ variables: { CI_COMMIT_MESSAGE: 'ab'.repeat(50_000) } });
    const result = evaluateRules(rules(hostile), context);
    expect(result).toEqual({ when: 'never', errors: ['rules:if exceeded the pattern matching budget (50000000 steps)'] });
  });
});

describe(evaluateIncludeRules.name, () => {
  const context = rulesContext({ variables: { A: 'a' }, repository: { changedPaths: ['x'] } });

  it.each<[string | undefined, boolean]>([
    [undefined, true],
    ['- if: $A', true],
    ['- {if: $A, when: always}', true],
    ['- {if: $A, when: never}', false],
    ['- if: $UNSET', false],
  ])('%p includes the file: %p', (source, included) => {
    expect(evaluateIncludeRules(source === undefined ? undefined : rules(source, 'include'), context)).toEqual({ included, error: null });
  });

  it("fails with GitLab's include: prefix", () => {
    expect(evaluateIncludeRules(rules('- changes: {paths: [x], compare_to: nope}', 'include'), context)).toEqual({
      included: false,
      error: 'include:rules:changes:compare_to is not a valid ref',
    });
  });
});
