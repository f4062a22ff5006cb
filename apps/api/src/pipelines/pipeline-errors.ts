import { ApiError } from '../common/api-error';

/** GitLab answers a pipeline that cannot be created with `400 {"message": {"base": [reasons]}}`. */
export function pipelineNotCreated(...reasons: string[]): ApiError {
  return new ApiError(400, { message: { base: reasons } });
}
