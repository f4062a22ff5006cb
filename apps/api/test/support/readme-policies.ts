import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AwsTrustPolicy, Claims, GcpProvider, VaultRole, judgeAws, judgeGcp, judgeVault } from './trust-policies';

/**
 * The trust policies the README shows, read from its code blocks so that the README and the test cannot drift. Each
 * kind is counted where the README names it at all, so a policy written in a form this reader misses fails loudly.
 */
export interface ReadmePolicies {
  /** `bound_issuer` of `vault write auth/jwt/config`. */
  readonly vaultIssuer: string;
  /** By role name (`vault write auth/jwt/role/NAME - <<'JSON'`). */
  readonly vault: Readonly<Record<string, VaultRole>>;
  /** By the statement's `Sid`. */
  readonly aws: Readonly<Record<string, AwsTrustPolicy>>;
  /** By provider name (`gcloud iam workload-identity-pools providers create-oidc NAME`). */
  readonly gcp: Readonly<Record<string, GcpProvider>>;
}

/**
 * The README's example values, which `localise` replaces with a test world's: its issuer, and the claims naming its
 * project and group. Paths are mapped too, so that a policy binding one is judged as written rather than failing.
 */
export const README_EXAMPLE = {
  issuer: 'https://ci.example.com',
  claims: { project_id: '12', namespace_id: '4', project_path: 'acme/platform/app', namespace_path: 'acme/platform' },
} as const;
export type ExampleClaim = keyof typeof README_EXAMPLE.claims;
const EXAMPLE_CLAIMS = Object.keys(README_EXAMPLE.claims) as ExampleClaim[];
const ID_CLAIMS = ['project_id', 'namespace_id'] as const;

export const README_PATH = join(__dirname, '../../../../README.md');

interface CodeBlock {
  readonly lang: string;
  readonly text: string;
}

/** Fenced code blocks, list-item indentation removed. */
function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  for (const match of markdown.matchAll(/^( *)```(\w*)\n([\s\S]*?)^\1```$/gm)) {
    const indent = match[1].length;
    blocks.push({
      lang: match[2],
      text: match[3]
        .split('\n')
        .map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length)))
        .join('\n'),
    });
  }
  return blocks;
}

function expectCount(what: string, found: number, named: number): void {
  if (found === 0 || found !== named) throw new Error(`README: ${found} ${what} read, but the README names ${named}`);
}

const count = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].length;

