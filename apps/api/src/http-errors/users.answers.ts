import { ApiError } from '../common/api-error';
import { UserError } from '../users/user-errors';
import { section } from './table-section';

export const USER_ANSWERS = section(UserError, {
  USER_NOT_FOUND: () => ApiError.notFound('User'),
  SELF_BLOCK: () => ApiError.forbidden('The API initiating user cannot be blocked by the API'),
  USERNAME_TAKEN: () => ApiError.conflict('Username has already been taken'),
  EMAIL_TAKEN: () => ApiError.conflict('Email has already been taken'),
  TOKEN_SCOPE_UNKNOWN: () => ApiError.invalidValue('scopes'),
  TOKEN_EXPIRY_NOT_FUTURE: () => ApiError.invalidField('expires_at', 'must be in the future'),
  TOKEN_EXPIRY_TOO_LATE: {
    answer: ({ latest }) => ApiError.badRequest(`Expires at must be before ${latest}`),
    example: { latest: '2027-01-31' },
  },
  TOKEN_OWNER_NOT_FOUND: () => new ApiError(404, { message: '404 Not Found' }),
  TOKEN_NOT_FOUND: () => new ApiError(404, { message: '404 Not Found' }),
  TOKEN_OF_ANOTHER_USER: () => ApiError.unauthorized(),
  TOKEN_REVOKE_NOT_PERMITTED: () => new ApiError(400, { message: '400 Bad request' }),
  TOKEN_ALREADY_REVOKED: () => ApiError.badRequest('Token already revoked'),
});
