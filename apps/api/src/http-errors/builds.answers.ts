import { BuildError } from '../builds/build-errors';
import { ApiError } from '../common/api-error';
import { section } from './table-section';

export const BUILD_ANSWERS = section(BuildError, {
  JOB_TOKEN_REFUSED: ({ jobStatus }) =>
    jobStatus === undefined
      ? ApiError.forbidden()
      : new ApiError(403, { message: '403 Forbidden - Job is not processing on runner' }, { 'Job-Status': jobStatus }),
});
