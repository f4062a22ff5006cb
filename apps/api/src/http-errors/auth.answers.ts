import { AuthError } from '../auth/auth-errors';
import { ApiError } from '../common/api-error';
import { section } from './table-section';

export const AUTH_ANSWERS = section(AuthError, {
  RESOURCE_NOT_VISIBLE: { answer: ({ resource }) => ApiError.notFound(resource), example: { resource: 'Project' } },
  ACCESS_LEVEL_TOO_LOW: () => ApiError.forbidden(),
});
