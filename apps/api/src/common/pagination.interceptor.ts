import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable, map } from 'rxjs';
import { Page } from './pagination';

/** Sets X-Page, X-Per-Page, X-Next-Page, X-Prev-Page, X-Total, X-Total-Pages and Link, as GitLab does. */
@Injectable()
export class PaginationInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((result) => {
        if (!(result instanceof Page)) return result;
        const http = context.switchToHttp();
        setPaginationHeaders(http.getRequest<Request>(), http.getResponse<Response>(), result);
        return result.items;
      }),
    );
  }
}

function setPaginationHeaders(request: Request, response: Response, page: Page<unknown>): void {
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
  // Absolute, on the host the client called: python-gitlab follows `next` as given.
  const url = new URL(request.originalUrl, `${request.protocol}://${request.get('host') ?? 'localhost'}`);
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
