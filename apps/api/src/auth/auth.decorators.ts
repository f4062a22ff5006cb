import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { ApiError } from '../common/api-error';
import type { Caller as CallerType } from './caller';

export const PUBLIC_ROUTE = 'lanyard:public';

/** A route anyone may call (health, discovery, runner endpoints that authenticate by body token). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): CallerType => {
  const caller = context.switchToHttp().getRequest<Request>().caller;
  if (!caller) throw ApiError.unauthorized();
  return caller;
});