export function readReadmePolicies(markdown = readFileSync(README_PATH, 'utf8')): ReadmePolicies {
  const blocks = codeBlocks(markdown);

  const issuers = blocks.flatMap((block) =>
    [...block.text.matchAll(/vault write auth\/jwt\/config .*\bbound_issuer="([^"]+)"/g)].map((match) => match[1]),
  );
  expectCount('Vault JWT auth configs', issuers.length, count(markdown, /vault write auth\/jwt\/config/g));

  const vault: Record<string, VaultRole> = {};
  for (const block of blocks.filter((candidate) => candidate.lang === 'sh')) {
    for (const match of block.text.matchAll(/^vault write auth\/jwt\/role\/([\w-]+) - <<'JSON'\n([\s\S]*?)\nJSON$/gm))
      vault[match[1]] = JSON.parse(match[2]);
  }
  expectCount('Vault roles', Object.keys(vault).length, count(markdown, /auth\/jwt\/role\//g));

  const aws: Record<string, AwsTrustPolicy> = {};
  for (const block of blocks.filter((candidate) => candidate.lang === 'json' && candidate.text.includes('sts:AssumeRoleWithWebIdentity'))) {
    const policy = JSON.parse(block.text) as AwsTrustPolicy;
    const sid = policy.Statement[0]?.Sid;
    if (!sid || aws[sid]) throw new Error(`README: an AWS trust policy without a Sid of its own: ${block.text}`);
    aws[sid] = policy;
  }
  expectCount('AWS trust policies', Object.keys(aws).length, count(markdown, /"Federated": "arn:aws:iam::/g));

  const gcp: Record<string, GcpProvider> = {};
  for (const block of blocks.filter((candidate) => candidate.lang === 'sh' && candidate.text.includes('providers create-oidc'))) {
    const command = block.text.replace(/\\\n\s*/g, ' ');
    const [, name] = /providers create-oidc ([\w-]+)/.exec(command) ?? [];
    const binding = command.split('\n').find((line) => line.includes('add-iam-policy-binding')) ?? '';
    gcp[name] = {
      issuerUri: flag(command, 'issuer-uri'),
      allowedAudiences: flag(command, 'allowed-audiences').split(','),
      attributeMapping: Object.fromEntries(
        flag(command, 'attribute-mapping')
          .split(',')
          .map((entry) => entry.split('=') as [string, string]),
      ),
      attributeCondition: flag(command, 'attribute-condition'),
      member: flag(binding, 'member'),
    };
  }
  expectCount('Google Workload Identity providers', Object.keys(gcp).length, count(markdown, /providers create-oidc/g));

  return { vaultIssuer: onlyOne('Vault bound_issuer', issuers), vault, aws, gcp };
}

/** `--name="value"`, `--name='value'` or `--name=value`, exactly once in the command. */
function flag(command: string, name: string): string {
  const values = [...command.matchAll(new RegExp(`--${name}=(?:"([^"]*)"|'([^']*)'|(\\S+))`, 'g'))].map(
    (match) => match[1] ?? match[2] ?? match[3],
  );
  return onlyOne(`--${name}`, values);
}

function onlyOne<T>(what: string, values: readonly T[]): T {
  if (values.length !== 1) throw new Error(`README: expected one ${what}, found ${values.length}`);
  return values[0];
}

/** The test's world, standing in for the README's `https://ci.example.com`, project 12 and group 4. */
export interface World {
  readonly issuer: string;
  readonly claims: Readonly<Record<ExampleClaim, string>>;
}

/**
 * The policies with the README's example issuer, ids and paths replaced by the world's, where a policy names them:
 * Vault's bound issuer and bound claims, AWS's provider, condition keys and the components of `sub`, Google's issuer,
 * the comparisons of the attribute condition and the member's attribute. A value other than the example's throws.
 * Nothing else is replaced: audiences, refs, environments and custom claims are the README's own.
 */
export function localise(policies: ReadmePolicies, world: World): ReadmePolicies {
  const exampleHost = new URL(README_EXAMPLE.issuer).host;
  const host = new URL(world.issuer).host;
  const issuer = (value: string) => (value === README_EXAMPLE.issuer ? world.issuer : fail(`an issuer other than the example: ${value}`));
  const id = (claim: string, value: string) => {
    if (!(EXAMPLE_CLAIMS as string[]).includes(claim)) return value;
    return value === README_EXAMPLE.claims[claim as ExampleClaim]
      ? world.claims[claim as ExampleClaim]
      : fail(`${claim} ${value} is not the example's`);
  };
  const providerKey = (key: string) =>
    key.startsWith(`${exampleHost}:`)
      ? `${host}:${key.slice(exampleHost.length + 1)}`
      : key.startsWith('aws:')
        ? key
        : fail(`condition key ${key}`);
  // `sub` is name:value pairs; a ':' inside a value is escaped, so splitting on ':' finds the pairs.
  const sub = (value: string) =>
    value
      .split(':')
      .map((part, index, parts) => (index % 2 === 1 ? id(parts[index - 1], part) : part))
      .join(':');

  return {
    vaultIssuer: issuer(policies.vaultIssuer),
    vault: mapValues(policies.vault, (role) => ({
      ...role,
      bound_claims: mapValues(role.bound_claims, (value, claim) =>
        typeof value === 'string' ? id(claim, value) : value.map((one) => id(claim, one)),
      ),
    })),
    aws: mapValues(policies.aws, (policy) => ({
      ...policy,
      Statement: policy.Statement.map((statement) => ({
        ...statement,
        Principal: {
          Federated: statement.Principal.Federated.endsWith(`:oidc-provider/${exampleHost}`)
            ? statement.Principal.Federated.replace(/[^/]+$/, host)
            : fail('provider'),
        },
        Condition: mapValues(statement.Condition ?? {}, (conditions) =>
          Object.fromEntries(
            Object.entries(conditions).map(([key, value]) => [
              providerKey(key),
              key.endsWith(':sub') && typeof value === 'string' ? sub(value) : value,
            ]),
          ),
        ),
      })),
    })),
    gcp: mapValues(policies.gcp, (provider) => ({
      ...provider,
      issuerUri: issuer(provider.issuerUri),
      attributeCondition: provider.attributeCondition.replace(
        /\bassertion\.([a-z_]+) == "([^"]*)"/g,
        (_all, claim: string, value: string) => `assertion.${claim} == "${id(claim, value)}"`,
      ),
      member: provider.member.replace(
        /\/attribute\.([a-z_]+)\/([^/]+)$/,
        (_all, claim: string, value: string) => `/attribute.${claim}/${id(claim, value)}`,
      ),
    })),
  };
}

/** The one audience each kind of relying party expects: a job asks for its tokens with these. */
export function tokenAudiences(policies: ReadmePolicies): Record<'vault' | 'aws' | 'gcp', string> {
  const conditions = Object.values(policies.aws).flatMap((policy) =>
    policy.Statement.flatMap((statement) => Object.entries(statement.Condition?.StringEquals ?? {})),
  );
  return {
    vault: onlyOne('Vault audience', distinct(Object.values(policies.vault).flatMap((role) => role.bound_audiences))),
    aws: onlyOne('AWS audience', distinct(conditions.filter(([key]) => key.endsWith(':aud')).flatMap(([, value]) => value))),
    gcp: onlyOne('Google audience', distinct(Object.values(policies.gcp).flatMap((provider) => provider.allowedAudiences))),
  };
}

/** What every policy says about a job's tokens, each shown the token with its audience: the failures ([] admits), by `vault:NAME`, `aws:SID`, `gcp:NAME`. */
export function judgeAll(
  policies: ReadmePolicies,
  tokens: { readonly vault: Claims; readonly aws: Claims; readonly gcp: Claims },
): Record<string, string[]> {
  return {
    ...mapKeys(policies.vault, 'vault', (role) => judgeVault(policies.vaultIssuer, role, tokens.vault)),
    ...mapKeys(policies.aws, 'aws', (policy) => judgeAws(policy, tokens.aws)),
    ...mapKeys(policies.gcp, 'gcp', (provider) => judgeGcp(provider, tokens.gcp)),
  };
}

/** Which id claims each policy binds, by `vault:NAME`, `aws:SID` and `gcp:NAME`. */
export function idBindings(policies: ReadmePolicies): Record<string, string[]> {
  const named = (text: string) => ID_CLAIMS.filter((claim) => new RegExp(`\\b${claim}\\b`).test(text));
  return {
    ...mapKeys(policies.vault, 'vault', (role) => ID_CLAIMS.filter((claim) => claim in role.bound_claims)),
    ...mapKeys(policies.aws, 'aws', (policy) =>
      named(policy.Statement.map((statement) => JSON.stringify(statement.Condition?.StringEquals ?? {})).join()),
    ),
    ...mapKeys(policies.gcp, 'gcp', (provider) => named(provider.attributeCondition)),
  };
}

const distinct = <T>(values: readonly T[]): T[] => [...new Set(values)];

function mapValues<T, U>(record: Readonly<Record<string, T>>, map: (value: T, key: string) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value, key)]));
}

function mapKeys<T, U>(record: Readonly<Record<string, T>>, prefix: string, map: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [`${prefix}:${key}`, map(value)]));
}

function fail(reason: string): never {
  throw new Error(`README policy: ${reason}`);
}
