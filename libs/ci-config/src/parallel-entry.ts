import { PARALLEL_KEYWORDS } from './execution-keywords';
import { CI_CONFIG_LIMITS as LIMITS } from './limits';
import { ciConfigMessages as msg } from './messages';
import type { JobDefinition } from './types';
import { validatorMessages as v } from './validator-messages';
import { Problems, type YamlValue, isMap, isSeq, ownRecord, unknownKeys } from './values';

/** `parallel: N`, or `parallel: {matrix}` as a list of variable combinations (each a name to its values). */
export type ParallelSetting =
  { readonly count: number } | { readonly matrix: readonly (readonly (readonly [string, readonly string[]])[])[] };

const isAlphanumeric = (value: YamlValue): value is string | number =>
  typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value));

/** `parallel:` (GitLab: `Entry::Product::Parallel`): 1 to 200 copies, or a matrix of at most 200 combinations. */
export function parseParallel(value: YamlValue, location: string, problems: Problems): ParallelSetting | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    if (value < 1) problems.error(v.atLeast(location, 'config', 1));
    else if (value > LIMITS.maxParallel) problems.error(v.atMost(location, 'config', LIMITS.maxParallel));
    else return { count: value };
    return null;
  }
  if (!isMap(value)) {
    problems.error(msg.parallelInvalid(location));
    return null;
  }
  const extra = unknownKeys(value, PARALLEL_KEYWORDS);
  if (extra.length > 0) problems.error(msg.unknownKeys(location, extra));
  if (!value.has('matrix')) {
    problems.error(msg.missingKeys(location, ['matrix']));
    return null;
  }
  const matrixLocation = `${location}:matrix`;
  const matrix = value.get('matrix') ?? null;
  if (!isSeq(matrix) || !matrix.every(isMap)) {
    problems.error(msg.matrixNotHashes(matrixLocation));
    return null;
  }
  const before = problems.errors.length;
  const entries = matrix.map((entry) => {
    const variablesLocation = `${matrixLocation}:variables`;
    const variables = [...entry].map(([name, values]) => [name, isSeq(values) ? values : [values]] as const);
    if (!variables.every(([, values]) => values.every(isAlphanumeric))) problems.error(msg.matrixVariables(variablesLocation));
    if (entry.size < 1) problems.error(msg.matrixVariablesEmpty(variablesLocation));
    return variables.map(([name, values]) => [name, values.map(String)] as const);
  });
  const generated = entries.reduce((sum, variables) => sum + variables.reduce((product, [, values]) => product * values.length, 1), 0);
  if (generated > LIMITS.maxParallel) problems.error(msg.matrixTooManyJobs(matrixLocation, LIMITS.maxParallel));
  return problems.errors.length === before ? { matrix: entries } : null;
}

/**
 * GitLab's `Config::Normalizer`: a parallel job becomes `name i/N` jobs, or one `name: [v1, v2]` job per matrix
 * combination with those values as variables; `needs` and `dependencies` naming it then name all of them. Null when
 * the result would pass the expanded-size limit (a few hundred jobs each needing a few 200-fold jobs).
 */
export function expandParallelJobs(jobs: readonly JobDefinition[], settings: ReadonlyMap<string, ParallelSetting>): JobDefinition[] | null {
  const copiesOf = (name: string): number => {
    const setting = settings.get(name);
    if (!setting) return 1;
    return 'count' in setting
      ? setting.count
      : setting.matrix.reduce((sum, row) => sum + row.reduce((product, [, values]) => product * values.length, 1), 0);
  };
  const size = jobs.reduce(
    (sum, job) =>
      sum +
      copiesOf(job.name) *
        (1 +
          (job.needs ?? []).reduce((count, need) => count + copiesOf(need.job), 0) +
          (job.dependencies ?? []).reduce((count, name) => count + copiesOf(name), 0)),
    0,
  );
  if (size > LIMITS.maxNodes) return null;
  const generated = new Map<string, string[]>();
  const expanded = jobs.flatMap((job) => {
    const setting = settings.get(job.name);
    if (!setting) return [job];
    const copies = 'count' in setting ? numbered(job, setting.count) : combinations(job, setting.matrix);
    generated.set(
      job.name,
      copies.map((copy) => copy.name),
    );
    return copies;
  });
  if (generated.size === 0) return expanded;
  const names = (name: string): readonly string[] => generated.get(name) ?? [name];
  return expanded.map((job) => ({
    ...job,
    needs: job.needs && job.needs.flatMap((need) => names(need.job).map((name) => ({ ...need, job: name }))),
    dependencies: job.dependencies && job.dependencies.flatMap(names),
  }));
}

function numbered(job: JobDefinition, total: number): JobDefinition[] {
  return Array.from({ length: total }, (_, i) => ({ ...job, name: `${job.name} ${i + 1}/${total}`, parallel: { index: i + 1, total } }));
}

function combinations(job: JobDefinition, matrix: Extract<ParallelSetting, { matrix: unknown }>['matrix']): JobDefinition[] {
  // Ruby's `values[0].product(*values[1..])`: the first variable varies slowest.
  const rows = matrix.flatMap((variables) =>
    variables.reduce<(readonly (readonly [string, string])[])[]>(
      (partial, [name, values]) => partial.flatMap((row) => values.map((value) => [...row, [name, value] as const])),
      [[]],
    ),
  );
  return rows.map((row, i) => ({
    ...job,
    name: `${job.name}: [${row.map(([, value]) => value).join(', ')}]`,
    variables: ownRecord([...Object.entries(job.variables), ...row]),
    parallel: { index: i + 1, total: rows.length },
  }));
}
