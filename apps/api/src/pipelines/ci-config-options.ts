import type { ParseCiConfigOptions } from '@lanyard/ci-config';

/**
 * Keywords `@lanyard/ci-config` validates but pipelines and the runner payload do not carry out yet (issue 16): a
 * project using one is told so, as for any keyword not built, rather than getting a job that silently ignores it. Each
 * leaves this list when the app runs it; spelled out (not the library's `KEYWORDS_IN_PROGRESS`), since the app carries
 * them out one by one: `rules`, `workflow`, `only` and `except` decide the jobs of each pipeline.
 */
export const KEYWORDS_NOT_CARRIED_OUT: readonly string[] = [
  'include',
  'image',
  'services',
  'before_script',
  'after_script',
  'artifacts',
  'cache',
  'tags',
  'when',
  'start_in',
  'allow_failure',
  'retry',
  'interruptible',
  'needs',
  'dependencies',
  'coverage',
  'resource_group',
  'parallel',
];

/** How the app parses a project's `.gitlab-ci.yml`: under its `opt_in_jwt`, refusing what it does not carry out. */
export function ciConfigOptions(optInJwt: boolean): ParseCiConfigOptions {
  return { optInJwt, refusedKeywords: KEYWORDS_NOT_CARRIED_OUT };
}
