import { type ClaimNameRegistry, openClaimNameWarnings } from './claim-names';
import { SUB_CLAIM_WARN_LENGTH } from './sub-claim';

/**
 * Claims only known when a runner takes the job (its ids, the runner, the times), left out of a preview: a preview
 * shows every other claim exactly as the token will carry it.
 */
export const CLAIMS_DECIDED_AT_PICKUP = ['pipeline_id', 'job_id', 'runner_id', 'runner_environment', 'jti', 'iat', 'nbf', 'exp'] as const;

/** The legacy v1 token (`CI_JOB_JWT`) is the only one without `aud`; it carries no custom claims. */
export function isLegacyV1Token(claims: object): boolean {
  return !Object.hasOwn(claims, 'aud');
}

/** A token's claims as a preview shows them: those decided at pickup left out (and the v1 `sub`, `job_<id>`), in order. */
export function previewClaims(claims: object): Record<string, unknown> {
  const atPickup = new Set<string>([...CLAIMS_DECIDED_AT_PICKUP, ...(isLegacyV1Token(claims) ? ['sub'] : [])]);
  return Object.fromEntries(Object.entries(claims).filter(([key]) => !atPickup.has(key)));
}

/** What the preview audit keeps of a token. */
export interface PreviewAuditToken {
  readonly variable: string;
  /** As declared in `id_tokens` (the legacy CI_JOB_JWT_V2's is the issuer); null for the v1 token, which has none. */
  readonly aud: string | readonly string[] | null;
  /** Null for the v1 token, whose `sub` is the job id, decided at pickup. */
  readonly sub: string | null;
}

/**
 * Each previewed token as the audit keeps it: its variable, `aud` as declared, with its variables unexpanded (every
 * maintainer reads the audit, and a value one caller may read, such as a group's variable for its owner, is not for
 * all of them), and `sub`, which no CI/CD variable reaches. Never a token, never a value.
 */
export function previewAuditTokens(
  tokens: readonly { readonly variable: string; readonly claims: object }[],
  declared: Readonly<Record<string, { readonly aud: string | readonly string[] }>>,
): PreviewAuditToken[] {
  return tokens.map(({ variable, claims }) => {
    const { aud, sub } = claims as { aud?: string | string[]; sub?: string };
    if (isLegacyV1Token(claims)) return { variable, aud: null, sub: null };
    return { variable, aud: Object.hasOwn(declared, variable) ? declared[variable].aud : (aud ?? null), sub: sub ?? null };
  });
}

/**
 * What a preview shows instead of the value of a CI/CD variable its caller may not read: the name and nothing of the
 * value, not even its length. Brackets and a space never appear in a variable reference, so it is never expanded again.
 */
export function hiddenVariablePlaceholder(key: string): string {
  return `[hidden: ${key}]`;
}

/** Known credential shapes: each a name for the warning and a pattern (never echoed). */
const SECRET_SHAPES: readonly (readonly [string, RegExp])[] = [
  ['a GitLab token (glpat-, glcbt-, glrt-, gldt-, glptt-, …)', /\bgl(?:pat|cbt|rt|dt|ptt|oas|soat|ft|imt|agent|ffct|wt)-[\w-]{8,}/],
  ['a GitLab runner registration token', /\bGR1348941[\w-]{8,}/],
  ['an AWS access key id', /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/],
  ['a GitHub token', /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_\w{30,})/],
  ['a Slack token', /\bxox[abposr]-[\w-]{10,}/],
  ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['a JWT', /\beyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]*/],
];

/** Long runs of token-like characters with little repetition: random keys look like this, words and ids do not. */
const HIGH_ENTROPY = { minLength: 32, minBitsPerChar: 4.2 } as const;

/**
 * Why `value` looks like a secret, or null: a known credential shape, one of `secretValues` (masked variables, the
 * job and runner tokens), or a long high-entropy string. Claims are readable by every relying party and in every log
 * a token reaches, so a secret there leaks; the caller names the claim, never the value.
 */
