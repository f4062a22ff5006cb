export { MAX_REF_NAME_LENGTH, isValidBranchOrTagName, isValidRefName } from './ref-name';
export { isProtectedRef, isValidRefPattern, matchesRefPattern } from './ref-pattern';
export { matchesWildcard } from './wildcard';
export {
  DEFAULT_BRANCH_PROTECTION,
  DEFAULT_PROTECTION_LEVEL,
  PROTECTION_LEVELS,
  describeProtectionLevel,
  protectionAllows,
} from './protection-level';
export type { ProtectionLevel, RefActor } from './protection-level';
export { RefProtection } from './ref-protection';
export type { ProtectionRule } from './ref-protection';
export { PUSH_REFUSALS, refusePushedRef } from './push-rules';
export type { ForcePushRule, PushRules, RefUpdate } from './push-rules';
export { ReceiveCommandReader } from './receive-commands';
export type { ReceiveCommand } from './receive-commands';
export { indexDrift } from './index-drift';
export type { GitHeldRef, IndexedRef, RefDrift } from './index-drift';
