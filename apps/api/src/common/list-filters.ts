import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { MEMBER_ACCESS_LEVELS } from '@lanyard/access';
import { Equals, IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min, NotContains } from 'class-validator';
import { toBoolean, toText } from './dto-transforms';
import { MAX_PAGE } from './pagination';

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

/**
 * A boolean filter GitLab documents that Lanyard does not build: `false`, its default, asks nothing and is read;
 * `true` is refused rather than ignored.
 */
export const NotBuiltFlag = () => applyDecorators(IsOptional(), Transform(toBoolean), Equals(false, NOT_VALID));

/** An id bound (`id_after`, `user_ids[]` entries): digits only, as Grape's Integer. */
export const IsFilterId = (each = false) =>
  applyDecorators(
    IsOptional(),
    Transform(({ value }: { value: unknown }) => (each ? toIdList(value) : toId(value))),
    IsInt({ each }),
    Min(1, { each }),
    Max(MAX_PAGE, { each }),
  );

const toId = (value: unknown): unknown => (typeof value === 'string' && /^[0-9]{1,10}$/.test(value) ? Number(value) : value);

/** Grape's `Array[Integer]`: repeated `x[]=1&x[]=2`, or one comma-separated `x=1,2`. */
const toIdList = (value: unknown): unknown => {
  const list = typeof value === 'string' ? value.split(',') : value;
  return Array.isArray(list) ? list.map(toId) : list;
};

/** GitLab's `min_access_level`: a member level, as a number. */
export const IsMinAccessLevel = () =>
  applyDecorators(
    IsOptional(),
    Transform(({ value }: { value: unknown }) => toId(value)),
    IsIn(MEMBER_ACCESS_LEVELS, NOT_VALID),
  );
