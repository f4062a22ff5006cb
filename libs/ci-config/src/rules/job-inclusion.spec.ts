import { PatternEngine } from '../expressions/pattern-engine';
import { type YamlMap } from '../values';
import { rulesContext, yaml } from './__fixtures__/rules-fixtures';
import { type JobInclusionKeys, effectivePolicies, evaluateJobInclusion, rulesConflict, rulesWarning } from './job-inclusion';
import type { PolicyFacts } from './policy';

const branch: PolicyFacts = { source: 'push', refType: 'branch', ref: 'main', projectFullPath: 'g/p', kubernetesActive: false };
const mergeRequest: PolicyFacts = { ...branch, source: 'merge_request_event', refType: 'merge_request', ref: 'refs/merge-requests/1/head' };

describe(rulesConflict.name, () => {
  const conflict = (source: string) => rulesConflict('Build', yaml(source) as YamlMap);

  it('names only, except and start_in next to rules, in the order written', () => {
    expect(conflict('{except: [tags], script: x, rules: [{when: always}], only: [main]}')).toBe(
      'jobs:Build config key may not be used with `rules`: except, only',
    );
    expect(conflict("{rules: [{when: delayed, start_in: '1h'}], start_in: '1h'}")).toBe(
      'jobs:Build config key may not be used with `rules`: start_in',
    );
  });

  it('ignores keys set to null, and rules without a value', () => {
    expect(conflict('{rules: [{when: always}], only: null}')).toBeNull();
    expect(conflict('{rules: null, only: [main]}')).toBeNull();
    expect(conflict('{only: [main]}')).toBeNull();
  });
});

describe(effectivePolicies.name, () => {
  it.each<[string, JobInclusionKeys, boolean, object]>([
    ['a job with neither', {}, false, { only: { refs: ['branches', 'tags'] } }],
    ['a job under workflow:rules', {}, true, {}],
    ['a job with rules', { rules: [{ when: 'always' }] }, false, {}],
    ['a job with rules: and no value', { rules: null }, false, {}],
    ['only:variables', { only: { variables: ['$A'] } }, false, { only: { refs: ['branches', 'tags'], variables: ['$A'] } }],
    [
      'only:variables under workflow:rules',
      { only: { variables: ['$A'] } },
      true,
      { only: { refs: ['branches', 'tags'], variables: ['$A'] } },
    ],
    ['only refs', { only: { refs: ['main'] } }, false, { only: { refs: ['main'] } }],
    ['except alone', { except: { refs: ['tags'] } }, false, { only: { refs: ['branches', 'tags'] }, except: { refs: ['tags'] } }],
    ['except under workflow:rules', { except: { refs: ['tags'] } }, true, { except: { refs: ['tags'] } }],
  ])('gives %s', (_case, keys, hasWorkflowRules, expected) => {
    expect(effectivePolicies(keys, hasWorkflowRules)).toEqual(expected);
  });
});

describe(rulesWarning.name, () => {
  it('warns when the last rule is only a when other than never, without workflow:rules', () => {
    expect(rulesWarning('test', [{ if: '$A' }, { when: 'always' }], false)).toBe(
      'jobs:test may allow multiple pipelines to run for a single action due to `rules:when` clause with no `workflow:rules` - read more: ' +
        'https://docs.gitlab.com/ee/ci/jobs/job_troubleshooting.html#job-may-allow-multiple-pipelines-to-run-for-a-single-action-warning',
    );
    expect(rulesWarning('test', [{ when: 'always' }], true)).toBeNull();
    expect(rulesWarning('test', [{ when: 'never' }], false)).toBeNull();
    expect(rulesWarning('test', [{ if: '$A', when: 'always' }], false)).toBeNull();
  });
});

describe(evaluateJobInclusion.name, () => {
  const context = rulesContext({ variables: { CI_COMMIT_BRANCH: 'main' } });

  it('runs a job without rules nor only/except in branch and tag pipelines, not merge-request ones', () => {
    expect(evaluateJobInclusion('test', {}, false, branch, context).included).toBe(true);
    expect(evaluateJobInclusion('test', {}, false, { ...branch, refType: 'tag', ref: 'v1' }, context).included).toBe(true);
    expect(evaluateJobInclusion('test', {}, false, mergeRequest, context).included).toBe(false);
  });

  it('runs it in merge-request pipelines too once workflow:rules exist (reference §11.10)', () => {
    expect(evaluateJobInclusion('test', {}, true, mergeRequest, context).included).toBe(true);
  });

  it('decides by rules when the job has them, with the job when as default', () => {
    const keys: JobInclusionKeys = { rules: [{ if: '$CI_COMMIT_BRANCH' }], when: 'manual' };
    expect(evaluateJobInclusion('test', keys, false, mergeRequest, context)).toEqual({
      included: true,
      rules: { when: 'manual', errors: [] },
      errors: [],
    });
    expect(evaluateJobInclusion('test', { rules: [{ if: '$CI_COMMIT_TAG' }] }, false, branch, context).included).toBe(false);
  });

  it("reports a rule that cannot be evaluated in GitLab's words", () => {
    const keys: JobInclusionKeys = { rules: [{ changes: { paths: ['a'], compareTo: 'gone' } }] };
    expect(evaluateJobInclusion('deploy', keys, false, branch, rulesContext({ repository: { changedPaths: ['a'] } }))).toEqual({
      included: false,
      rules: { when: 'never', errors: ['rules:changes:compare_to is not a valid ref'] },
      errors: ['Failed to parse rule for deploy: rules:changes:compare_to is not a valid ref'],
    });
  });

  it('reports a limit hit by only/except', () => {
    const tight = rulesContext({ variables: { TEXT: 'x'.repeat(500) }, engine: new PatternEngine(1000) });
    expect(evaluateJobInclusion('test', { only: { variables: ['$TEXT =~ /ab/'] } }, false, branch, tight)).toEqual({
      included: false,
      rules: null,
      errors: ['Failed to evaluate only/except for test: exceeded the pattern matching budget (1000 steps)'],
    });
  });
});
