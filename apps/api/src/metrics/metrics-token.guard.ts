import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ApiError } from '../common/api-error';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { metricsAccess } from './metrics-access';

/** `GET /-/metrics` takes the metrics bearer token, not a personal access token (the route is @Public to the auth guard). */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const access = metricsAccess(this.config.metricsToken, request.get('authorization'));
    // Unconfigured, the endpoint answers as any unknown path does.
    if (access === 'disabled') throw new ApiError(404, { message: '404 Not Found' });
    if (access === 'refused') throw new ApiError(401, { message: '401 Unauthorized' }, { 'WWW-Authenticate': 'Bearer realm="metrics"' });
    return true;
  }
}
