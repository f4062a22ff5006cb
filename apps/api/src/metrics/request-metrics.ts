import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { type RoutedRequest, routeLabel } from './metric-values';
import type { MetricsService } from './metrics.service';

/**
 * Times every request from the moment the server hands it over, so the answers given in front of Express (discovery,
 * the JWKS) and in front of Nest's router (the pickup) count too. Express decorates this same request object, so when
 * the response finishes it carries the route that answered; `staticPaths` name what those fast paths serve.
 */
export function recordRequests(metrics: MetricsService, staticPaths: readonly string[]) {
  const paths = new Set(staticPaths);
  return (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    const started = performance.now();
    response.once('finish', () => {
      const routed = request as IncomingMessage & Partial<Pick<RoutedRequest, 'baseUrl' | 'route'>> & { originalUrl?: string };
      const url = routed.originalUrl ?? request.url ?? '';
      const query = url.indexOf('?');
      const route = routeLabel({ path: query < 0 ? url : url.slice(0, query), baseUrl: routed.baseUrl, route: routed.route }, paths);
      metrics.observeRequest(request.method ?? '', route, response.statusCode, (performance.now() - started) / 1000);
    });
    next();
  };
}
