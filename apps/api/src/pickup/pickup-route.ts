import type { ValidationPipe } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { JobRequestDto } from './dto/job-request.dto';
import type { HttpExceptionFilter } from '../common/http-exception.filter';
import type { PickupService } from './pickup.service';

export const PICKUP_PATH = '/api/v4/jobs/request';

/**
 * `POST /api/v4/jobs/request`, the hottest request there is (every runner polls it every few seconds), answered as
 * Express middleware: after what every request passes (request id and log line, exact JSON content type, body parsers
 * with the nesting check, query merged into the body) but before Nest's per-request pipeline (router, guards,
 * interceptors, observables), as discovery and the JWKS are. Same validation (the global pipe on `JobRequestDto`) and
 * the same errors (the exception filter's answers) as `PickupController`, which serves the variants this does not
 * match (a trailing slash, …) and documents the route.
 */
export function pickupRoute(pickup: PickupService, validation: ValidationPipe, errors: HttpExceptionFilter) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (request.method !== 'POST' || request.path !== PICKUP_PATH) return next();
    answer(request, response).catch((error: unknown) => errors.respond(error, request, response));
  };

  async function answer(request: Request, response: Response): Promise<void> {
    const dto = (await validation.transform(request.body ?? {}, { type: 'body', metatype: JobRequestDto })) as JobRequestDto;
    const payload = await pickup.request(dto.token);
    if (payload) response.status(201).json(payload);
    else response.status(204).end();
  }
}
