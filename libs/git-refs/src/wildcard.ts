/**
 * GitLab's `*` wildcard: each `*` matches any run of characters (none, `/` and newlines included) and every other
 * character is literal. GitLab uses it for protected refs (RefMatcher) and CI-variable environment scopes (SQL `LIKE`
 * after Gitlab::SQL::Glob.to_like escapes `%` and `_` and turns `*` into `%`).
 *
 * Runs in O(|pattern| + |text|) whatever the input: the literal pieces between stars are searched left to right,
 * each at its leftmost occurrence (a later occurrence never helps, since the next star absorbs whatever follows),
 * with Knuth–Morris–Pratt so that no piece rescans the text.
 */
export function matchesWildcard(pattern: string, text: string): boolean {
  return countedWildcardMatch(pattern, text, { steps: 0 });
}

/**
 * `matchesWildcard`, adding to `counter.steps` one per character compared or scanned: how the tests show the bound
 * without timing a loaded machine.
 */
export function countedWildcardMatch(pattern: string, text: string, counter: { steps: number }): boolean {
  counter.steps += pattern.length;
  const pieces = pattern.split('*');
  if (pieces.length === 1) return pattern === text;
  const head = pieces[0];
  const tail = pieces[pieces.length - 1];
  counter.steps += head.length + tail.length;
  if (head.length + tail.length > text.length || !text.startsWith(head) || !text.endsWith(tail)) return false;
  const end = text.length - tail.length;
  let from = head.length;
  for (const piece of pieces.slice(1, -1)) {
    if (piece === '') continue;
    const at = findFrom(text, piece, from, end, counter);
    if (at < 0) return false;
    from = at + piece.length;
  }
  return true;
}

/** Index of the first occurrence of `needle` inside `text[from, end)`, or -1 (Knuth–Morris–Pratt). */
function findFrom(text: string, needle: string, from: number, end: number, counter: { steps: number }): number {
  const fallback = prefixFunction(needle, counter);
  let matched = 0;
  for (let i = from; i < end; i += 1) {
    counter.steps += 1;
    while (matched > 0 && text[i] !== needle[matched]) {
      counter.steps += 1;
      matched = fallback[matched - 1];
    }
    if (text[i] === needle[matched]) matched += 1;
    if (matched === needle.length) return i - needle.length + 1;
  }
  return -1;
}

/** For each prefix of `needle`, the length of its longest proper prefix that is also its suffix. */
function prefixFunction(needle: string, counter: { steps: number }): number[] {
  const result = new Array<number>(needle.length).fill(0);
  let length = 0;
  for (let i = 1; i < needle.length; i += 1) {
    counter.steps += 1;
    while (length > 0 && needle[i] !== needle[length]) {
      counter.steps += 1;
      length = result[length - 1];
    }
    if (needle[i] === needle[length]) length += 1;
    result[i] = length;
  }
  return result;
}
