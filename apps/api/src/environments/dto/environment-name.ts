import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';
import { ENVIRONMENT_NAME_MAX_LENGTH, ENVIRONMENT_NAME_MESSAGE, ENVIRONMENT_NAME_PATTERN } from '@lanyard/ci-config';

/** One named check with GitLab's wording; several on a field give GitLab's list of reasons. */
const rule = (name: string, test: (value: unknown) => boolean, message: string) =>
  ValidateBy({ name, validator: { validate: test, defaultMessage: () => message } });

const isString = (value: unknown): value is string => typeof value === 'string';

/** Grape coerces numbers to strings for String parameters. */
const toText = ({ value }: { value: unknown }) => (typeof value === 'number' ? String(value) : value);

/** An environment name as GitLab's `Environment` model validates it, with its messages. */
export const IsEnvironmentName = () => (target: object, property: string) => {
  Transform(toText)(target, property);
  rule('namePresent', (v) => isString(v) && v.trim() !== '', "can't be blank")(target, property);
  rule(
    'nameLength',
    (v) => !isString(v) || v.length <= ENVIRONMENT_NAME_MAX_LENGTH,
    `is too long (maximum is ${ENVIRONMENT_NAME_MAX_LENGTH} characters)`,
  )(target, property);
  rule(
    'nameFormat',
    (v) => !isString(v) || v.trim() === '' || ENVIRONMENT_NAME_PATTERN.test(v),
    ENVIRONMENT_NAME_MESSAGE,
  )(target, property);
};
