export { AccessLevel, MEMBER_ACCESS_LEVELS, isMemberAccessLevel, roleName } from './access-level';
export type { MemberAccessLevel } from './access-level';
export { decideAccess, resolveAccessLevel } from './resolve-access';
export type {
  AccessDecision,
  AccessRequest,
  AccessTarget,
  MemberSourceType,
  Membership,
  ResourceVisibility,
} from './resolve-access';
export { SCOPE_ROUTE_CLASSES, TOKEN_SCOPES, decideSudo, decideTokenScope, isTokenScope } from './token-scopes';
export type { ScopeDecision, ScopeRouteClass, SudoDecision, TokenScope } from './token-scopes';
