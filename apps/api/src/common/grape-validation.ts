import * as classValidator from 'class-validator';
import { ValidationError, ValidationTypes, getMetadataStorage } from 'class-validator';
import { ApiError, FieldErrors } from './api-error';

/** Grape's own sentences, which a DTO may also give as its message (`scope does not have a valid value`). */
const GRAPE_SENTENCE = / (is missing|is invalid|does not have a valid value)$/;

/**
 * The names of class-validator's own rules (its `IS_STRING = 'isString'` constants) and checks: their wording is
 * class-validator's. A rule of ours (`ValidateBy` with a `defaultMessage`) states a GitLab message of its own.
 */
const CLASS_VALIDATOR_RULES = new Set<string>([
  ...Object.entries(classValidator)
    .filter(([name, value]) => /^[A-Z][A-Z0-9_]+$/.test(name) && typeof value === 'string')
    .map(([, value]) => value as string),
  ...Object.values(ValidationTypes).filter((value): value is string => typeof value === 'string'),
]);

/** Rules that refuse a value outside a list: Grape's `values:`, whose answer is `x does not have a valid value`. */
const VALUE_LIST_RULES = new Set(['isIn', 'isEnum', 'equals']);

/**
 * Validation failures as GitLab answers them. A parameter's own checks are Grape's: `{"error": "ref is missing,
 * per_page is invalid"}`, in Grape's words, so class-validator's (`ref should not contain a \u0000 string`) never
 * reach a client. A DTO rule that gives its own message states a model rule in GitLab's words, answered as
 * ActiveRecord's `{"message": {"field": ["reason"]}}` once no parameter is refused, as Grape checks parameters first.
 */
export function toGitLabValidationError(errors: ValidationError[]): ApiError {
  const grape: string[] = [];
  const model: FieldErrors = {};
  collect(errors, { grape, model }, '', '');
  if (grape.length) return new ApiError(400, { error: [...new Set(grape)].join(', ') });
  return new ApiError(400, { message: model });
}

interface Found {
  readonly grape: string[];
  readonly model: FieldErrors;
}

/** `dotted`: the model's field name (`variables.0.key`); `bracketed`: Grape's (`variables[0][key]`). */
function collect(errors: ValidationError[], found: Found, dotted: string, bracketed: string): void {
  for (const error of errors) {
    const field = dotted ? `${dotted}.${error.property}` : error.property;
    const param = bracketed ? `${bracketed}[${error.property}]` : error.property;
    if (error.constraints) judge(error, error.constraints, found, field, param);
    if (error.children?.length) collect(error.children, found, field, param);
  }
}

function judge(error: ValidationError, constraints: Record<string, string>, found: Found, field: string, param: string): void {
  const rules = rulesOf(error);
  // A conditional requirement (`ValidateIf`: a role unless a user or group is named) is a model rule, not Grape's `requires`.
  if (isAbsent(error) && !rules.some((rule) => rule.type === ValidationTypes.CONDITIONAL_VALIDATION)) {
    found.grape.push(`${param} is missing`);
    return;
  }
  const own = ownMessages(rules);
  for (const [rule, message] of Object.entries(constraints)) {
    const sentence = GRAPE_SENTENCE.exec(message);
    if (sentence && message.startsWith(`${error.property} `)) found.grape.push(`${param} ${sentence[1]}`);
    else if (own.has(rule)) addReason(found.model, field, message);
    else found.grape.push(`${param} ${VALUE_LIST_RULES.has(rule) ? 'does not have a valid value' : 'is invalid'}`);
  }
}

/** Rules sharing one message (a range said once for its type, lower and upper bound) give it once. */
function addReason(fields: FieldErrors, field: string, reason: string): void {
  const reasons = (fields[field] ??= []);
  if (!reasons.includes(reason)) reasons.push(reason);
}

/** A required parameter left out: its rules ran on nothing (an optional one's do not run). */
function isAbsent(error: ValidationError): boolean {
  const target = error.target as Record<string, unknown> | undefined;
  return target !== undefined && target[error.property] === undefined;
}

/** A rule declared on a property, as class-validator's metadata storage holds it. */
type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

/** The rules declared on the property that failed (its class's and inherited ones). */
function rulesOf(error: ValidationError): ValidationMetadata[] {
  const target = error.target as object | undefined;
  if (!target) return [];
  return getMetadataStorage()
    .getTargetValidationMetadatas(target.constructor, '', true, false)
    .filter((metadata) => metadata.propertyName === error.property);
}

/** The rules that carry a message of their own, by the name failures are keyed on: ours, and class-validator's given a `message`. */
function ownMessages(rules: ValidationMetadata[]): Set<string> {
  return new Set(
    rules
      .map((metadata) => ({ rule: metadata.name ?? metadata.type, message: metadata.message }))
      .filter(({ rule, message }) => message !== undefined || !CLASS_VALIDATOR_RULES.has(rule))
      .map(({ rule }) => rule),
  );
}
