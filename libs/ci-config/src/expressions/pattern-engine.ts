import { RE2JS, RE2JSSyntaxException } from 're2js';
import { ExpressionError, PatternBudgetError } from './expression-error';
import { EXPRESSION_LIMITS, PATTERN_BUDGET } from './expression-limits';

/**
 * A compiled RE2 regex (GitLab's `UntrustedRegexp`). RE2 has no backtracking, so a match is linear in the text; only
 * a `PatternEngine` runs it, so that every match is paid for.
 */
export class UntrustedRegexp {
  constructor(
    /** The RE2 source, flags inlined: `/pattern/i` is `(?i)pattern`. */
    readonly source: string,
    readonly program: RE2JS,
    /** Instructions in the compiled program: what a match costs per character of text. */
    readonly programSize: number,
  ) {}
}

const TOO_LARGE = 'too large';

/**
 * Compiles and runs the regexes and globs of one pipeline creation within one work budget (`PATTERN_BUDGET`), so a
 * hostile configuration ends in an error instead of holding the server. Compiled regexes are kept by source, as GitLab
 * keeps them per request. Create one per pipeline creation (or per lint) and pass it to every call.
 */
export class PatternEngine {
  private spent = 0;
  private readonly regexps = new Map<string, UntrustedRegexp | null | typeof TOO_LARGE>();

  constructor(readonly budget: number = PATTERN_BUDGET.steps) {}

  /** Steps left before `PatternBudgetError`. */
  get remaining(): number {
    return this.budget - this.spent;
  }

  /** Spends `steps` of the budget; throws once it is exhausted. */
  charge(steps: number): void {
    this.spent += steps;
    if (this.spent > this.budget) throw new PatternBudgetError(this.budget);
  }

  /**
   * RE2's compile of `source` (Ruby's `RE2::Regexp.new(pattern)`), or null when RE2 refuses the syntax (lookaround,
   * backreferences, an unbalanced group…). Throws `ERR_REGEXP_TOO_LARGE` above `maxRegexpProgramSize` instructions.
   */
  compile(source: string): UntrustedRegexp | null {
    const known = this.regexps.get(source);
    if (known === TOO_LARGE) throw regexpTooLarge();
    if (known !== undefined) return known;
    this.charge(source.length);
    let program: RE2JS;
    try {
      program = RE2JS.compile(source);
    } catch (error) {
      if (!(error instanceof RE2JSSyntaxException)) throw error;
      this.regexps.set(source, null);
      return null;
    }
    const size = program.programSize();
    this.charge(size * PATTERN_BUDGET.compileStepsPerInstruction);
    if (size > EXPRESSION_LIMITS.maxRegexpProgramSize) {
      this.regexps.set(source, TOO_LARGE);
      throw regexpTooLarge();
    }
    const regexp = new UntrustedRegexp(source, program, size);
    this.regexps.set(source, regexp);
    return regexp;
  }

  /** Whether `regexp` matches anywhere in `text` (RE2's unanchored search, GitLab's `scan(text).present?`). */
  matches(regexp: UntrustedRegexp, text: string): boolean {
    this.charge(regexp.programSize * (text.length + 1));
    return regexp.program.test(text);
  }
}

function regexpTooLarge(): ExpressionError {
  return new ExpressionError(
    'ERR_REGEXP_TOO_LARGE',
    `regular expression is too large (maximum is ${EXPRESSION_LIMITS.maxRegexpProgramSize} instructions)`,
  );
}
