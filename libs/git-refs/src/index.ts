export { MAX_REF_NAME_LENGTH, isValidBranchOrTagName, isValidRefName } from './ref-name';
export { isProtectedRef, isValidRefPattern, matchesRefPattern } from './ref-pattern';
export { matchesWildcard } from './wildcard';
