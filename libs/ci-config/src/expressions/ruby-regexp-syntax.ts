/**
 * GitLab's `UntrustedRegexp::RubySyntax`: a Ruby-style `/pattern/flags` string becomes an RE2 source with the flags
 * inlined (`/pattern/im` is `(?im)pattern`). Flags are RE2's: `i` case-insensitive, `m` multi-line (`^`/`$` at line
 * ends), `s` dot matches newline, `U` ungreedy.
 */

const FLAGS = /^[ismU]*$/;

/**
 * The RE2 source a `/pattern/flags` string stands for, or null when it has not that form. GitLab matches
 * `%r{^/(?<regexp>.*)/(?<flags>[ismU]*)$}`, where Ruby's `^`/`$` are line anchors and `.` stops at a newline: the
 * first line that starts with `/` and ends with `/` plus flags is the one used.
 */
export function rubyRegexpSource(text: string): string | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith('/')) continue;
    // `.*` is greedy and flags never contain `/`, so only the line's last slash can close the pattern.
    const close = line.lastIndexOf('/');
    const flags = line.slice(close + 1);
    if (close === 0 || !FLAGS.test(flags)) continue;
    const pattern = line.slice(1, close);
    return flags === '' ? pattern : `(?${flags})${pattern}`;
  }
  return null;
}

/**
 * The length of the regex literal that starts `text` at `start` (GitLab's lexeme `%r{^\/([^\/]|\\/)+[^\\]\/[ismU]*}`),
 * or 0 when none does. The Ruby pattern backtracks; this walks the same search tree in the same order, each position
 * once, so the first match found is Ruby's and the time is linear.
 */
export function regexLiteralLength(text: string, start: number): number {
  if (text[start] !== '/') return 0;
  const body = start + 1;
  const end = literalEnd(text, body);
  if (end < 0) return 0;
  let index = end;
  while (index < text.length && 'ismU'.includes(text[index])) index += 1;
  return index - start;
}

/**
 * Where `([^\/]|\\/)+[^\\]\/` ends when matched from `body`, or -1. The loop's iterations are tried greedily, a
 * single character before an escaped slash; when the walk is stuck it backs off one iteration at a time, trying the
 * escaped-slash alternative and then the tail `[^\\]\/` at each position.
 */
function literalEnd(text: string, body: number): number {
  // Each frame is an iteration: its position and whether its second alternative (`\/`) was taken.
  const frames: { position: number; escapedSlash: boolean }[] = [];
  let position = body;
  for (;;) {
    while (position < text.length && text[position] !== '/') {
      frames.push({ position, escapedSlash: false });
      position += 1;
    }
    // Stuck: no iteration starts here. The tail may, once the loop has run at least once.
    if (position > body && tailMatches(text, position)) return position + 2;
    let resumed = false;
    while (frames.length > 0 && !resumed) {
      const frame = frames[frames.length - 1];
      if (!frame.escapedSlash && text[frame.position] === '\\' && text[frame.position + 1] === '/') {
        frame.escapedSlash = true;
        position = frame.position + 2;
        resumed = true;
      } else {
        frames.pop();
        if (frame.position > body && tailMatches(text, frame.position)) return frame.position + 2;
      }
    }
    if (!resumed) return -1;
  }
}

/** `[^\\]\/` at `position`. */
function tailMatches(text: string, position: number): boolean {
  return position + 1 < text.length && text[position] !== '\\' && text[position + 1] === '/';
}
