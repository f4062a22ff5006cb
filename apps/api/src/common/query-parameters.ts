import type { NextFunction, Request, Response } from 'express';

/**
 * GitLab's API (Grape) reads a POST or PUT's parameters from the query string as well as the body, and its documented
 * examples rely on it (`curl -X POST ".../pipeline?ref=main"`). The body wins where both name a parameter.
 */
export function mergeQueryIntoBody(request: Request, _response: Response, next: NextFunction): void {
  const writes = request.method === 'POST' || request.method === 'PUT';
  const body: unknown = request.body;
  const bodyIsObject = body === undefined || (typeof body === 'object' && body !== null && !Array.isArray(body));
  if (writes && bodyIsObject && Object.keys(request.query).length > 0) {
    request.body = { ...request.query, ...(body as Record<string, unknown> | undefined) };
  }
  next();
}
