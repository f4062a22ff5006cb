import { Transform, Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, ValidateBy, ValidateNested } from 'class-validator';
import { VARIABLE_TYPES, VariableType } from '../ci-variable.entity';
import {
  DESCRIPTION_MAX_LENGTH,
  ENVIRONMENT_SCOPE_MAX_LENGTH,
  ENVIRONMENT_SCOPE_MESSAGE,
  ENVIRONMENT_SCOPE_PATTERN,
  KEY_MAX_LENGTH,
  KEY_MESSAGE,
  KEY_PATTERN,
  VALUE_MAX_LENGTH,
  characterCount,
} from '@lanyard/pipelines';
import { IsOptionalFlag, IsOptionalNonNull, toText } from '../../common/dto-transforms';

/** One named check with GitLab's wording; several on a field give GitLab's list of reasons. */
const rule = (name: string, test: (value: unknown) => boolean, message: string) =>
  ValidateBy({ name, validator: { validate: test, defaultMessage: () => message } });

const isString = (value: unknown): value is string => typeof value === 'string';
const noNul = (value: unknown) => !isString(value) || !value.includes('\u0000');
const tooLong = (max: number) => `is too long (maximum is ${max} characters)`;

const VALUE_RULES = [
  rule('valueIsString', isString, 'must be a string'),
  rule('valueLength', (v) => !isString(v) || characterCount(v) <= VALUE_MAX_LENGTH, tooLong(VALUE_MAX_LENGTH)),
  rule('valueNoNul', noNul, 'must not contain NUL characters'),
];

const SCOPE_RULES = [
  rule('scopePresent', (v) => isString(v) && v !== '', "can't be blank"),
  rule('scopeLength', (v) => !isString(v) || v.length <= ENVIRONMENT_SCOPE_MAX_LENGTH, tooLong(ENVIRONMENT_SCOPE_MAX_LENGTH)),
  rule('scopeFormat', (v) => !isString(v) || v === '' || ENVIRONMENT_SCOPE_PATTERN.test(v), ENVIRONMENT_SCOPE_MESSAGE),
];

const DESCRIPTION_RULES = [
  IsString(),
  rule('descriptionLength', (v) => !isString(v) || characterCount(v) <= DESCRIPTION_MAX_LENGTH, tooLong(DESCRIPTION_MAX_LENGTH)),
  rule('descriptionNoNul', noNul, 'must not contain NUL characters'),
];

const apply = (decorators: PropertyDecorator[]) => (target: object, property: string) =>
  decorators.forEach((decorator) => decorator(target, property));

/** What creating and updating a variable share; the key and the required value differ. */
class VariableAttributesDto {
  @IsOptional()
  @IsIn(VARIABLE_TYPES, { message: `must be one of ${VARIABLE_TYPES.join(', ')}` })
  variable_type?: VariableType;

  @IsOptionalFlag()
  protected?: boolean;

  @IsOptionalFlag()
  masked?: boolean;

  @IsOptionalFlag()
  raw?: boolean;

  /** Null is GitLab's "can't be blank", not the default scope, and never a scope to look up. */
  @IsOptionalNonNull()
  @apply(SCOPE_RULES)
  environment_scope?: string;

  @IsOptional()
  @apply(DESCRIPTION_RULES)
  description?: string;
}

export class CreateVariableDto extends VariableAttributesDto {
  // GitLab strips the key before validating it.
  @Transform(({ value }) => (isString(value) ? value.trim() : toText({ value })))
  @rule('keyPresent', (v) => isString(v) && v !== '', "can't be blank")
  @rule('keyLength', (v) => !isString(v) || v.length <= KEY_MAX_LENGTH, tooLong(KEY_MAX_LENGTH))
  @rule('keyFormat', (v) => isString(v) && KEY_PATTERN.test(v), KEY_MESSAGE)
  key!: string;

  @Transform(toText)
  @apply(VALUE_RULES)
  value!: string;
}

/** The key comes from the path; a `key` in the body (python-gitlab sends it) is ignored. */
export class UpdateVariableDto extends VariableAttributesDto {
  @IsOptional()
  @Transform(toText)
  @apply(VALUE_RULES)
  value?: string;
}

class VariableFilter {
  @IsOptional()
  @IsString()
  environment_scope?: string;
}

/** `?filter[environment_scope]=production` picks one of several variables sharing a key. */
export class VariableFilterQuery {
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => VariableFilter)
  filter?: VariableFilter;
}
