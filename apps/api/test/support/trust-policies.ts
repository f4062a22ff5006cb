import { parse as parseCel } from '@marcbachmann/cel-js';

/**
 * What Vault, AWS STS and Google's Workload Identity Federation check in a token once its signature, `iss` and `exp`
 * hold, as far as the README's policies use them. Each judge returns what failed, `[]` when the token is admitted.
 * A setting or operator a judge does not model throws: a policy it cannot read must not pass or fail by accident.
 */
export type Claims = Readonly<Record<string, unknown>>;

export interface VaultRole {
  readonly role_type: string;
  readonly user_claim: string;
  readonly bound_audiences: readonly string[];
  readonly bound_claims_type: string;
  readonly bound_claims: Readonly<Record<string, string | readonly string[]>>;
  readonly [setting: string]: unknown;
}

const VAULT_ROLE_SETTINGS = new Set([
  'role_type',
  'user_claim',
  'bound_audiences',
  'bound_claims_type',
  'bound_claims',
  'token_policies',
  'token_explicit_max_ttl',
]);

/** Vault's JWT auth method (`bound_issuer` from the mount's config): failures are `bound_issuer`, `bound_audiences`, `user_claim` or a bound claim's name. */
export function judgeVault(boundIssuer: string, role: VaultRole, claims: Claims): string[] {
  const unmodelled = Object.keys(role).filter((setting) => !VAULT_ROLE_SETTINGS.has(setting));
  if (unmodelled.length > 0 || role.role_type !== 'jwt' || role.bound_claims_type !== 'string') {
    throw new Error(
      `Vault role settings not modelled: ${JSON.stringify({ unmodelled, role_type: role.role_type, bound_claims_type: role.bound_claims_type })}`,
    );
  }
  const failures: string[] = [];
  if (claims.iss !== boundIssuer) failures.push('bound_issuer');
  if (!audiences(claims).some((audience) => role.bound_audiences.includes(audience))) failures.push('bound_audiences');
  if (typeof claims[role.user_claim] !== 'string' || claims[role.user_claim] === '') failures.push('user_claim');
  for (const [name, expected] of Object.entries(role.bound_claims)) {
    if (name.startsWith('/')) throw new Error(`Vault JSON-pointer bound claims are not modelled: ${name}`);
    // Vault reads a string claim, or a list of them, and admits it when any value is one of the expected ones.
    const actual = claims[name];
    const values = Array.isArray(actual) ? actual : [actual];
    const allowed: readonly string[] = typeof expected === 'string' ? [expected] : expected;
    if (!values.some((value) => typeof value === 'string' && allowed.includes(value))) failures.push(name);
  }
  return failures;
}

export interface AwsStatement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Principal: { readonly Federated: string };
  readonly Action: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface AwsTrustPolicy {
  readonly Version: string;
  readonly Statement: readonly AwsStatement[];
}

const AWS_TAGS = 'https://aws.amazon.com/tags';

/**
 * `sts:AssumeRoleWithWebIdentity` against a one-statement trust policy. The request context holds what STS takes
 * from a web identity token: `<provider>:aud`, `<provider>:sub` and, per session tag, `aws:RequestTag/<key>`. Failures
 * are `Principal` (another identity provider), `sts:TagSession` (tags without that action) or a condition key.
 */
