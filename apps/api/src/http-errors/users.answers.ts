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
});
