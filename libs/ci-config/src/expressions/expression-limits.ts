/**
 * Limits on `rules:if` / `only:variables` expressions and on the user-supplied patterns (regexes and globs) that rules
 * run. GitLab bounds an expression by its token count only; the rest are Lanyard's, so that a hostile
 * `.gitlab-ci.yml` cannot hold pipeline creation for long: every limit is an error that names it.
 */
export const EXPRESSION_LIMITS = {
  /** Characters in one expression: about twenty times a long real one, and it bounds the regex literals inside. */
  maxExpressionLength: 2048,
  /** GitLab: `Lexer::MAX_TOKENS`. Its loop lexes at most this many times, so the hundredth token is already an error. */
  maxTokens: 100,
  /** Instructions in one compiled regex (RE2's program): `[\s\S]{1000}` is 1002, a branch-name pattern about 40. */
  maxRegexpProgramSize: 10_000,
} as const;

/**
 * The work one pipeline creation may spend matching user patterns, in steps: a regex match costs its program size
 * times the text's length plus one (the automaton's worst case), a compile 100 steps per instruction (measured: a
 * compile takes as long as about 100 match steps), a glob comparison the steps its matcher takes. 50 million steps is
 * one to three seconds in the worst case; typical rules use thousands.
 */
export const PATTERN_BUDGET = {
  steps: 50_000_000,
  compileStepsPerInstruction: 100,
} as const;
