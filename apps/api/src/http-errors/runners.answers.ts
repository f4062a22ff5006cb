import { ApiError } from '../common/api-error';
import { RunnerError } from '../runners/runner-errors';
import { section } from './table-section';

export const RUNNER_ANSWERS = section(RunnerError, {
  GITLAB_HOSTED_ADMIN_ONLY: () => ApiError.forbidden('only administrators may create gitlab-hosted runners'),
  INSTANCE_RUNNER_ADMIN_ONLY: () => ApiError.forbidden('only administrators may create instance runners'),
  // GitLab's `authenticated_as_admin!`.
  ADMIN_ONLY: () => ApiError.forbidden(),
  // Grape's `at_least_one_of` answer, in its `error` shape.
  NOTHING_TO_UPDATE: () =>
    new ApiError(400, {
      error:
        'description, active, paused, tag_list, run_untagged, locked, maximum_timeout are missing, at least one parameter must be provided',
    }),
  RUNNER_TOKEN_REFUSED: () => ApiError.forbidden(),
  RUNNER_NOT_FOUND: () => ApiError.notFound('Runner'),
  MANAGEMENT_FORBIDDEN: () => ApiError.forbidden('No access granted'),
  GROUP_NOT_FOUND: () => ApiError.notFound('Group'),
  PROJECT_NOT_FOUND: () => ApiError.notFound('Project'),
  TAGS_REQUIRED: () => ApiError.invalidField('tags_list', 'can not be empty when runner is not allowed to pick untagged jobs'),
});
