import { applyDecorators } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, ValidateBy, ValidateIf, ValidateNested } from 'class-validator';

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

/**
 * A parameter that may be left out, but whose rules judge any value sent, `null` included. @IsOptional lets `null`
 * through unchecked, and a service that reads it as given (an id to look up, a scope to match) fails with a 500.
 */
export const IsOptionalNonNull = () => ValidateIf((_dto: object, value: unknown) => value !== undefined);

/** An optional boolean parameter, as GitLab accepts them; `null` is not a boolean and is refused (`x is invalid`). */
export const IsOptionalFlag = () => applyDecorators(Transform(toBoolean), IsBoolean(), IsOptionalNonNull());

/**
 * A list of objects, each checked as `type`. @ValidateNested names an entry that is not an object (`field.0`), but
 * walks into an entry that is a list and finds nothing to check in `[[]]`: the service would read a list as an object.
 */
export const IsObjectList = (type: () => new () => object) =>
  applyDecorators(
    ValidateBy(
      { name: 'noNestedList', validator: { validate: (entry) => !Array.isArray(entry) } },
      { each: true, message: 'must be a list of objects, not of lists' },
    ),
    ValidateNested({ each: true }),
    Type(type),
  );
