import type { ApiError } from '../common/api-error';
import type { ErrorFacts, NoFacts } from '../common/domain-error';

/**
 * How the API answers one code, as GitLab would: a status and a body, built from the facts the error carries. A code
 * with facts also gives an example of them, from which the OpenAPI document shows the body.
 */
export type Answer<Facts extends object> = NoFacts extends Facts
  ? (facts: Facts) => ApiError
  : { readonly answer: (facts: Facts) => ApiError; readonly example: Facts };

/** A code's answer with its example facts (none for a code that needs none), whatever its shape in the section. */
export interface AnsweredCode {
  answer(facts: object): ApiError;
  readonly example: object;
}

/** One module's part of the table: its name and the answer to each of its codes. */
export interface TableSection {
  readonly module: string;
  readonly codes: ReadonlyMap<string, AnsweredCode>;
}

/** A module's error class, as the table sees it: the section it names and (compile time only) its codes and facts. */
export interface DomainErrorClass<Facts extends ErrorFacts> {
  readonly module: string;
  readonly prototype: { readonly factsByCode: Facts };
}

/** A module's section: the compiler insists on an answer for every code its error class declares, and no other. */
export function section<Facts extends ErrorFacts>(
  errorClass: DomainErrorClass<Facts>,
  answers: { readonly [Code in keyof Facts]: Answer<Facts[Code]> },
): TableSection {
  // Each answer was checked against its own code's facts above; stored, they take the facts their error carries.
  const entries = Object.entries(answers as Readonly<Record<string, ((facts: object) => ApiError) | AnsweredCode>>);
  const codes = entries.map(([code, answer]): [string, AnsweredCode] => [
    code,
    typeof answer === 'function' ? { answer, example: {} } : answer,
  ]);
  return { module: errorClass.module, codes: new Map(codes) };
}
