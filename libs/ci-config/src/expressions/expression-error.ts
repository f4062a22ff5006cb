/**
 * Why an expression is refused. The first five are GitLab's `ExpressionError`s (the lint says "invalid expression
 * syntax", and at run time the statement is false); the last two are Lanyard's limits, never silently false.
 */
export type ExpressionErrorCode =
  | 'ERR_EXPRESSION_UNKNOWN_LEXEME'
  | 'ERR_EXPRESSION_TOO_MANY_TOKENS'
  | 'ERR_EXPRESSION_INVALID_REGEXP'
  | 'ERR_EXPRESSION_OPERAND'
  | 'ERR_EXPRESSION_PARSE'
  | 'ERR_EXPRESSION_TOO_LONG'
  | 'ERR_REGEXP_TOO_LARGE';

const LIMIT_CODES: ReadonlySet<ExpressionErrorCode> = new Set(['ERR_EXPRESSION_TOO_LONG', 'ERR_REGEXP_TOO_LARGE']);

/** A refused expression; `reason` is GitLab's own text where GitLab has one (`Unknown lexeme found!`, …). */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';

  constructor(
    readonly code: ExpressionErrorCode,
    readonly reason: string,
  ) {
    super(reason);
  }

  /** True for GitLab's syntax errors, which make a statement false at run time; false for Lanyard's limits. */
  get isSyntaxError(): boolean {
    return !LIMIT_CODES.has(this.code);
  }
}

/** The pattern budget of one pipeline creation ran out (see `PATTERN_BUDGET`). */
export class PatternBudgetError extends Error {
  override readonly name = 'PatternBudgetError';

  constructor(readonly budget: number) {
    super(`exceeded the pattern matching budget (${budget} steps)`);
  }
}
