import type { DeploymentTier } from '@lanyard/ci-config';

/** GitLab's `Environment#guess_tier`, in its order: substring patterns, the first match wins. */
const TIER_PATTERNS: readonly [DeploymentTier, RegExp][] = [
  ['development', /(dev|review|trunk)/i],
  ['testing', /(test|tst|int|ac(ce|)pt|qa|qc|control|quality)/i],
  ['staging', /(st(a|)g|mod(e|)l|pre|demo|non)/i],
  ['production', /(pr(o|)d|live)/i],
];

/** The tier of a new environment whose job does not set `deployment_tier`. */
export function guessDeploymentTier(environmentName: string): DeploymentTier {
  for (const [tier, pattern] of TIER_PATTERNS) if (pattern.test(environmentName)) return tier;
  return 'other';
}
