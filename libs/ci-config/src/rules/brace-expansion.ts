import type { PatternEngine } from '../expressions/pattern-engine';

/**
 * Ruby's `File::FNM_EXTGLOB` brace expansion (`ruby_brace_expand` in dir.c): `{a,b}c` stands for `ac` and `bc`,
 * groups nest, a backslash escapes the next character, and an unclosed `{` makes the pattern match nothing. Calls
 * `visit` on each expansion until it returns true. Expansions are generated one at a time and each is charged to
 * `engine`, since their number grows exponentially with the groups (`{a,b}{a,b}…`).
 */
export function someBraceExpansion(glob: string, engine: PatternEngine, visit: (pattern: string) => boolean): boolean {
  const pending = [[...glob]];
  for (let pattern = pending.pop(); pattern; pattern = pending.pop()) {
    engine.charge(pattern.length + 1);
    const group = firstGroup(pattern);
    if (group === 'unclosed') continue;
    if (group === null) {
      if (visit(pattern.join(''))) return true;
      continue;
    }
    const prefix = pattern.slice(0, group.open);
    const suffix = pattern.slice(group.close + 1);
    // Pushed in reverse so that they are tried in the order written, as Ruby does.
    for (const alternative of alternatives(pattern, group).reverse()) pending.push([...prefix, ...alternative, ...suffix]);
  }
  return false;
}

/** The first top-level `{` and its matching `}`; 'unclosed' when the `{` has none. */
function firstGroup(pattern: readonly string[]): { open: number; close: number } | 'unclosed' | null {
  let open = -1;
  let nesting = 0;
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index];
    if (char === '{' && nesting++ === 0) open = index;
    if (char === '}' && open >= 0 && --nesting === 0) return { open, close: index };
    if (char === '\\') index += 1;
  }
  return open >= 0 ? 'unclosed' : null;
}

/** The comma-separated alternatives between a group's braces, split at its own level only. */
function alternatives(pattern: readonly string[], group: { open: number; close: number }): string[][] {
  const result: string[][] = [];
  let start = group.open + 1;
  let nesting = 0;
  for (let index = start; index <= group.close; index += 1) {
    const char = pattern[index];
    if (index === group.close || (char === ',' && nesting === 0)) {
      result.push(pattern.slice(start, index));
      start = index + 1;
    } else if (char === '{') {
      nesting += 1;
    } else if (char === '}') {
      nesting -= 1;
    } else if (char === '\\' && index + 1 < group.close) {
      index += 1;
    }
  }
  return result;
}
