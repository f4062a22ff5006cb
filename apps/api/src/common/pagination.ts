import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_PER_PAGE = 100;

/** GitLab's `page`/`per_page`: per_page defaults to 20, at most 100. */
export class PageQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page = 1;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PER_PAGE)
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
