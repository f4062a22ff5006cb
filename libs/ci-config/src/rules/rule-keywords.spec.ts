import {
  AUTO_CANCEL_KEYWORDS,
  AUTO_CANCEL_ON_JOB_FAILURE,
  AUTO_CANCEL_ON_NEW_COMMIT,
  RULES_LIMITS,
  RULE_CHANGES_KEYWORDS,
  RULE_EXISTS_KEYWORDS,
  RULE_KEYWORDS,
  RULE_NEED_KEYWORDS,
  RULE_WHEN_VALUES,
} from '../index';

// Closed lists (GitLab 18): supporting another keyword or value is a deliberate change to one of these.
describe('rules keywords', () => {
  it.each<[string, readonly string[], string[]]>([
    [
      'RULE_KEYWORDS.job',
      RULE_KEYWORDS.job,
      ['if', 'changes', 'exists', 'when', 'start_in', 'allow_failure', 'variables', 'needs', 'interruptible'],
    ],
    [
      'RULE_KEYWORDS.workflow',
      RULE_KEYWORDS.workflow,
      ['if', 'changes', 'exists', 'when', 'start_in', 'allow_failure', 'variables', 'needs', 'auto_cancel'],
    ],
    ['RULE_KEYWORDS.include', RULE_KEYWORDS.include, ['if', 'exists', 'when', 'changes']],
    ['RULE_WHEN_VALUES.job', RULE_WHEN_VALUES.job, ['on_success', 'on_failure', 'always', 'never', 'manual', 'delayed']],
    ['RULE_WHEN_VALUES.workflow', RULE_WHEN_VALUES.workflow, ['always', 'never']],
    ['RULE_WHEN_VALUES.include', RULE_WHEN_VALUES.include, ['never', 'always']],
    ['RULE_CHANGES_KEYWORDS', RULE_CHANGES_KEYWORDS, ['paths', 'compare_to']],
    ['RULE_EXISTS_KEYWORDS', RULE_EXISTS_KEYWORDS, ['paths', 'project', 'ref']],
    ['RULE_NEED_KEYWORDS', RULE_NEED_KEYWORDS, ['job', 'artifacts', 'optional']],
    ['AUTO_CANCEL_KEYWORDS', AUTO_CANCEL_KEYWORDS, ['on_new_commit', 'on_job_failure']],
    ['AUTO_CANCEL_ON_NEW_COMMIT', AUTO_CANCEL_ON_NEW_COMMIT, ['conservative', 'interruptible', 'none']],
    ['AUTO_CANCEL_ON_JOB_FAILURE', AUTO_CANCEL_ON_JOB_FAILURE, ['none', 'all']],
  ])('%s is exactly GitLab’s list', (_name, list, expected) => {
    expect(list).toEqual(expected);
  });

  it('has GitLab’s limits', () => {
    expect(RULES_LIMITS).toEqual({ maxNesting: 10, maxPaths: 50, maxStartInSeconds: 604_800, maxGlobComparisons: 50_000 });
  });
});
