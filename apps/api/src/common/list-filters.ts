import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { Equals, IsIn, IsISO8601, IsOptional, IsString, MaxLength, NotContains } from 'class-validator';
import { toText } from './dto-transforms';

/** Grape's words for a value outside a parameter's `values:` list; `$property` is the parameter's name. */
const NOT_VALID = { message: '$property does not have a valid value' };

export const SORT_DIRECTIONS = ['asc', 'desc'] as const;
export type SortDirection = (typeof SORT_DIRECTIONS)[number];

/** GitLab's `sort`: `asc` or `desc`, in any case (its finders read `/\A(ASC|DESC)\z/i`). */
export const IsSortDirection = () =>
  applyDecorators(
    IsOptional(),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value)),
    IsIn(SORT_DIRECTIONS, NOT_VALID),
  );

/** A parameter from a closed list (`order_by`, `scope`, `status`, `visibility`). */
export const IsOneOf = (values: readonly string[]) => applyDecorators(IsOptional(), IsIn(values, NOT_VALID));

/** `search`, `ref`, `sha`, `username`, `name`: text matched as given (PostgreSQL's text holds no NUL byte). */
export const IsFilterText = () => applyDecorators(IsOptional(), Transform(toText), IsString(), MaxLength(255), NotContains('\u0000'));

/** `created_after` and its kin: an ISO 8601 time, as Grape's `DateTime`. */
export const IsFilterTime = () => applyDecorators(IsOptional(), IsISO8601());

/**
 * A filter GitLab documents that Lanyard does not build. Ignoring it would answer a list the client did not ask for
 * (`starred=true` answering every project), so any value is refused in Grape's words.
 */
export const NotBuilt = () => applyDecorators(IsOptional(), Equals(undefined, NOT_VALID));

/** The order of a whitelisted column (or expression) and direction; `id` breaks ties so pages never overlap. */
export function orderOf(column: string, direction: SortDirection, idColumn: string): Record<string, 'ASC' | 'DESC'> {
  const dir = direction === 'asc' ? 'ASC' : 'DESC';
  return { [column]: dir, [idColumn]: dir };
}

/** `orderOf` as SQL text, for lists written out as SQL. */
export function orderSql(column: string, direction: SortDirection, idColumn: string): string {
  return Object.entries(orderOf(column, direction, idColumn))
    .map(([expression, dir]) => `${expression} ${dir}`)
    .join(', ');
}

/** `%`, `_` and `\` taken literally in a LIKE pattern. */
export function likeContaining(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
