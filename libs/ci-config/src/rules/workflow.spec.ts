import { Problems } from '../values';
import { rulesContext, yaml } from './__fixtures__/rules-fixtures';
import { WORKFLOW_KEYWORDS, evaluateWorkflow, parseWorkflow } from './workflow';

function parse(source: string | undefined) {
  const problems = new Problems();
  const workflow = parseWorkflow(source === undefined ? undefined : yaml(source), problems);
  return { workflow, errors: problems.errors };
}

function workflowOf(source: string) {
  const { workflow, errors } = parse(source);
  if (!workflow) throw new Error(errors.join('\n'));
  return workflow;
}

describe(parseWorkflow.name, () => {
  it('knows exactly GitLab’s keys', () => {
    expect(WORKFLOW_KEYWORDS).toEqual(['rules', 'name', 'auto_cancel']);
  });

  it('reads rules, name and auto_cancel', () => {
    expect(parse("name: 'Deploy $ENV'\nauto_cancel: {on_new_commit: interruptible}\nrules:\n  - if: $A\n  - when: never")).toEqual({
      workflow: {
        hasRules: true,
        rules: [{ if: '$A' }, { when: 'never' }],
        name: 'Deploy $ENV',
        autoCancel: { onNewCommit: 'interruptible' },
      },
      errors: [],
    });
  });

  it('treats a missing workflow:, or one without a value, as empty', () => {
    expect(parse(undefined)).toEqual({ workflow: { hasRules: false }, errors: [] });
    expect(parse('null')).toEqual({ workflow: { hasRules: false }, errors: [] });
  });

  it('counts rules: written without a value as rules, with nothing to evaluate', () => {
    expect(parse('rules: null')).toEqual({ workflow: { hasRules: true }, errors: [] });
  });

  it.each<[string, string[]]>([
    ['[rules]', ['workflow config should be a hash']],
    ['{rules: [], stages: [a], foo: 1}', ['workflow config contains unknown keys: stages, foo']],
    ["{name: ''}", ['workflow name is too short (minimum is 1 character)']],
    [`{name: '${'x'.repeat(256)}'}`, ['workflow name is too long (maximum is 255 characters)']],
    ['{name: 2024}', ['workflow name should be a string']],
    ['{rules: [{if: $A, when: on_success}]}', ['workflow:rules:rule when unknown value: on_success']],
    ['{rules: [{when: manual}]}', ['workflow:rules:rule when unknown value: manual']],
    ['{auto_cancel: {on_job_failure: some}}', ['workflow:auto_cancel on job failure must be one of: none, all']],
  ])('refuses %s', (source, errors) => {
    expect(parse(source)).toEqual({ workflow: null, errors });
  });

  it('checks nested entries only once its own keys are valid', () => {
    expect(parse('{foo: 1, rules: [{when: manual}]}').errors).toEqual(['workflow config contains unknown keys: foo']);
  });
});

describe(evaluateWorkflow.name, () => {
  const context = rulesContext({ variables: { CI_COMMIT_BRANCH: 'main', CI_PIPELINE_SOURCE: 'push' } });

  it('creates the pipeline without rules', () => {
    expect(evaluateWorkflow({ hasRules: false }, context)).toEqual({
      created: true,
      errors: [],
      variables: {},
      name: null,
      autoCancel: {},
    });
  });

  it("creates it when a rule matches with when: always (the default), and gives it the rule's variables", () => {
    const workflow = workflowOf("rules:\n  - if: '$CI_COMMIT_BRANCH == \"main\"'\n    variables: {DEPLOY: 'yes'}\n  - when: never");
    expect(evaluateWorkflow(workflow, context)).toEqual({
      created: true,
      errors: [],
      variables: { DEPLOY: 'yes' },
      name: null,
      autoCancel: {},
    });
  });

  it("filters it out on when: never or when nothing matches, in GitLab's words", () => {
    const filtered = { created: false, errors: ['Pipeline filtered out by workflow rules.'], variables: {}, name: null, autoCancel: {} };
    expect(evaluateWorkflow(workflowOf('rules: [{if: $CI_COMMIT_BRANCH, when: never}, {when: always}]'), context)).toEqual(filtered);
    expect(evaluateWorkflow(workflowOf('rules: [{if: \'$CI_PIPELINE_SOURCE == "web"\'}]'), context)).toEqual(filtered);
  });

  it('says, after the filtered message, what stopped the rules', () => {
    const workflow = workflowOf('rules: [{changes: {paths: [a], compare_to: gone}}]');
    expect(evaluateWorkflow(workflow, rulesContext({ repository: { changedPaths: ['a'] } })).errors).toEqual([
      'Pipeline filtered out by workflow rules.',
      'rules:changes:compare_to is not a valid ref',
    ]);
  });

  it('runs the documented idiom against duplicate branch and merge-request pipelines', () => {
    const workflow = workflowOf(
      [
        'rules:',
        '  - if: \'$CI_PIPELINE_SOURCE == "merge_request_event"\'',
        '  - if: $CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS',
        '    when: never',
        '  - if: $CI_COMMIT_BRANCH',
      ].join('\n'),
    );
    const created = (variables: Record<string, string>) => evaluateWorkflow(workflow, rulesContext({ variables })).created;
    expect(created({ CI_PIPELINE_SOURCE: 'merge_request_event' })).toBe(true);
    expect(created({ CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'feature', CI_OPEN_MERGE_REQUESTS: 'g/p!1' })).toBe(false);
    expect(created({ CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'feature' })).toBe(true);
    expect(created({ CI_PIPELINE_SOURCE: 'push', CI_COMMIT_TAG: 'v1' })).toBe(false);
  });

  describe('name', () => {
    const named = (name: string, rule = '{when: always}') => workflowOf(`name: ${JSON.stringify(name)}\nrules: [${rule}]`);
    const nameOf = (name: string, rule?: string) =>
      evaluateWorkflow(named(name, rule), rulesContext({ expandedVariables: { ENV: 'prod', BRANCH: 'main' } })).name;

    it("expands variables, the matched rule's too, and strips the result", () => {
      expect(nameOf('  Deploy $ENV from ${BRANCH} ')).toBe('Deploy prod from main');
      expect(nameOf('Deploy $TARGET', "{when: always, variables: {TARGET: 'staging of $ENV'}}")).toBe('Deploy staging of prod');
      expect(nameOf('Deploy $UNSET')).toBe('Deploy');
    });

    it('is no name when it expands to nothing', () => {
      expect(nameOf('$UNSET')).toBeNull();
      expect(nameOf('$UNSET  ')).toBeNull();
    });

    it('fails the pipeline when it grows past 255 characters', () => {
      const result = evaluateWorkflow(named('$LONG $LONG'), rulesContext({ expandedVariables: { LONG: 'x'.repeat(200) } }));
      expect(result).toMatchObject({
        created: false,
        errors: ['Failed to build pipeline metadata! Name is too long (maximum is 255 characters)'],
      });
    });
  });

  it("merges workflow:auto_cancel with the matched rule's", () => {
    const workflow = workflowOf(
      'auto_cancel: {on_new_commit: conservative, on_job_failure: all}\nrules: [{auto_cancel: {on_new_commit: none}}]',
    );
    expect(evaluateWorkflow(workflow, context).autoCancel).toEqual({ onNewCommit: 'none', onJobFailure: 'all' });
  });
});
