import { ApiError } from '../common/api-error';
import { PipelineError } from '../pipelines/pipeline-errors';
import { section } from './table-section';

export const PIPELINE_ANSWERS = section(PipelineError, {
  PIPELINE_NOT_CREATED: {
    answer: ({ reasons }) => new ApiError(400, { message: { base: [...reasons] } }),
    example: { reasons: ['Reference not found'] },
  },
  PIPELINE_NOT_FOUND: () => ApiError.notFound('Pipeline'),
  LATEST_PIPELINE_NOT_FOUND: () => ApiError.forbidden(),
  PIPELINE_VARIABLES_FORBIDDEN: () => ApiError.forbidden(),
  JOB_NOT_FOUND: () => ApiError.notFound('Job'),
  JOB_PLAY_FORBIDDEN: () => ApiError.forbidden(),
  JOB_NOT_PLAYABLE: () => ApiError.badRequest('Unplayable Job'),
  JOB_UPDATE_FORBIDDEN: () => ApiError.forbidden(),
  JOB_NOT_RETRYABLE: () => ApiError.forbidden('Job is not retryable'),
  JOB_ERASE_FORBIDDEN: () => ApiError.forbidden(),
  JOB_NOT_ERASABLE: () => ApiError.forbidden('Job is not erasable!'),
  PIPELINE_UPDATE_FORBIDDEN: () => ApiError.forbidden(),
});
