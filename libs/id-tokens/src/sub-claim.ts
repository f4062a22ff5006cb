import { IdTokenError, type IdTokenErrorCode } from './errors';

/** The claims a project (or group) may compose `sub` from (DESIGN §5), in no particular order. */
export const SUB_CLAIM_COMPONENTS = [
  'project_path',
  'project_id',
  'namespace_path',
  'namespace_id',
  'job_project_path',
  'job_project_id',
  'ref_type',
  'ref',
  'ref_protected',
  'environment',
  'environment_protected',
  'deployment_tier',
  'pipeline_source',
] as const;

export type SubClaimComponent = (typeof SUB_CLAIM_COMPONENTS)[number];

/**
 * `sub` must start by naming the project the token is for, so no two projects can share a subject. A namespace first
 * would give every project of a group one `sub`, and a trust policy on it would trust the whole group. GitLab allows
 * `project_path` and `project_id` (ProjectCiCdSetting::SUB_CLAIM_LEADING_COMPONENTS); the `job_project_*` claims
 * name a project too (the one the job runs in).
 */
export const SUB_CLAIM_LEADING_COMPONENTS = ['project_path', 'project_id', 'job_project_path', 'job_project_id'] as const;

export const DEFAULT_SUB_CLAIM_COMPONENTS: readonly SubClaimComponent[] = ['project_path', 'ref_type', 'ref'];

/** OpenID Connect Core §2: `sub` "MUST NOT exceed 255 ASCII characters". Counted in UTF-8 bytes here. */
export const SUB_CLAIM_MAX_LENGTH = 255;
/** Google Workload Identity Federation maps `sub` into a 127-byte attribute (gitlab#580605): worth a warning. */
export const SUB_CLAIM_WARN_LENGTH = 127;

/** `a, b, c or d`, as GitLab lists its leading components ("project_path or project_id must be …"). */
function listWithOr(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** GitLab's wording (`ProjectCiCdSetting`, MR !182257); the duplicate and type checks are Lanyard's. */
export const subClaimMessages = {
  tooShort: 'is too short (minimum is 1 character)',
  firstElement: `${listWithOr(SUB_CLAIM_LEADING_COMPONENTS)} must be the first element of the sub claim`,
  notAllowed: (component: string) => `${component} is not an allowed sub claim component`,
  duplicate: (component: string) => `duplicate component ${component}`,
  notArrayOfStrings: 'must be an array of strings',
  jobProjectUnscoped: (leading: string) =>
    `${leading} must be followed by one of ${listWithOr(FORK_SEPARATING_COMPONENTS)}: a merge-request pipeline from a fork runs ` +
    "in this project, and without one of them a fork branch named main gets the protected main's sub (gitlab#548165)",
} as const;

/**
 * A `sub` led by where the job runs (`job_project_*`) must also say where the code comes from or whether the ref is
 * protected: a fork's merge-request pipeline runs in the parent, on a branch the contributor may name `main`.
 */
export const FORK_SEPARATING_COMPONENTS = ['project_path', 'project_id', 'ref_protected', 'pipeline_source'] as const;

const COMPONENTS = new Set<string>(SUB_CLAIM_COMPONENTS);
const LEADING = new Set<string>(SUB_CLAIM_LEADING_COMPONENTS);

export function isSubClaimComponent(value: unknown): value is SubClaimComponent {
  return typeof value === 'string' && COMPONENTS.has(value);
}

interface SubClaimProblem {
  readonly code: IdTokenErrorCode;
  readonly message: string;
}

/** Every problem with a list of component names, in GitLab's order: length, first element, then each element. */
function subClaimProblems(components: readonly string[]): SubClaimProblem[] {
  const problems: SubClaimProblem[] = [];
  if (components.length === 0) problems.push({ code: 'ERR_SUB_COMPONENTS_EMPTY', message: subClaimMessages.tooShort });
  if (!LEADING.has(components[0] ?? '')) {
    problems.push({ code: 'ERR_SUB_FIRST_COMPONENT', message: subClaimMessages.firstElement });
  } else if (components[0].startsWith('job_project_') && !FORK_SEPARATING_COMPONENTS.some((name) => components.includes(name))) {
    problems.push({ code: 'ERR_SUB_JOB_PROJECT_UNSCOPED', message: subClaimMessages.jobProjectUnscoped(components[0]) });
  }
  for (const component of components) {
    if (!COMPONENTS.has(component)) {
      problems.push({ code: 'ERR_SUB_COMPONENT_UNKNOWN', message: subClaimMessages.notAllowed(component) });
    }
  }
  const seen = new Set<string>();
  const reported = new Set<string>();
  for (const component of components) {
    if (seen.has(component) && !reported.has(component)) {
      problems.push({ code: 'ERR_SUB_COMPONENT_DUPLICATE', message: subClaimMessages.duplicate(component) });
      reported.add(component);
    }
    seen.add(component);
  }
  return problems;
}

/**
 * GitLab's messages for a `ci_id_token_sub_claim_components` value (API body or stored setting); empty when valid.
 * Unknown and repeated components are errors here, where GitLab drops or accepts them silently.
 */
export function validateSubClaimComponents(value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((component) => typeof component === 'string')) {
    return [subClaimMessages.notArrayOfStrings];
  }
  return subClaimProblems(value).map((problem) => problem.message);
}

/** The claim values `sub` is composed from; a missing or null one is left out of `sub`. */
export type SubClaimValues = { readonly [Name in SubClaimComponent]?: string | null };

/** `%` first, so an escaped `:` (`%3A`) written literally stays distinguishable from a real one. */
function escapeSubValue(value: string): string {
  return value.replace(/%/g, '%25').replace(/:/g, '%3A');
}

/**
 * `name:value` pairs joined by `:`, in the configured order. Values are escaped so that a `:` inside a ref or an
 * environment name cannot forge another component (`x:ref_type:tag`). A `sub` over 255 bytes is an error, never cut:
 * a truncated subject could equal another job's. The list is checked again here, whatever the settings said.
 */
export function composeSubClaim(components: readonly SubClaimComponent[], claims: SubClaimValues): string {
  const [problem] = subClaimProblems(components);
  if (problem) {
    throw new IdTokenError(
      problem.code,
      'ci_id_token_sub_claim_components',
      `the sub claim components are invalid (${problem.message}); fix ci_id_token_sub_claim_components of the project or its group`,
    );
  }
  const sub = components
    .flatMap((name) => {
      const value = claims[name];
      return value === undefined || value === null ? [] : [`${name}:${escapeSubValue(value)}`];
    })
    .join(':');
  const bytes = new TextEncoder().encode(sub).length;
  if (bytes > SUB_CLAIM_MAX_LENGTH) {
    throw new IdTokenError(
      'ERR_SUB_TOO_LONG',
      'sub',
      `sub exceeds ${SUB_CLAIM_MAX_LENGTH} characters (it would be ${bytes} bytes); ` +
        'choose fewer or shorter sub claim components (project_id instead of project_path) or a shorter ref',
    );
  }
  return sub;
}
