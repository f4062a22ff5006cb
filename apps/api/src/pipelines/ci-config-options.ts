import type { ParseCiConfigOptions } from '@lanyard/ci-config';

/**
 * How the app parses a project's `.gitlab-ci.yml`: under its `opt_in_jwt`, refusing nothing it validates. Pipelines
 * carry out every keyword `@lanyard/ci-config` accepts (issue 16), `rules`, `workflow`, `only` and `except` included,
 * which the library still refuses by default (`KEYWORDS_IN_PROGRESS`) for a caller that does not select jobs.
 */
export function ciConfigOptions(optInJwt: boolean): ParseCiConfigOptions {
  return { optInJwt, refusedKeywords: [] };
}
