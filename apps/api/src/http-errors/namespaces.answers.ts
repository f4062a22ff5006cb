import { ApiError } from '../common/api-error';
import { NamespaceError } from '../namespaces/namespace-errors';
import { section } from './table-section';

/** `Groups::TransferService`'s answer: `Transfer failed: <reason>`, a 400. */
const transferFailed = (reason: string) => new ApiError(400, { message: `Transfer failed: ${reason}` });

export const NAMESPACE_ANSWERS = section(NamespaceError, {
  PATH_TAKEN: () => ApiError.invalidField('path', 'has already been taken'),
  PARENT_GROUP_NOT_FOUND: () => ApiError.notFound('Parent group'),
  SUBGROUP_CREATION_FORBIDDEN: () => ApiError.forbidden('you may not create subgroups in this group'),
  VISIBILITY_ABOVE_PARENT: {
    answer: ({ visibility, parentVisibility }) =>
      ApiError.invalidField(
        'visibility_level',
        `${visibility} is not allowed since the parent group has a ${parentVisibility} visibility.`,
      ),
    example: { visibility: 'public', parentVisibility: 'private' },
  },
  VISIBILITY_BELOW_DESCENDANTS: {
    answer: ({ visibility }) =>
      ApiError.invalidField(
        'visibility_level',
        `${visibility} is not allowed since this group contains projects or subgroups with higher visibility.`,
      ),
    example: { visibility: 'private' },
  },
  TRANSFER_TARGET_NOT_FOUND: () => ApiError.notFound('Group'),
  TRANSFER_ALREADY_ROOT: () => transferFailed('Group is already a root group.'),
  TRANSFER_ALREADY_IN_PARENT: () => transferFailed('Group is already associated to the parent group.'),
  TRANSFER_PERMISSION_DENIED: () => transferFailed("You don't have enough permissions."),
  TRANSFER_PATH_TAKEN: () => transferFailed('The parent group already has a subgroup or a project with the same path.'),
  TRANSFER_INTO_OWN_SUBGROUP: () => transferFailed('Cannot transfer group to one of its subgroup.'),
});
