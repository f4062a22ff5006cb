import { ValidationPipe } from '@nestjs/common';
import { toGitLabValidationError } from './grape-validation';

/**
 * Fields we do not implement are dropped, as GitLab ignores unknown parameters (clients send many); the fields we
 * do implement are validated strictly and refused in GitLab's words (`grape-validation.ts`).
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    transform: true,
    forbidUnknownValues: false,
    // The object each failure was found in: whether a parameter was left out, and which rules carry their own message.
    validationError: { target: true },
    exceptionFactory: (errors) => toGitLabValidationError(errors),
  });
}
