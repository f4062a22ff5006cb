import { parseLoadedCiConfig } from '../parse-ci-config';
import type { CiConfigResult, ParseCiConfigOptions } from '../types';
import type { IncludeContext, IncludeLoader, IncludedFile } from './include-types';
import { resolveIncludes } from './resolve-includes';

export type CiConfigWithIncludes = CiConfigResult & {
  /** The files merged in, in GitLab's order (the lint's `includes`); empty when the configuration is invalid. */
  readonly includes: readonly IncludedFile[];
};

/** `resolveIncludes`, then `parseLoadedCiConfig` on the merged configuration: what pipeline creation and lint run. */
export async function parseCiConfigWithIncludes(
  source: string,
  context: IncludeContext,
  loader: IncludeLoader,
  options: ParseCiConfigOptions,
): Promise<CiConfigWithIncludes> {
  const resolved = await resolveIncludes(source, context, loader);
  if (!resolved.ok)
    return { valid: false, errors: [...resolved.errors], warnings: [], stages: [], jobs: [], mergedYaml: null, includes: [] };
  const config = parseLoadedCiConfig(resolved, options);
  return { ...config, includes: config.valid ? resolved.includes : [] };
}
