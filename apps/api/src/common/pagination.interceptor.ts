import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable, map } from 'rxjs';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Page } from './pagination';

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
  response.setHeader('Link', links.join(', '));
}
