import { BuildError } from '../builds/build-errors';
import { ApiError } from '../common/api-error';
import { section } from './table-section';

export const BUILD_ANSWERS = section(BuildError, {
  JOB_TOKEN_REFUSED: () => ApiError.forbidden(),
});
