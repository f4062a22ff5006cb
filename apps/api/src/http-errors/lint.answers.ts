import { ApiError } from '../common/api-error';
import { LintError } from '../lint/lint-errors';
import { section } from './table-section';

export const LINT_ANSWERS = section(LintError, {
  CI_CONFIG_NOT_FOUND: () => ApiError.notFound('CI config file'),
});
