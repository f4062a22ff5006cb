import { RE2JS } from 're2js';

const NUMBER = /\d+(\.\d+)?/;

/**
 * GitLab's `Trace::Stream#extract_coverage`: the log read from its last line up; on each line, the last match of the
 * job's `coverage:` regex (its last group, when it has groups), and in it the first number. The first line that
 * gives one decides; null when none does. The regex is RE2 (linear time: a project's pattern cannot stall the
 * server, whatever the log).
 */
export function extractCoverage(log: string, pattern: string): number | null {
  let regexp: RE2JS;
  try {
    regexp = RE2JS.compile(pattern);
  } catch {
    return null;
  }
  const lines = log.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const found = lastMatch(regexp, lines[i].replace(/\r$/, ''));
    // GitLab's `nil.gsub` on a group that took no part raises, and its rescue gives no coverage at all.
    if (found === null) return null;
    if (found === undefined) continue;
    const number = NUMBER.exec(found);
    if (number) return Number(number[0]);
  }
  return null;
}

/** `regex.scan(line).flatten.last`: undefined without a match; null when that group did not take part. */
function lastMatch(regexp: RE2JS, line: string): string | null | undefined {
  const matcher = regexp.matcher(line);
  let last: string | null | undefined;
  while (matcher.find()) last = matcher.group(regexp.groupCount());
  return last;
}
