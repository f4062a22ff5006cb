import { isValidRefName } from './ref-name';
import { matchesWildcard } from './wildcard';

/**
 * GitLab's protected-ref matching (RefMatcher): a pattern without `*` matches only the identical name; each `*`
 * matches any run of characters, `/` included, and everything else is literal. GitLab compiles the pattern to a
 * regular expression; the linear wildcard matcher gives the same answers without any backtracking.
 */
export function matchesRefPattern(pattern: string, name: string): boolean {
  return pattern !== '' && matchesWildcard(pattern, name);
}

/** Whether any of the protection patterns covers `name`. */
export function isProtectedRef(name: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => matchesRefPattern(pattern, name));
}

/** A protection pattern is valid when it would be a valid ref name with each `*` standing for a character. */
export function isValidRefPattern(pattern: string): boolean {
  return isValidRefName(pattern.replaceAll('*', 'x'));
}
