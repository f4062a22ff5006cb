import { UntrustedRegexp } from './pattern-engine';

/** What an expression evaluates to: Ruby's `String`, `nil`, `true`/`false` (from comparisons) or an RE2 regex. */
export type ExpressionValue = string | boolean | null | UntrustedRegexp;

/** Ruby truthiness, used by `&&` and `||`: only `nil` and `false` are false (`""` is true). */
export function isRubyTruthy(value: ExpressionValue): boolean {
  return value !== null && value !== false;
}

// ActiveSupport's `String#blank?` is `/\A[[:space:]]*\z/`: Ruby's Unicode `[:space:]` is the White_Space property.
const BLANK = /^\p{White_Space}*$/u;

/** ActiveSupport's `present?`, which decides a rule: `nil`, `false`, `""` and whitespace-only strings are not present. */
export function isPresent(value: ExpressionValue): boolean {
  if (typeof value === 'string') return !BLANK.test(value);
  return isRubyTruthy(value);
}

/** Ruby's `to_s`, for the left side of `=~`. A regex has only Ruby's object inspection, which no text can contain. */
export function rubyToString(value: ExpressionValue): string {
  if (value === null) return '';
  if (value instanceof UntrustedRegexp) return '#<Gitlab::UntrustedRegexp>';
  return String(value);
}

/**
 * Ruby's `==`: strings by content, `nil == nil`, booleans by value, regexes by source (`UntrustedRegexp#==`). A regex
 * against anything else is false (GitLab itself raises there).
 */
export function rubyEquals(left: ExpressionValue, right: ExpressionValue): boolean {
  if (left instanceof UntrustedRegexp || right instanceof UntrustedRegexp) {
    return left instanceof UntrustedRegexp && right instanceof UntrustedRegexp && left.source === right.source;
  }
  return left === right;
}
