import { ApiError } from '../common/api-error';
import { MAX_FILE_SIZE } from '../repository/file-limits';
import { RepositoryError } from '../repository/repository-errors';
import type { RefType } from '../repository/repository-ref.entity';
import { section } from './table-section';

/** GitLab answers repository rule violations with its bare message: `{"message": "Branch already exists"}`. */
const bare = (status: number, message: string) => new ApiError(status, { message });

/** GitLab's names of a protection rule: as a resource (`404 Protected Branch Not Found`) and in a sentence. */
const PROTECTED: Record<RefType, { readonly title: string; readonly sentence: string }> = {
  branch: { title: 'Protected Branch', sentence: 'Protected branch' },
  tag: { title: 'Protected Tag', sentence: 'Protected tag' },
};

export const REPOSITORY_ANSWERS = section(RepositoryError, {
  BRANCH_NOT_FOUND: () => ApiError.notFound('Branch'),
  TAG_NOT_FOUND: () => ApiError.notFound('Tag'),
  COMMIT_NOT_FOUND: () => ApiError.notFound('Commit'),
  FILE_NOT_FOUND: () => ApiError.notFound('File'),
  TREE_NOT_FOUND: () => ApiError.notFound('Tree'),
  BRANCH_NAME_INVALID: () => bare(400, 'Branch name is invalid'),
  BRANCH_EXISTS: () => bare(400, 'Branch already exists'),
  BRANCH_START_INVALID: () => bare(400, 'Invalid reference name'),
  PUSH_FORBIDDEN: () => bare(403, 'You are not allowed to push into this branch'),
  DEFAULT_BRANCH_UNDELETABLE: () => bare(403, "The default branch of a project can't be deleted"),
  PROTECTED_BRANCH_UNDELETABLE: () => bare(403, "Protected branch can't be removed"),
  TAG_NAME_INVALID: () => bare(400, 'Tag name invalid'),
  TAG_EXISTS: { answer: ({ name }) => bare(400, `Tag ${name} already exists`), example: { name: 'v1.0.0' } },
  TAG_TARGET_INVALID: { answer: ({ ref }) => bare(400, `Target ${ref} is invalid`), example: { ref: 'no-such-branch' } },
  PROTECTED_TAG_FORBIDDEN: {
    answer: ({ action }) => bare(403, `You are not allowed to ${action} this tag as it is protected.`),
    example: { action: 'create' },
  },
  PROTECTED_REF_NOT_FOUND: { answer: ({ refType }) => ApiError.notFound(PROTECTED[refType].title), example: { refType: 'branch' } },
  PROTECTED_REF_EXISTS: {
    answer: ({ refType, name }) => bare(409, `${PROTECTED[refType].sentence} '${name}' already exists`),
    example: { refType: 'branch', name: 'main' },
  },
  PROTECTED_REF_PATTERN_INVALID: () => ApiError.invalidField('name', 'is not a valid branch or tag name or wildcard pattern'),
  BRANCH_EXISTS_FOR_START_BRANCH: {
    answer: ({ branch }) => bare(400, `A branch called '${branch}' already exists. Switch to that branch in order to make changes`),
    example: { branch: 'feature' },
  },
  START_BRANCH_MISSING: () => bare(400, 'You can only create or edit files when you are on a branch'),
  FILE_TO_UPDATE_MISSING: () => bare(400, "A file with this name doesn't exist"),
  FILE_EXISTS: () => bare(400, 'A file with this name already exists'),
  DIRECTORY_EXISTS: () => bare(400, 'A directory with this name already exists'),
  CONTENT_NOT_BASE64: () => ApiError.invalidField('content', 'is not valid base64'),
  CONTENT_TOO_LARGE: {
    answer: ({ maximumBytes }) => ApiError.invalidField('content', `is too large (maximum is ${maximumBytes} bytes)`),
    example: { maximumBytes: MAX_FILE_SIZE },
  },
  // Gitlab::Git::OperationService's CommitError when the branch moved under the write.
  REF_MOVED: () => bare(400, 'Could not update branch. Please refresh and try again.'),
});
