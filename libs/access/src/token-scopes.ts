/**
 * Personal access token scopes, as GitLab names them (`Gitlab::Auth`), limited to those with a meaning here: a
 * closed set, so a new scope is a deliberate act. `write_repository` grants Git over HTTP in GitLab and so no
 * endpoint of ours; `self_rotate` lets a token rotate itself and do nothing else; `sudo` lets an admin act as another user (see `decideSudo`) and grants no route by itself;
 * `admin_mode` grants nothing, as GitLab with Admin Mode off (its default; Lanyard has no admin mode).
 */
export const TOKEN_SCOPES = [
  'api',
  'read_api',
  'read_user',
  'read_repository',
  'write_repository',
  'create_runner',
  'self_rotate',
  'sudo',
  'admin_mode',
] as const;

export type TokenScope = (typeof TOKEN_SCOPES)[number];

export function isTokenScope(value: unknown): value is TokenScope {
  return (TOKEN_SCOPES as readonly unknown[]).includes(value);
}

/**
 * Groups of routes that register extra scopes, as GitLab's Grape classes do with `allow_access_with_scope`:
 * `users` is `API::Users` (`/user`, `/users…`), `repository_files` is `API::Files`, `user_runners` is
 * `API::UserRunners` (`POST /user/runners`), `metadata` is `API::Metadata` (`/metadata`, `/version`), `token_self`
 * is `API::PersonalAccessTokens::SelfInformation` (`GET`/`DELETE /personal_access_tokens/self`), which any token may
 * call on itself whatever its scopes, `token_self_rotation` is `API::PersonalAccessTokens::SelfRotation`
 * (`POST /personal_access_tokens/self/rotate`); every other route is plain `api`.
 */
export const SCOPE_ROUTE_CLASSES = [
  'api',
  'users',
  'repository_files',
  'user_runners',
  'metadata',
  'token_self',
  'token_self_rotation',
] as const;

export type ScopeRouteClass = (typeof SCOPE_ROUTE_CLASSES)[number];

type MethodCondition = 'any' | 'read' | 'post';

interface ScopeGrant {
  readonly scope: TokenScope;
  readonly when: MethodCondition;
}

/** What `API::API` registers for every route: `api`, and `read_api` for GET and HEAD. */
const API_WIDE: readonly ScopeGrant[] = [
  { scope: 'api', when: 'any' },
  { scope: 'read_api', when: 'read' },
];

const CLASS_GRANTS: Record<ScopeRouteClass, readonly ScopeGrant[]> = {
  api: [],
  users: [{ scope: 'read_user', when: 'read' }],
  repository_files: [{ scope: 'read_repository', when: 'read' }],
  user_runners: [{ scope: 'create_runner', when: 'post' }],
  metadata: [{ scope: 'read_user', when: 'read' }],
  token_self: TOKEN_SCOPES.map((scope) => ({ scope, when: 'any' })),
  token_self_rotation: [{ scope: 'self_rotate', when: 'post' }],
};

export type ScopeDecision =
  | { readonly allowed: true }
  /** `registered`: every scope the route registers, class first, as GitLab lists them in its 403. */
  | { readonly allowed: false; readonly registered: readonly TokenScope[] };

/** Whether a token with `tokenScopes` may call a route of `routeClass` with `method` (GitLab's `Scope#sufficient?`). */
export function decideTokenScope(tokenScopes: readonly string[], routeClass: ScopeRouteClass, method: string): ScopeDecision {
  const grants = [...CLASS_GRANTS[routeClass], ...API_WIDE];
  const verb = method.toUpperCase();
  const applies = (when: MethodCondition) => when === 'any' || (when === 'read' ? verb === 'GET' || verb === 'HEAD' : verb === 'POST');
  if (grants.some((grant) => applies(grant.when) && tokenScopes.includes(grant.scope))) return { allowed: true };
  return { allowed: false, registered: [...new Set(grants.map((grant) => grant.scope))] };
}

export type SudoDecision = 'allowed' | 'not_admin' | 'insufficient_scope';

/**
 * Acting as another user (GitLab's `sudo` parameter or `Sudo` header, `API::Helpers#sudo!`): only an admin, only
 * with a `sudo`-scoped token. The route's own scopes are then not checked, as in GitLab.
 */
export function decideSudo(admin: boolean, tokenScopes: readonly string[]): SudoDecision {
  if (!admin) return 'not_admin';
  return tokenScopes.includes('sudo') ? 'allowed' : 'insufficient_scope';
}
