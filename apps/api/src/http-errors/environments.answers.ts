import { ENVIRONMENT_NAME_MESSAGE } from '@lanyard/ci-config';
import { ApiError } from '../common/api-error';
import { EnvironmentError } from '../environments/environment-errors';
import { section } from './table-section';

/** GitLab's body for a record that does not exist (ActiveRecord::RecordNotFound). */
const recordNotFound = () => new ApiError(404, { message: '404 Not found' });

export const ENVIRONMENT_ANSWERS = section(EnvironmentError, {
  ENVIRONMENT_NOT_FOUND: recordNotFound,
  NAME_TAKEN: () => ApiError.invalidField('name', 'has already been taken'),
  NAME_INVALID: () => ApiError.invalidField('name', ENVIRONMENT_NAME_MESSAGE),
  PROTECTED_ENVIRONMENT_NOT_FOUND: recordNotFound,
  PROTECTED_ENVIRONMENT_EXISTS: {
    answer: ({ name }) => ApiError.conflict(`Protected environment '${name}' already exists`),
    example: { name: 'production' },
  },
  // Rails' `belongs_to` presence, under GitLab's nested field names.
  DEPLOY_USER_MISSING: () => ApiError.invalidField('deploy_access_levels.user', "can't be blank"),
  DEPLOY_GROUP_MISSING: () => ApiError.invalidField('deploy_access_levels.group', "can't be blank"),
});
