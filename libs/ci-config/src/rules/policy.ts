import { ExpressionError, PatternBudgetError } from '../expressions/expression-error';
import { PatternEngine } from '../expressions/pattern-engine';
import { compileRubySyntax } from '../expressions/parser';
import { isTruthful } from '../expressions/statement';
import { rubyRegexpSource } from '../expressions/ruby-regexp-syntax';
import { ciConfigMessages as base } from '../messages';
import { type Problems, type YamlValue, isMap, isSeq, isStringArray, unknownKeys } from '../values';
import { checkExpression } from './expression-entry';
import { fnmatch } from './fnmatch';
import { type PipelineSource, sourceKeywords } from './pipeline-sources';
import type { RulesContext } from './rule-clauses';
import { rulesMessages as msg } from './rule-messages';
import { isRubyBlank, rubyToString } from './ruby-yaml-values';

export const POLICY_KEYWORDS = ['refs', 'kubernetes', 'variables', 'changes'] as const;
/** GitLab's `Entry::Policy::DEFAULT_ONLY`, for jobs without `rules` (and no `workflow:rules`). */
export const DEFAULT_ONLY_REFS = ['branches', 'tags'] as const;

/** A validated `only:` or `except:`. A list is `{ refs }`. Keys written as `null` are empty lists, which match nothing. */
export interface PolicyDefinition {
  readonly refs?: readonly string[];
  readonly variables?: readonly string[];
  readonly changes?: readonly string[];
  readonly kubernetes?: 'active';
}

/**
 * `only:`/`except:` as GitLab 18 validates them (`Entry::Policy`): a list of refs (names, keywords such as `branches`,
 * `/regexes/`, each optionally `@project/path`), or `{ refs, variables, changes, kubernetes: active }`. `location` is
 * `jobs:<job>:only` or `…:except`. Null when anything is wrong.
 */
export function parsePolicy(
  value: YamlValue,
  location: string,
  problems: Problems,
  engine: PatternEngine = new PatternEngine(),
): PolicyDefinition | null {
  const before = problems.errors.length;
  if (isSeq(value)) {
    checkRefs(value, location, 'config', problems, engine);
    return problems.errors.length > before ? null : { refs: value as readonly string[] };
  }
  if (!isMap(value)) {
    problems.error(msg.policyShape(location));
    return null;
  }
  if (value.size === 0) problems.error(base.blank(location, 'config'));
  const extra = unknownKeys(value, POLICY_KEYWORDS);
  if (extra.length > 0) problems.error(base.unknownKeys(location, extra));
  const written = (key: string): YamlValue | null => value.get(key) ?? null;
  const variables = written('variables');
  if (isSeq(variables)) variables.forEach((statement) => checkExpression(statement, location, 'variables', problems, engine));
  const refs = written('refs');
  if (refs !== null) checkRefs(refs, location, 'refs', problems, engine);
  const kubernetes = written('kubernetes');
  if (kubernetes !== null && kubernetes !== 'active') problems.error(msg.unknownValue(location, 'kubernetes', rubyToString(kubernetes)));
  for (const key of ['variables', 'changes'] as const) {
    if (written(key) !== null && !isStringArray(written(key))) problems.error(msg.notStringList(location, key));
  }
  if (problems.errors.length > before) return null;
  const list = (key: string): readonly string[] => (written(key) ?? []) as readonly string[];
  return {
    ...(value.has('refs') ? { refs: list('refs') } : {}),
    ...(value.has('variables') ? { variables: list('variables') } : {}),
    ...(value.has('changes') ? { changes: list('changes') } : {}),
    ...(kubernetes === 'active' ? { kubernetes } : {}),
  };
}

/**
 * GitLab's `array_of_strings_or_regexps`: strings, and one written `/like this/` must compile on RE2. A regex over
 * Lanyard's size limit, or a spent budget, is reported as such.
 */
function checkRefs(value: YamlValue, location: string, attribute: string, problems: Problems, engine: PatternEngine): void {
  try {
    const compiles = (ref: YamlValue) =>
      typeof ref === 'string' && (rubyRegexpSource(ref) === null || compileRubySyntax(ref, engine) !== null);
    if (!isSeq(value) || !value.every(compiles)) problems.error(msg.policyRefs(location, attribute));
  } catch (error) {
    if (!(error instanceof ExpressionError || error instanceof PatternBudgetError)) throw error;
    problems.error(msg.expressionLimit(location, attribute, error.message));
  }
}

/** What `only`/`except` look at besides the rules context (variables, changed paths, engine). */
export interface PolicyFacts {
  readonly source: PipelineSource;
  /** A merge-request pipeline matches neither `branches` nor any ref pattern. */
  readonly refType: 'branch' | 'tag' | 'merge_request';
  /** The branch or tag name. */
  readonly ref: string;
  readonly projectFullPath: string;
  /** Whether the project has an active Kubernetes integration (`kubernetes: active`). */
  readonly kubernetesActive: boolean;
}

/**
 * Whether `only`/`except` keep a job (GitLab's `Seed::Build#included?` without rules): every kind of condition in
 * `only` must hold (refs, variables, changes, kubernetes) and none in `except`. `only:changes` globs are not expanded
 * and true when there is nothing to compare. Throws `PatternBudgetError` or a limit `ExpressionError`.
 */
export function policiesInclude(
  only: PolicyDefinition | undefined,
  except: PolicyDefinition | undefined,
  facts: PolicyFacts,
  context: RulesContext,
): boolean {
  const conditions = (policy: PolicyDefinition | undefined) => (policy ? policyConditions(policy, facts, context) : []);
  return conditions(only).every((holds) => holds()) && !conditions(except).some((holds) => holds());
}

function policyConditions(policy: PolicyDefinition, facts: PolicyFacts, context: RulesContext): (() => boolean)[] {
  const { refs, variables, changes } = policy;
  const changedPaths = context.repository.changedPaths;
  const conditions: (() => boolean)[] = [];
  if (refs) conditions.push(() => refs.some((ref) => refMatches(ref, facts, context.engine)));
  if (variables) conditions.push(() => variables.some((statement) => isTruthful(statement, context.variables, context.engine)));
  if (changes) {
    conditions.push(
      () => changedPaths === null || changedPaths.some((path) => changes.some((glob) => fnmatch(glob, path, context.engine))),
    );
  }
  if (policy.kubernetes) conditions.push(() => facts.kubernetesActive);
  return conditions;
}

/** GitLab's `Policy::Refs`: `pattern@project/path` limits a pattern to one project. */
function refMatches(written: string, facts: PolicyFacts, engine: PatternEngine): boolean {
  const at = written.indexOf('@');
  const [pattern, path] = at < 0 ? [written, null] : [written.slice(0, at), written.slice(at + 1)];
  if (path !== null && path !== facts.projectFullPath) return false;
  if (facts.refType === 'tag' && pattern === 'tags') return true;
  if (facts.refType === 'branch' && pattern === 'branches') return true;
  if (sourceKeywords(facts.source).includes(pattern)) return true;
  // Names and regexes apply to branches and tags only, never to merge-request pipelines.
  if (facts.refType === 'merge_request') return false;
  const regexp = compileRubySyntax(pattern, engine);
  if (!regexp) return pattern === facts.ref;
  return !isRubyBlank(facts.ref) && engine.matches(regexp, facts.ref);
}
