import type { PatternEngine } from '../expressions/pattern-engine';
import { someBraceExpansion } from './brace-expansion';

/**
 * Ruby's `File.fnmatch?(glob, path, File::FNM_PATHNAME | File::FNM_DOTMATCH | File::FNM_EXTGLOB)`, which GitLab uses
 * for `rules:changes`, `rules:exists` and `only:changes`: `*`, `?` and `[...]` stay within one directory, `**\/`
 * spans any number of them, dotfiles match like any other name, `{a,b}` expands, `\` escapes.
 *
 * A port of dir.c's `fnmatch`/`fnmatch_helper`/`bracket`: it remembers only the last `*` and the last `**\/`, so a
 * comparison takes at most |glob| x |path| steps, never exponential time; each step is charged to `engine`.
 */
export function fnmatch(glob: string, path: string, engine: PatternEngine): boolean {
  const subject = [...path];
  return someBraceExpansion(glob, engine, (pattern) => matchPath([...pattern], subject, engine));
}

const isEnd = (chars: readonly string[], index: number): boolean => index >= chars.length || chars[index] === '/';
const unescape = (chars: readonly string[], index: number): number => (chars[index] === '\\' ? index + 1 : index);

/** dir.c's `fnmatch` with `FNM_PATHNAME`: segment by segment, retrying after the last `**\/` on failure. */
function matchPath(pattern: readonly string[], path: readonly string[], engine: PatternEngine): boolean {
  let p = 0;
  let s = 0;
  let globstarPattern = -1;
  let globstarPath = -1;
  for (;;) {
    engine.charge(1);
    if (pattern[p] === '*' && pattern[p + 1] === '*' && pattern[p + 2] === '/') {
      do p += 3;
      while (pattern[p] === '*' && pattern[p + 1] === '*' && pattern[p + 2] === '/');
      globstarPattern = p;
      globstarPath = s;
    }
    const segment = matchSegment(pattern, p, path, s, engine);
    if (segment.matched) {
      p = segment.p;
      s = segment.s;
      while (s < path.length && path[s] !== '/') s += 1;
      if (p < pattern.length && s < path.length) {
        p += 1;
        s += 1;
        continue;
      }
      if (p >= pattern.length && s >= path.length) return true;
    }
    // Failed: let the last `**/` swallow one more directory, if there is one.
    if (globstarPattern >= 0) {
      while (globstarPath < path.length && path[globstarPath] !== '/') globstarPath += 1;
      if (globstarPath < path.length) {
        p = globstarPattern;
        globstarPath += 1;
        s = globstarPath;
        continue;
      }
    }
    return false;
  }
}

/** dir.c's `fnmatch_helper`: one path segment, backtracking only to the segment's last `*`. */
function matchSegment(
  pattern: readonly string[],
  start: number,
  path: readonly string[],
  pathStart: number,
  engine: PatternEngine,
): { matched: boolean; p: number; s: number } {
  let p = start;
  let s = pathStart;
  let starPattern = -1;
  let starPath = -1;
  for (;;) {
    engine.charge(1);
    let failed = false;
    if (pattern[p] === '*') {
      do p += 1;
      while (pattern[p] === '*');
      if (isEnd(pattern, unescape(pattern, p))) return { matched: true, p: unescape(pattern, p), s };
      if (isEnd(path, s)) return { matched: false, p, s };
      starPattern = p;
      starPath = s;
      continue;
    } else if (pattern[p] === '?') {
      if (isEnd(path, s)) return { matched: false, p, s };
      p += 1;
      s += 1;
      continue;
    } else if (pattern[p] === '[') {
      if (isEnd(path, s)) return { matched: false, p, s };
      const next = matchBracket(pattern, p + 1, path[s]);
      if (next >= 0) {
        p = next;
        s += 1;
        continue;
      }
      failed = true;
    }
    if (!failed) {
      p = unescape(pattern, p);
      if (isEnd(path, s)) return { matched: isEnd(pattern, p), p, s };
      if (!isEnd(pattern, p) && pattern[p] === path[s]) {
        p += 1;
        s += 1;
        continue;
      }
    }
    if (starPattern < 0) return { matched: false, p, s };
    p = starPattern;
    starPath += 1;
    s = starPath;
  }
}

/**
 * dir.c's `bracket`: `[abc]`, `[a-z]`, `[!a]`/`[^a]`, with escapes. Returns the index after `]`, or -1 when
 * `char` is not in the set or the bracket never closes (then it matches nothing, not even itself).
 */
function matchBracket(pattern: readonly string[], start: number, char: string): number {
  let p = start;
  if (p >= pattern.length) return -1;
  const negated = pattern[p] === '!' || pattern[p] === '^';
  if (negated) p += 1;
  let found = false;
  while (pattern[p] !== ']') {
    const first = unescape(pattern, p);
    if (first >= pattern.length) return -1;
    p = first + 1;
    if (p >= pattern.length) return -1;
    if (pattern[p] === '-' && pattern[p + 1] !== ']') {
      const last = unescape(pattern, p + 1);
      if (last >= pattern.length) return -1;
      p = last + 1;
      const code = char.codePointAt(0) as number;
      if (!found && code >= (pattern[first].codePointAt(0) as number) && code <= (pattern[last].codePointAt(0) as number)) found = true;
      if (!found && (pattern[first] === char || pattern[last] === char)) found = true;
    } else if (pattern[first] === char) {
      found = true;
    }
  }
  return found === negated ? -1 : p + 1;
}
