import { KEYWORDS_IN_PROGRESS, type ParseCiConfigOptions } from '@lanyard/ci-config';

/**
 * Keywords `@lanyard/ci-config` validates but pipelines and the runner payload do not carry out yet (issue 16): a
 * project using one is told so, as for any keyword not built, rather than getting a job that silently ignores it. Each
 * leaves this list when the app runs it.
 */
export const KEYWORDS_NOT_CARRIED_OUT: readonly string[] = [...KEYWORDS_IN_PROGRESS];

/** How the app parses a project's `.gitlab-ci.yml`: under its `opt_in_jwt`, refusing what it does not carry out. */
export function ciConfigOptions(optInJwt: boolean): ParseCiConfigOptions {
  return { optInJwt, refusedKeywords: KEYWORDS_NOT_CARRIED_OUT };
}
