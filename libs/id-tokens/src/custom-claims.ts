import { customClaimProblem } from './custom-claim-rules';
import { IdTokenError } from './errors';
import type { CustomClaims } from './types';

/**
 * The built-in claims followed by the custom ones. The merged set was checked where it was written (API, lint);
 * this checks again by the same rule, so no stored or hand-built value can overwrite a built-in claim or pollute a
 * prototype.
 */
export function appendCustomClaims<T extends object>(builtIns: T, custom: CustomClaims | undefined): T {
  if (custom === undefined) return builtIns;
  const entries = Object.entries(custom);
  // Nothing to append (most jobs): the built-ins as they are, not a copy of their thirty-odd claims per token.
  if (entries.length === 0) return builtIns;
  for (const [name, value] of entries) {
    const problem = customClaimProblem(name, value, 'custom claims');
    if (Object.hasOwn(builtIns, name) || problem?.code === 'ERR_CUSTOM_CLAIM_RESERVED') {
      throw new IdTokenError(
        'ERR_CUSTOM_CLAIM_COLLISION',
        name,
        `${problem?.reason ?? `custom claims: reserved claim name: ${name}`}; a custom claim can never replace a built-in one, rename it`,
      );
    }
    if (problem) throw new IdTokenError('ERR_CUSTOM_CLAIM_INVALID', name, problem.reason);
  }
  // fromEntries defines own properties: even a `__proto__` that slipped through would not become the prototype.
  return Object.fromEntries([...Object.entries(builtIns), ...entries]) as T;
}
