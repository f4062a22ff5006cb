import { isValidRefName } from './ref-name';

/**
 * GitLab's protected-ref matching (RefMatcher): a pattern without `*` matches only the identical name; each `*`
 * matches any run of characters, `/` included, and everything else is literal. GitLab compiles the pattern to a
 * regular expression; this walks it instead, so no pattern can make matching take more than |pattern|·|name| steps.
 */
export function matchesRefPattern(pattern: string, name: string): boolean {
  if (pattern === '') return false;
  if (!pattern.includes('*')) return pattern === name;
  let p = 0;
  let n = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (n < name.length) {
    if (p < pattern.length && pattern[p] === '*') {
      starAt = p;
      resumeAt = n;
      p += 1;
    } else if (p < pattern.length && pattern[p] === name[n]) {
      p += 1;
      n += 1;
    } else if (starAt >= 0) {
      // Let the last `*` swallow one more character and retry the rest of the pattern from there.
      p = starAt + 1;
      resumeAt += 1;
      n = resumeAt;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p += 1;
  return p === pattern.length;
}

/** Whether any of the protection patterns covers `name`. */
export function isProtectedRef(name: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => matchesRefPattern(pattern, name));
}

/** A protection pattern is valid when it would be a valid ref name with each `*` standing for a character. */
export function isValidRefPattern(pattern: string): boolean {
  return isValidRefName(pattern.replaceAll('*', 'x'));
}
