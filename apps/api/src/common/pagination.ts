import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_PER_PAGE = 100;

/** PostgreSQL's integer: beyond it no list has a page, and below it every offset is an exact number. */
export const MAX_PAGE = 2_147_483_647;

/**
 * Grape reads an Integer parameter written in decimal digits only; `Number` would also take `1e308` (Infinity, an
 * OFFSET PostgreSQL cannot run), `0x10` or `1e2`. Anything else stays as sent, for the range check to refuse.
 */
const toWholeNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;

/** GitLab (Kaminari's `max_per_page`) answers a larger page size with its largest page, not an error. */
const toPageSize = (params: { value: unknown }): unknown => {
  const value = toWholeNumber(params);
  return typeof value === 'number' && value > MAX_PER_PAGE ? MAX_PER_PAGE : value;
};

/** Integer rules (which the OpenAPI document shows) with one reason naming the range, whatever was wrong. */
const IsPageNumber = (max: number, transform: typeof toWholeNumber) => {
  const message = { message: `must be a whole number from 1 to ${max}` };
  return applyDecorators(IsOptional(), Transform(transform), IsInt(message), Min(1, message), Max(max, message));
};

/** GitLab's `page`/`per_page`: per_page defaults to 20, and a larger one than 100 is read as 100. */
export class PageQuery {
  @IsPageNumber(MAX_PAGE, toWholeNumber)
  page = 1;

  @IsPageNumber(MAX_PER_PAGE, toPageSize)
  per_page = 20;

  get offset(): number {
    return (this.page - 1) * this.per_page;
  }
}

/** A page of a list; the pagination interceptor turns it into the body and GitLab's X-* headers. */
export class Page<T> {
  constructor(
    readonly items: T[],
    readonly total: number,
    readonly query: PageQuery,
  ) {}
}