export function judgeAws(policy: AwsTrustPolicy, claims: Claims): string[] {
  if (policy.Version !== '2012-10-17' || policy.Statement.length !== 1)
    throw new Error('AWS trust policies of one 2012-10-17 statement are modelled');
  const [statement] = policy.Statement;
  const actions = typeof statement.Action === 'string' ? [statement.Action] : statement.Action;
  if (statement.Effect !== 'Allow' || !actions.includes('sts:AssumeRoleWithWebIdentity'))
    throw new Error(`not a web identity trust statement: ${statement.Sid}`);
  const unmodelled = Object.keys(statement.Condition ?? {}).filter((operator) => operator !== 'StringEquals');
  if (unmodelled.length > 0) throw new Error(`AWS condition operators not modelled: ${unmodelled.join(', ')}`);

  const provider = String(claims.iss).replace(/^https?:\/\//, '');
  const context = new Map<string, string>([
    [`${provider}:aud`, String(claims.aud)],
    [`${provider}:sub`, String(claims.sub)],
  ]);
  const failures: string[] = [];
  if (!statement.Principal.Federated.endsWith(`:oidc-provider/${provider}`)) failures.push('Principal');
  const tags = sessionTags(claims);
  if (tags === 'invalid') {
    failures.push(AWS_TAGS);
  } else {
    if (tags.size > 0 && !actions.includes('sts:TagSession')) failures.push('sts:TagSession');
    for (const [key, value] of tags) context.set(`aws:RequestTag/${key}`, value);
  }

  for (const [key, expected] of Object.entries(statement.Condition?.StringEquals ?? {})) {
    // Condition keys are case-insensitive (so are tag keys); values are compared exactly. A missing key never equals.
    const actual = [...context].find(([name]) => name.toLowerCase() === key.toLowerCase())?.[1];
    const allowed: readonly string[] = typeof expected === 'string' ? [expected] : expected;
    if (actual === undefined || !allowed.includes(actual)) failures.push(key);
  }
  return failures;
}

/** `principal_tags` of the AWS claim: each key holds one string value, or STS refuses the token. */
function sessionTags(claims: Claims): Map<string, string> | 'invalid' {
  const claim = claims[AWS_TAGS];
  if (claim === undefined) return new Map();
  const principalTags = (claim as { principal_tags?: Record<string, unknown> }).principal_tags ?? {};
  const tags = new Map<string, string>();
  for (const [key, value] of Object.entries(principalTags)) {
    if (!Array.isArray(value) || value.length !== 1 || typeof value[0] !== 'string') return 'invalid';
    tags.set(key, value[0]);
  }
  return tags;
}

export interface GcpProvider {
  readonly issuerUri: string;
  readonly allowedAudiences: readonly string[];
  /** `google.subject` and `attribute.*`, each a CEL expression over `assertion`. */
  readonly attributeMapping: Readonly<Record<string, string>>;
  readonly attributeCondition: string;
  /** The `--member` of the service account's `roles/iam.workloadIdentityUser` binding. */
  readonly member: string;
}

const GOOGLE_SUBJECT_BYTES = 127;

/**
 * Google's token exchange then the service account's binding: failures are `issuer-uri`, `allowed-audiences`,
 * `attribute-mapping` (an expression that fails, or a `google.subject` over 127 bytes), `attribute-condition` (false
 * or an error, as Google refuses both) and `member`.
 */
export function judgeGcp(provider: GcpProvider, claims: Claims): string[] {
  const failures: string[] = [];
  if (claims.iss !== provider.issuerUri) failures.push('issuer-uri');
  if (!audiences(claims).some((audience) => provider.allowedAudiences.includes(audience))) failures.push('allowed-audiences');
  const google: Record<string, unknown> = {};
  const attribute: Record<string, unknown> = {};
  try {
    for (const [target, expression] of Object.entries(provider.attributeMapping)) {
      const [scope, name] = target.split('.');
      (scope === 'google' ? google : attribute)[name] = parseCel(expression)({ assertion: claims });
    }
    if (typeof google.subject !== 'string' || Buffer.byteLength(google.subject) > GOOGLE_SUBJECT_BYTES) failures.push('attribute-mapping');
  } catch {
    failures.push('attribute-mapping');
  }
  let admitted: unknown = false;
  try {
    admitted = parseCel(provider.attributeCondition)({ assertion: claims, google, attribute });
  } catch {
    admitted = false;
  }
  if (admitted !== true) failures.push('attribute-condition');
  if (!memberMatches(provider.member, google, attribute)) failures.push('member');
  return failures;
}

function memberMatches(member: string, google: Record<string, unknown>, attribute: Record<string, unknown>): boolean {
  const set =
    /^principalSet:\/\/iam\.googleapis\.com\/projects\/\d+\/locations\/global\/workloadIdentityPools\/[^/]+\/attribute\.([a-z_]+)\/(.+)$/.exec(
      member,
    );
  if (set) return attribute[set[1]] === set[2];
  const one = /^principal:\/\/iam\.googleapis\.com\/projects\/\d+\/locations\/global\/workloadIdentityPools\/[^/]+\/subject\/(.+)$/.exec(
    member,
  );
  if (one) return google.subject === one[1];
  throw new Error(`Workload Identity member not modelled: ${member}`);
}

function audiences(claims: Claims): string[] {
  const aud = claims.aud;
  return (Array.isArray(aud) ? aud : [aud]).filter((value): value is string => typeof value === 'string');
}
