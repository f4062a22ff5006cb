import type { NextFunction, Request, Response } from 'express';

/**
 * GitLab answers `Content-Type: application/json` with no charset, and python-gitlab compares that header exactly
 * (it rejects `application/json; charset=utf-8` as "not JSON"). Express appends a charset to string bodies, never to
 * buffers, so JSON is sent as a buffer.
 */
export function exactJsonContentType(_request: Request, response: Response, next: NextFunction): void {
  response.json = function sendJson(this: Response, body?: unknown) {
    this.setHeader('Content-Type', 'application/json');
    return body === undefined ? this.send() : this.send(Buffer.from(JSON.stringify(body), 'utf8'));
  };
  next();
}
