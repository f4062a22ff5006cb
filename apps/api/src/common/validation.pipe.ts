import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { toGitLabValidationError } from './grape-validation';

/**
 * Fields we do not implement are dropped, as GitLab ignores unknown parameters (clients send many); the fields we
 * do implement are validated strictly and refused in GitLab's words (`grape-validation.ts`).
 */
export function createValidationPipe(): ValidationPipe {
  return new DecimalIdsValidationPipe({
    whitelist: true,
    transform: true,
    forbidUnknownValues: false,
    // The object each failure was found in: whether a parameter was left out, and which rules carry their own message.
    validationError: { target: true },
    exceptionFactory: (errors) => toGitLabValidationError(errors),
  });
}

/** A decimal integer, as GitLab's ids are written. */
const DECIMAL_INTEGER = /^-?[0-9]+$/;

/**
 * Nest's pipe turns a numeric path or query parameter into a number with `+value` before `ParseIntPipe` sees it, so
 * `0x10`, `1e1`, `16.0` or ` 16` named id 16 (the fuzz pass reset a runner through `/runners/0x10/…`). Only decimal
 * digits are converted; any other spelling stays text, for `ParseIntPipe` or the DTO's rules to refuse.
 */
class DecimalIdsValidationPipe extends ValidationPipe {
  protected override transformPrimitive(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.metatype === Number && typeof value === 'string' && !DECIMAL_INTEGER.test(value)) return value;
    return super.transformPrimitive(value, metadata);
  }
}
