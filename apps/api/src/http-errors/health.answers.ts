import { ApiError } from '../common/api-error';
import { HealthError } from '../health/health-errors';
import { section } from './table-section';

export const HEALTH_ANSWERS = section(HealthError, {
  DATABASE_UNREACHABLE: () => new ApiError(503, { message: '503 Service Unavailable - database unreachable' }),
});
