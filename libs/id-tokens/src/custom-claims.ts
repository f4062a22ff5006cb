import { CLAIM_VALUE_MESSAGES, checkClaimName, checkClaimValue, ciConfigMessages as msg, isUriClaimName } from '@lanyard/ci-config';
import { IdTokenError } from './errors';
import type { CustomClaims } from './types';

/**
 * The built-in claims followed by the custom ones. The merged set was checked where it was written (API, lint);
 * this checks again, so no stored or hand-built value can overwrite a built-in claim or pollute a prototype.
 */
export function appendCustomClaims<T extends object>(builtIns: T, custom: CustomClaims | undefined): T {
  if (custom === undefined) return builtIns;
  const entries = Object.entries(custom);
  for (const [name, value] of entries) {
    if (Object.hasOwn(builtIns, name) || checkClaimName(name) === 'reserved') {
      throw new IdTokenError(
        'ERR_CUSTOM_CLAIM_COLLISION',
        name,
        `${msg.claimReserved('custom claims:', name)}; a custom claim can never replace a built-in one, rename it`,
      );
    }
    if (checkClaimName(name) === 'invalid') {
      throw new IdTokenError('ERR_CUSTOM_CLAIM_INVALID', name, msg.claimInvalidName('custom claims:', name));
    }
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    if (isObject) {
      if (!isUriClaimName(name)) {
        throw new IdTokenError(
          'ERR_CUSTOM_CLAIM_INVALID',
          name,
          `custom claim ${name}: only a URI-named claim (e.g. https://aws.amazon.com/tags) may hold an object`,
        );
      }
      continue;
    }
    const problem = checkClaimValue(value);
    if (problem) throw new IdTokenError('ERR_CUSTOM_CLAIM_INVALID', name, CLAIM_VALUE_MESSAGES[problem](`custom claim ${name}:`));
  }
  // fromEntries defines own properties: even a `__proto__` that slipped through would not become the prototype.
  return Object.fromEntries([...Object.entries(builtIns), ...entries]) as T;
}
