import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError, FieldErrors } from './api-error';

/**
 * Fields we do not implement are dropped, as GitLab ignores unknown parameters (clients send many); the fields we
 * do implement are validated strictly and reported as GitLab does: `{"message": {"field": ["reason"]}}`.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    transform: true,
    forbidUnknownValues: false,
    exceptionFactory: (errors) => new ApiError(400, { message: collectFieldErrors(errors) }),
  });
}

function collectFieldErrors(errors: ValidationError[], prefix = ''): FieldErrors {
  const fields: FieldErrors = {};
  for (const error of errors) {
    const field = prefix + error.property;
    // Rules sharing one message (a range said once for its type, lower and upper bound) give it once.
    if (error.constraints) fields[field] = [...new Set(Object.values(error.constraints))];
    if (error.children?.length) Object.assign(fields, collectFieldErrors(error.children, `${field}.`));
  }
  return fields;
}
