/** Closed lists of `rules:` (GitLab 18: `Entry::Processable`, `Entry::Workflow`, `Entry::Include::Rules::Rule`). */

/** Who owns a `rules:` list: a job, `workflow:`, or an `include:` item. */
export type RulesOwner = { readonly kind: 'job'; readonly name: string } | { readonly kind: 'workflow' } | { readonly kind: 'include' };

export type RulesOwnerKind = RulesOwner['kind'];

/** The keys a rule may use, per owner, in GitLab's order. */
export const RULE_KEYWORDS = {
  job: ['if', 'changes', 'exists', 'when', 'start_in', 'allow_failure', 'variables', 'needs', 'interruptible'],
  // GitLab: start_in, allow_failure and needs "should not be allowed but we can't break this behavior now".
  workflow: ['if', 'changes', 'exists', 'when', 'start_in', 'allow_failure', 'variables', 'needs', 'auto_cancel'],
  include: ['if', 'exists', 'when', 'changes'],
} as const satisfies Record<RulesOwnerKind, readonly string[]>;

/** The `when:` values a rule may give, per owner. */
export const RULE_WHEN_VALUES = {
  job: ['on_success', 'on_failure', 'always', 'never', 'manual', 'delayed'],
  workflow: ['always', 'never'],
  include: ['never', 'always'],
} as const satisfies Record<RulesOwnerKind, readonly string[]>;

export type RuleWhen = (typeof RULE_WHEN_VALUES.job)[number];

export const RULE_CHANGES_KEYWORDS = ['paths', 'compare_to'] as const;
export const RULE_EXISTS_KEYWORDS = ['paths', 'project', 'ref'] as const;
export const RULE_NEED_KEYWORDS = ['job', 'artifacts', 'optional'] as const;
export const AUTO_CANCEL_KEYWORDS = ['on_new_commit', 'on_job_failure'] as const;
/** GitLab: `Ci::PipelineMetadata` enums. */
export const AUTO_CANCEL_ON_NEW_COMMIT = ['conservative', 'interruptible', 'none'] as const;
export const AUTO_CANCEL_ON_JOB_FAILURE = ['none', 'all'] as const;

export const RULES_LIMITS = {
  /** GitLab: `Processable::MAX_NESTING_LEVEL`, lists of rules inside `rules:` (from `!reference`). */
  maxNesting: 10,
  /** GitLab: `changes`/`exists` paths per rule. */
  maxPaths: 50,
  /** GitLab: `start_in` of a delayed rule, `duration: { limit: '1 week' }`. */
  maxStartInSeconds: 7 * 24 * 3600,
  /** GitLab: above this many path-glob comparisons, `changes`/`exists` stop comparing and count as true. */
  maxGlobComparisons: 50_000,
} as const;
