import { ApiError } from '../common/api-error';

/** GitLab answers repository rule violations with its bare message: `{"message": "Branch already exists"}`. */
export function repositoryError(message: string, status = 400): ApiError {
  return new ApiError(status, { message });
}

export const PUSH_FORBIDDEN = 'You are not allowed to push into this branch';
