import { parseDuration } from '../duration';
import type { ExpressionVariables } from '../expressions/evaluate';
import { PatternEngine } from '../expressions/pattern-engine';
import type { JobWhen } from '../keywords';
import type { CiConfigResult, JobDefinition } from '../types';
import type { RulesResult } from './evaluate-rules';
import { expandExisting } from './expand-variables';
import { evaluateJobInclusion } from './job-inclusion';
import { type PipelineFacts, pipelineRuleVariables } from './pipeline-variables';
import type { PolicyFacts } from './policy';
import type { RepositoryFacts, RulesContext } from './rule-clauses';
import { rulesMessages as msg } from './rule-messages';
import { evaluateWorkflow } from './workflow';

/** What a pipeline being created is known by, read once by the caller before its jobs are decided. */
export interface SelectionFacts {
  readonly pipeline: PipelineFacts;
  readonly policy: PolicyFacts;
  readonly repository: RepositoryFacts;
  /** The project's and its groups' CI/CD variables the pipeline may see, for a job deploying to `environment`. */
  readonly ciVariables: (environment: string | null) => ExpressionVariables;
  /** Given when the pipeline was created (API, web, trigger): they win over every other variable. */
  readonly pipelineVariables: ExpressionVariables;
  readonly maskedValues?: readonly string[];
}

/** The jobs a pipeline creates, or why there is none. */
export interface JobSelection {
  /** Why the pipeline is not created, in GitLab's words; empty when it is. */
  readonly errors: readonly string[];
  /**
   * Not created because `workflow:rules` or the jobs' rules filtered everything out: GitLab stores nothing then, not
   * even for a push (other errors fail a push pipeline).
   */
  readonly filtered: boolean;
  /** `workflow:name`, expanded. */
  readonly name: string | null;
  /** The configuration's stages, `.pre` first and `.post` last: where each job's stage sits. */
  readonly stages: readonly string[];
  /** In the order written, with what their matched rule gives them (`when`, `allow_failure`, `variables`, `needs`…). */
  readonly jobs: readonly JobDefinition[];
}

const JOB_ONLY = /^CI_(JOB|BUILD)/;

/**
 * GitLab's pipeline creation chain from `Chain::EvaluateWorkflowRules` to `Chain::Populate` on a valid configuration:
 * `workflow:rules` decide whether there is a pipeline (and its name and variables), then each job's `rules:` (first
 * match wins, none: not created) or `only`/`except` decide whether it exists and what its matched rule overrides; a
 * kept job may not need a job left out unless the need is optional.
 */
export function selectJobs(config: CiConfigResult, facts: SelectionFacts, engine: PatternEngine = new PatternEngine()): JobSelection {
  const workflow = config.workflow ?? { hasRules: false };
  const stages = config.stages;
  const rootVariables = config.globalVariables ?? {};
  const base = (pipeline: PipelineFacts) =>
    Object.fromEntries(Object.entries(pipelineRuleVariables(pipeline)).filter(([key]) => !JOB_ONLY.test(key)));
  const context = (variables: ExpressionVariables): RulesContext => ({
    variables,
    expandedVariables: expanded(variables),
    repository: facts.repository,
    engine,
    ...(facts.maskedValues ? { maskedValues: facts.maskedValues } : {}),
  });

  const decided = evaluateWorkflow(
    workflow,
    context({ ...base(facts.pipeline), ...rootVariables, ...facts.ciVariables(null), ...facts.pipelineVariables }),
  );
  if (!decided.created)
    return { errors: decided.errors, filtered: decided.errors[0] === msg.workflowFiltered(), name: null, stages, jobs: [] };

  const predefined = base({ ...facts.pipeline, ...(decided.name !== null ? { name: decided.name } : {}) });
  const errors: string[] = [];
  const kept: JobDefinition[] = [];
  for (const job of config.jobs) {
    const yamlVariables = withWorkflowVariables(job.variables, rootVariables, decided.variables);
    const variables = {
      ...predefined,
      CI_JOB_NAME: job.name,
      CI_JOB_STAGE: job.stage,
      ...yamlVariables,
      ...facts.ciVariables(job.environment?.name ?? null),
      ...facts.pipelineVariables,
    };
    const keys = { ...job.inclusion, when: job.when };
    const inclusion = evaluateJobInclusion(job.name, keys, workflow.hasRules, facts.policy, context(variables));
    errors.push(...inclusion.errors);
    if (inclusion.included) kept.push(applyRules({ ...job, variables: yamlVariables }, inclusion.rules));
  }
  if (errors.length > 0) return { errors, filtered: false, name: decided.name, stages, jobs: [] };
  if (kept.length === 0) return { errors: [msg.noJobsLeft()], filtered: true, name: decided.name, stages, jobs: [] };
  const needs = checkNeeds(kept);
  if (needs.errors.length > 0) return { errors: needs.errors, filtered: false, name: decided.name, stages, jobs: [] };
  return { errors: [], filtered: false, name: decided.name, stages, jobs: needs.jobs };
}

