import { Transform } from 'class-transformer';
import { IsBoolean, ValidateIf } from 'class-validator';

/** JSON booleans, or the strings form-encoding clients send; anything else is left for @IsBoolean to reject. */
const BOOLEAN_STRINGS = new Map([
  ['true', true],
  ['false', false],
  ['1', true],
  ['0', false],
]);

export const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value === 'string') return BOOLEAN_STRINGS.get(value.trim().toLowerCase()) ?? value;
  if (value === 1 || value === 0) return value === 1;
  return value;
};

/** Grape coerces numbers and booleans to strings for String parameters; clients send `"value": 123`. */
export const toText = ({ value }: { value: unknown }): unknown =>
  typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;

/** An optional boolean parameter, as GitLab accepts them; `null` is not a boolean and is refused. */
export const IsOptionalFlag = () => (target: object, property: string) => {
  Transform(toBoolean)(target, property);
  IsBoolean({ message: 'must be a boolean value' })(target, property);
  ValidateIf((dto: Record<string, unknown>) => dto[property] !== undefined)(target, property);
};
