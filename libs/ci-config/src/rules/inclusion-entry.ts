import type { PatternEngine } from '../expressions/pattern-engine';
import { type Problems, type YamlMap } from '../values';
import { type JobInclusionKeys, rulesConflict, rulesWarning } from './job-inclusion';
import { parseRules } from './parse-rules';
import { parsePolicy } from './policy';

/** What a job's parse needs to know to validate its `rules:`, `only:` and `except:`. */
export interface InclusionContext {
  /** Keywords the caller refuses: those are reported as unknown keys by the job entry, and not parsed here. */
  readonly refusedKeywords: readonly string[];
  /** `workflow:rules` written anywhere: the job gets no `only` default, and no multiple-pipelines warning. */
  readonly hasWorkflowRules: boolean;
  readonly engine: PatternEngine;
}

/**
 * A job's `rules:`, `only:` and `except:` as GitLab 18 validates them (`Entry::Processable`, `Entry::Policy`): `rules`
 * excludes `only`, `except` and `start_in`; a last rule that is only a `when` warns when there are no
 * `workflow:rules`. Null when anything is wrong (the messages are in `problems`).
 */
export function parseInclusion(name: string, job: YamlMap, context: InclusionContext, problems: Problems): JobInclusionKeys | null {
  const before = problems.errors.length;
  const wanted = (key: string) => job.has(key) && !context.refusedKeywords.includes(key);
  const conflict = wanted('rules') ? rulesConflict(name, job) : null;
  if (conflict) problems.error(conflict);
  let rules: JobInclusionKeys['rules'];
  if (wanted('rules')) {
    const value = job.get('rules') ?? null;
    rules = value === null ? null : (parseRules(value, { kind: 'job', name }, problems, context.engine) ?? undefined);
    const warning = rules ? rulesWarning(name, rules, context.hasWorkflowRules) : null;
    if (warning) problems.warn(warning);
  }
  const policy = (key: 'only' | 'except') => {
    const value = wanted(key) ? (job.get(key) ?? null) : null;
    return value === null ? undefined : (parsePolicy(value, `jobs:${name}:${key}`, problems, context.engine) ?? undefined);
  };
  const only = policy('only');
  const except = policy('except');
  if (problems.errors.length > before) return null;
  return {
    ...(rules !== undefined ? { rules } : {}),
    ...(only ? { only } : {}),
    ...(except ? { except } : {}),
  };
}