/** GitLab's `variables_hash_expanded`: each value with references to other variables replaced once. */
function expanded(variables: ExpressionVariables): ExpressionVariables {
  return Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, expandExisting(value, variables)]));
}

/**
 * A matched workflow rule's variables override the root `variables:` (GitLab merges them into the root's), so they
 * reach a job where the root's would: not where the job defines the key itself, nor where it inherits no root variable.
 */
function withWorkflowVariables(
  job: Readonly<Record<string, string>>,
  root: Readonly<Record<string, string>>,
  workflow: Readonly<Record<string, string>>,
): Readonly<Record<string, string>> {
  const entries = Object.entries(workflow);
  if (entries.length === 0) return job;
  const result = { ...job };
  for (const [key, value] of entries) {
    const inherited = Object.hasOwn(root, key) ? Object.hasOwn(job, key) && job[key] === root[key] : !Object.hasOwn(job, key);
    if (inherited) result[key] = value;
  }
  return result;
}

/** GitLab's `Seed::Build#rules_attributes`: what the matched rule sets replaces the job's own. */
function applyRules(job: JobDefinition, rules: RulesResult | null): JobDefinition {
  if (!rules) return job;
  const when = rules.when as JobWhen;
  const startIn = rules.startIn !== undefined ? parseDuration(rules.startIn) : null;
  return {
    ...job,
    when,
    startInSeconds: when === 'delayed' ? (startIn ?? job.startInSeconds) : null,
    // A rule's `allow_failure` drops the job's `exit_codes` criteria (`allow_failure_criteria_attributes`).
    allowFailure: rules.allowFailure ?? job.allowFailure,
    allowFailureExitCodes: rules.allowFailure !== undefined ? null : job.allowFailureExitCodes,
    interruptible: rules.interruptible ?? job.interruptible,
    variables: rules.variables ? { ...job.variables, ...rules.variables } : job.variables,
    needs: rules.needs ? rules.needs.map((need) => ({ job: need.job, artifacts: need.artifacts, optional: need.optional })) : job.needs,
  };
}

/** `Seed::Build#needs_errors`: a need on a job this pipeline does not create fails it, unless optional (then dropped). */
function checkNeeds(jobs: readonly JobDefinition[]): { errors: string[]; jobs: JobDefinition[] } {
  const names = new Set(jobs.map((job) => job.name));
  const errors: string[] = [];
  const checked = jobs.map((job) => {
    if (!job.needs || job.needs.every((need) => names.has(need.job))) return job;
    for (const need of job.needs) if (!need.optional && !names.has(need.job)) errors.push(msg.needMissing(job.name, need.job));
    return { ...job, needs: job.needs.filter((need) => names.has(need.job)) };
  });
  return { errors, jobs: checked };
}
