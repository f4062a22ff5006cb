/** A code that says it all: its answer needs no facts. */
export type NoFacts = Record<never, never>;

/** A module's closed set of codes, each with the facts its answer needs (`NoFacts` when none). */
export type ErrorFacts = { readonly [code: string]: object };

/** The facts argument of a code: optional when the code needs none, required otherwise. */
export type FactsArgument<Facts extends object> = NoFacts extends Facts ? [facts?: Facts] : [facts: Facts];

/**
 * A use case refusing on purpose: GitLab's `ServiceResponse` reason. `code` names why, from the module's closed set;
 * `facts` carry what the answer needs (a field, a name). Services throw these and never pick an HTTP status: the
 * table at the edge (http-errors/) turns each code into GitLab's status and body. Each module subclasses this once,
 * naming its table section in `static module`.
 */
export abstract class DomainError<
  Facts extends ErrorFacts = ErrorFacts,
  Code extends keyof Facts & string = keyof Facts & string,
> extends Error {
  readonly facts: Facts[Code];
  /** Never set: lets the compiler read a module's codes and facts off its class, so the table must answer each one. */
  declare readonly factsByCode: Facts;

  constructor(
    readonly code: Code,
    ...[facts]: FactsArgument<Facts[Code]>
  ) {
    // The code only: facts may hold what a user wrote, and messages reach logs.
    super(code);
    this.name = new.target.name;
    this.facts = facts ?? ({} as Facts[Code]);
  }

  /** The table section that answers this error: its module's `static module`. */
  get module(): string {
    return (this.constructor as { readonly module?: string }).module ?? '';
  }
}
