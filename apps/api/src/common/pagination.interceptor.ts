import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable, map } from 'rxjs';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Page } from './pagination';

/**
 * The longest Link header sent. It repeats the request's query up to four times, so a long query would make headers
 * no client reads (Node's limit is 16 KiB) and a proxy refuses (nginx answers 502 past its 4 or 8 KiB buffer).
 */
const LINK_HEADER_MAX = 8 * 1024;

/** Sets X-Page, X-Per-Page, X-Next-Page, X-Prev-Page, X-Total, X-Total-Pages and Link, as GitLab does. */
@Injectable()
export class PaginationInterceptor implements NestInterceptor {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((result) => {
        if (!(result instanceof Page)) return result;
        const http = context.switchToHttp();
        setPaginationHeaders(this.config.externalUrl, http.getRequest<Request>(), http.getResponse<Response>(), result);
        return result.items;
      }),
    );
  }
}

function setPaginationHeaders(externalUrl: string, request: Request, response: Response, page: Page<unknown>): void {
  const { page: current, per_page: perPage } = page.query;
  const totalPages = Math.max(1, Math.ceil(page.total / perPage));
  const next = current < totalPages ? current + 1 : null;
  const prev = current > 1 ? current - 1 : null;
  response.setHeader('X-Page', String(current));
  response.setHeader('X-Per-Page', String(perPage));
  response.setHeader('X-Total', String(page.total));
  response.setHeader('X-Total-Pages', String(totalPages));
  response.setHeader('X-Next-Page', next === null ? '' : String(next));
  response.setHeader('X-Prev-Page', prev === null ? '' : String(prev));
  // Absolute, as python-gitlab follows `next` as given; on the external URL, as GitLab's, never on a Host header the
  // client chose (a cache would hand the forged links to everyone).
  const url = new URL(`${externalUrl}${request.originalUrl}`);
  const link = (target: number, rel: string) => {
    url.searchParams.set('page', String(target));
    url.searchParams.set('per_page', String(perPage));
    return `<${url.href}>; rel="${rel}"`;
  };
  const links = [link(1, 'first'), link(totalPages, 'last')];
  if (next !== null) links.unshift(link(next, 'next'));
  if (prev !== null) links.unshift(link(prev, 'prev'));
  const header = links.join(', ');
  // Without it a client still pages through X-Next-Page; only a query no real client sends is that long.
  if (header.length <= LINK_HEADER_MAX) response.setHeader('Link', header);
}
