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

/** Integer rules (which the OpenAPI document shows) with one reason naming the range, whatever was wrong. */
const IsPageNumber = (max: number) => {
  const message = { message: `must be a whole number from 1 to ${max}` };
  return applyDecorators(IsOptional(), Transform(toWholeNumber), IsInt(message), Min(1, message), Max(max, message));
};

/** GitLab's `page`/`per_page`: per_page defaults to 20, at most 100. */
export class PageQuery {
  @IsPageNumber(MAX_PAGE)
  page = 1;

  @IsPageNumber(MAX_PER_PAGE)
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
