import { ApiError } from '../common/api-error';
import { MergeRequestError } from '../merge-requests/merge-request-errors';
import { section } from './table-section';

/** GitLab validates a merge request's branches with these answers (`handle_merge_request_errors!`). */
const unprocessable = (reason: string) => new ApiError(422, { message: [reason] });

/** Grape's `not_allowed!`. */
const methodNotAllowed = () => new ApiError(405, { message: '405 Method Not Allowed' });

export const MERGE_REQUEST_ANSWERS = section(MergeRequestError, {
  MERGE_REQUEST_NOT_FOUND: () => ApiError.notFound('Merge Request'),
  TARGET_PROJECT_NOT_FOUND: () => ApiError.notFound('Project'),
  NOT_A_FORK_OF_TARGET: () => unprocessable('Source project is not a fork of the target project'),
  SAME_SOURCE_AND_TARGET: () => unprocessable("You can't use same project/branch for source and target"),
  SOURCE_BRANCH_MISSING: {
    answer: ({ branch }) => new ApiError(400, { message: [`Source branch "${branch}" does not exist`] }),
    example: { branch: 'feature' },
  },
  TARGET_BRANCH_MISSING: {
    answer: ({ branch }) => new ApiError(400, { message: [`Target branch "${branch}" does not exist`] }),
    example: { branch: 'main' },
  },
  OPEN_DUPLICATE: {
    answer: ({ iid }) => unprocessable(`Another open merge request already exists for this source branch: !${iid}`),
    example: { iid: 1 },
  },
  READ_FORBIDDEN: () => ApiError.forbidden(),
  UPDATE_FORBIDDEN: () => ApiError.forbidden(),
  SOURCE_PROJECT_DELETED: methodNotAllowed,
  PIPELINE_NOT_ALLOWED: methodNotAllowed,
});
