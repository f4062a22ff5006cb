import { ApiError } from '../common/api-error';
import { PATH_MESSAGE } from '../common/path-rules';
import { ProjectError } from '../projects/project-errors';
import { section } from './table-section';

/** GitLab's answer to a refused transfer: Grape's rendering of `project.errors.messages` (Ruby hash syntax). */
const transferRefused = (reason: string) =>
  new ApiError(400, { message: `Failed to transfer project {:new_namespace=>[${JSON.stringify(reason)}]}` });

export const PROJECT_ANSWERS = section(ProjectError, {
  NAME_OR_PATH_REQUIRED: () => ApiError.invalidField('name', 'name or path is required'),
  PATH_NOT_DERIVABLE: () => ApiError.invalidField('path', 'cannot be derived from name; give a path'),
  PATH_INVALID: () => ApiError.invalidField('path', PATH_MESSAGE),
  PATH_TAKEN: () => ApiError.invalidField('path', 'has already been taken'),
  FORK_PATH_TAKEN: () => new ApiError(409, { message: { path: ['has already been taken'] } }),
  VISIBILITY_ABOVE_GROUP: {
    answer: ({ visibility, groupVisibility }) =>
      ApiError.invalidField('visibility_level', `${visibility} is not allowed in a ${groupVisibility} group.`),
    example: { visibility: 'public', groupVisibility: 'private' },
  },
  VISIBILITY_ABOVE_FORK_SOURCE: {
    answer: ({ visibility }) =>
      ApiError.invalidField('visibility_level', `${visibility} is not allowed since the fork source project has lower visibility.`),
    example: { visibility: 'public' },
  },
  OWNER_ONLY_CHANGE: () => ApiError.forbidden(),
  OVERRIDE_ROLE_OWNER_CHANGE: {
    answer: ({ direction }) =>
      new ApiError(400, { message: `Changing the ci_pipeline_variables_minimum_override_role ${direction} the owner role is not allowed` }),
    example: { direction: 'to' },
  },
  DEFAULT_BRANCH_MISSING: () => ApiError.invalidField('default_branch', 'must be an existing branch'),
  NAMESPACE_NOT_FOUND: () => ApiError.notFound('Namespace'),
  PROJECT_CREATION_FORBIDDEN: () => ApiError.forbidden('you may not create projects in this namespace'),
  FORK_FORBIDDEN: () => ApiError.forbidden(),
  TRANSFER_SAME_NAMESPACE: () => transferRefused('Project is already in this namespace.'),
  TRANSFER_PERMISSION_DENIED: () => transferRefused("You don't have permission to transfer projects into that namespace."),
  TRANSFER_NAME_OR_PATH_TAKEN: () => transferRefused('Project with same name or path in target namespace already exists'),
  PROJECT_NOT_FOUND: () => ApiError.notFound('Project'),
  RECLAIMED_PATH_NOT_FOUND: () => ApiError.notFound('Reclaimed path'),
});