export function secretLikeness(value: string, secretValues: readonly string[]): string | null {
  if (secretValues.some((secret) => secret.length >= 4 && value.includes(secret)))
    return 'the value of a masked variable or a job or runner token';
  const shape = SECRET_SHAPES.find(([, pattern]) => pattern.test(value));
  if (shape) return shape[0];
  const run = value.match(/[A-Za-z0-9+/=_-]{32,}/g)?.find(isHighEntropy);
  return run ? 'a long random string (high entropy)' : null;
}

function isHighEntropy(run: string): boolean {
  if (run.length < HIGH_ENTROPY.minLength) return false;
  const counts = new Map<string, number>();
  for (const char of run) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= (count / run.length) * Math.log2(count / run.length);
  return bits >= HIGH_ENTROPY.minBitsPerChar;
}

export interface PreviewWarningInput {
  /** The token's claims, as minted. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** The custom claim names it carries, each checked for secrets along with `aud`. */
  readonly customClaimKeys: readonly string[];
  /** Null for the legacy v1 token, whose `sub` is the job id. */
  readonly subComponents: readonly string[] | null;
  readonly secretValues: readonly string[];
  /** CI/CD variables the caller may not read, whose values were replaced by `hiddenVariablePlaceholder`. */
  readonly hiddenVariables: readonly string[];
  /** Who may set the custom claim names: one any project can set is worth a warning. */
  readonly claimNames: ClaimNameRegistry;
}

/**
 * What a trust-policy author should know before relying on a token: a `sub` Google's attribute mapping cannot hold,
 * a `sub` that does not tell a tag from a branch, an `aud` shown with a hidden variable, claim values that look like
 * secrets (named, never shown), and custom claim names any project could set too.
 */
export function previewWarnings(input: PreviewWarningInput): string[] {
  const warnings: string[] = [];
  const { claims, subComponents } = input;
  if (subComponents) {
    const sub = String(claims.sub);
    if (sub.length > SUB_CLAIM_WARN_LENGTH) {
      warnings.push(
        `sub is ${sub.length} characters, over ${SUB_CLAIM_WARN_LENGTH}: Google Cloud workload identity federation refuses attribute values ` +
          'that long (google.subject); use fewer sub claim components or map a shorter claim',
      );
    }
    if (!subComponents.includes('ref_type')) {
      warnings.push(
        subComponents.includes('ref')
          ? 'sub has ref but not ref_type: a tag and a branch with the same name get the same sub; add ref_type to ci_id_token_sub_claim_components'
          : 'sub has no ref_type (nor ref): every ref of the project, protected or not, gets the same sub; add ref_type and ref to ci_id_token_sub_claim_components',
      );
    }
  }
  const audiences = stringsOf(claims.aud);
  for (const name of input.hiddenVariables) {
    const placeholder = hiddenVariablePlaceholder(name);
    if (!audiences.some((value) => value.includes(placeholder))) continue;
    warnings.push(
      `aud uses ${name}, a CI/CD variable you may not read: shown as ${placeholder}; ` +
        'the token carries its value, and checks on that value (empty, too long, holding a secret) run only when the token is minted',
    );
  }
  for (const key of ['aud', ...input.customClaimKeys]) {
    const likeness = stringsOf(claims[key])
      .map((value) => secretLikeness(value, input.secretValues))
      .find((reason) => reason !== null);
    if (likeness)
      warnings.push(`${key} looks like it holds a secret (${likeness}): every relying party and log that sees the token sees it`);
  }
  // A name both set and used as a session tag key is named once.
  const openNames = input.customClaimKeys.flatMap((key) => openClaimNameWarnings('custom claim', key, claims[key], input.claimNames));
  return [...warnings, ...new Set(openNames)];
}

/** Every string inside a claim value: strings, arrays and (URI-named claims) objects, keys included. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, nested]) => [key, ...stringsOf(nested)]);
  return [];
}
