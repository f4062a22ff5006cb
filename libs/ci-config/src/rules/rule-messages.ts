import { RULES_LIMITS } from './rule-keywords';

const list = (items: readonly string[]): string => items.join(', ');

/**
 * Every message of `rules:`, `workflow:` and `only`/`except`, in GitLab 18's words (`location` is GitLab's prefix, e.g.
 * `jobs:deploy:rules:rule`). Like the rest of this library, names keep their case (GitLab lower-cases the message).
 * Shapes shared with other keywords (unknown keys, missing keys, "should be a hash") are in `ciConfigMessages`.
 */
export const rulesMessages = {
  // The list (`Entry::Processable` and `Entry::Rules`).
  jobRulesShape: (job: string) => `jobs:${job} rules should be an array containing hashes and arrays of hashes`,
  notArray: (location: string) => `${location} config should be a array`,

  // One rule (`Entry::Rules::Rule`, `Entry::Include::Rules::Rule`).
  disallowedStartIn: (location: string) => `${location} config contains disallowed keys: start_in`,
  startInBlank: (location: string) => `${location} start in can't be blank`,
  startInDuration: (location: string) => `${location} start in should be a duration`,
  startInLimit: (location: string) => `${location} start in should not exceed the limit`,
  invalidExpression: (location: string, attribute: string) => `${location} ${attribute} invalid expression syntax`,
  /** An expression over one of Lanyard's limits: `reason` names it. */
  expressionLimit: (location: string, attribute: string, reason: string) => `${location} ${attribute} ${reason}`,
  notBoolean: (location: string, attribute: string) => `${location} ${attribute} should be a boolean value`,
  unknownValue: (location: string, attribute: string, value: string) => `${location} ${attribute} unknown value: ${value}`,

  // `changes:` and `exists:` (`Entry::Rules::Rule::Changes`, `::Exists`).
  changesShape: (location: string) => `${location} should be an array or a hash`,
  existsShape: (location: string) => `${location} should be a string, an array of strings, or a hash`,
  notStringList: (location: string, attribute: string) => `${location} ${attribute} should be an array of strings`,
  tooManyPaths: (location: string, attribute: string) => `${location} ${attribute} has too many entries (maximum ${RULES_LIMITS.maxPaths})`,

  // `variables:`, `needs:`, `auto_cancel:`.
  variableNotString: (location: string) => `${location} config must be a string`,
  needsShape: (location: string) => `${location} config can only be a hash or an array`,
  needsEmptyHash: (location: string) => `${location} config can not be an empty hash`,
  needsInvalidTypes: (location: string, types: readonly string[]) => `${location} config uses invalid types: ${list(types)}`,
  needUnsupported: (location: string) => `${location} has an unsupported type`,
  notOneOf: (location: string, attribute: string, values: readonly string[]) => `${location} ${attribute} must be one of: ${list(values)}`,

  // `workflow:` (`Entry::Workflow`).
  workflowNameTooShort: () => 'workflow name is too short (minimum is 1 character)',
  workflowNameTooLong: () => 'workflow name is too long (maximum is 255 characters)',

  // `only`/`except` (`Entry::Policy`).
  policyShape: (location: string) => `${location} has to be either an array of conditions or a hash`,
  policyRefs: (location: string, attribute: string) =>
    `${location} ${attribute} should be an array of strings or regular expressions using re2 syntax`,

  // A job (`Entry::Processable`).
  usedWithRules: (job: string, keys: readonly string[]) => `jobs:${job} config key may not be used with \`rules\`: ${list(keys)}`,
  multiplePipelinesWarning: (job: string) =>
    `jobs:${job} may allow multiple pipelines to run for a single action due to \`rules:when\` clause with no ` +
    '`workflow:rules` - read more: ' +
    'https://docs.gitlab.com/ee/ci/jobs/job_troubleshooting.html#job-may-allow-multiple-pipelines-to-run-for-a-single-action-warning',

  // Pipeline creation (`Seed::Build#rules_errors`, `Chain::EvaluateWorkflowRules`, `Chain::PopulateMetadata`).
  ruleFailed: (job: string, errors: readonly string[]) => `Failed to parse rule for ${job}: ${list(errors)}`,
  /** Lanyard: GitLab has no error path for `only`/`except`, whose limits it does not have. */
  policyFailed: (job: string, reason: string) => `Failed to evaluate only/except for ${job}: ${reason}`,
  compareToInvalid: () => 'rules:changes:compare_to is not a valid ref',
  existsProjectNotFound: (project: string) => `rules:exists:project \`${project}\` not found or access denied`,
  existsRefInvalid: (ref: string, project: string) => `rules:exists:ref \`${ref}\` is not a valid ref in project \`${project}\``,
  /** A Lanyard limit hit while a clause ran (`clause` is `if`, `changes`, `exists` or `variables`). */
  clauseLimit: (clause: string, reason: string) => `rules:${clause} ${reason}`,
  workflowFiltered: () => 'Pipeline filtered out by workflow rules.',
  pipelineNameTooLong: () => 'Failed to build pipeline metadata! Name is too long (maximum is 255 characters)',
  includeRule: (message: string) => `include:${message}`,
  /** `Chain::Populate`: every job was filtered out (failure reason `filtered_by_rules`). */
  noJobsLeft: () =>
    'Pipeline will not run for the selected trigger. The rules configuration prevented any jobs from being added to the pipeline.',
  /** `Seed::Build#needs_errors`: a need that rules or only/except left out of this pipeline. */
  needMissing: (job: string, need: string) =>
    `'${job}' job needs '${need}' job, but '${need}' does not exist in the pipeline. This might be because of the only, except, ` +
    'or rules keywords. To need a job that sometimes does not exist in the pipeline, use needs:optional.',
} as const;
