import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { ApiError } from './api-error';
import { toGitLabValidationError } from './grape-validation';
import { illFormedParameter } from './well-formed-text';

/**
 * Fields we do not implement are dropped, as GitLab ignores unknown parameters (clients send many); the fields we
 * do implement are validated strictly and refused in GitLab's words (`grape-validation.ts`).
 */
export function createValidationPipe(): ValidationPipe {
  return new GitLabValidationPipe({
    whitelist: true,
    transform: true,
    forbidUnknownValues: false,
    // The object each failure was found in: whether a parameter was left out, and which rules carry their own message.
    validationError: { target: true },
    exceptionFactory: (errors) => toGitLabValidationError(errors),
  });
}

/** What a client sent; a custom decorator's value (the caller, …) is the server's own. */
const CLIENT_INPUT: ReadonlySet<string> = new Set(['body', 'query', 'param']);

/** A decimal integer, as GitLab's ids are written. */
const DECIMAL_INTEGER = /^-?[0-9]+$/;

/**
 * Two checks before class-validator's rules:
 * - Text that is not well-formed Unicode (a lone surrogate) is refused, naming the parameter as Grape does: it cannot
 *   be stored or compared faithfully, and validator.js's `isByteLength` (inside `IsEmail`, `IsUrl`, …) throws on it,
 *   which answered 500 (issue 19's fuzz pass).
 * - Nest's pipe turns a numeric path or query parameter into a number with `+value` before `ParseIntPipe` sees it, so
 *   `0x10`, `1e1`, `16.0` or ` 16` named id 16 (the fuzz pass reset a runner through `/runners/0x10/…`). Only decimal
 *   digits are converted; any other spelling stays text, for `ParseIntPipe` or the DTO's rules to refuse.
 */
class GitLabValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const illFormed = CLIENT_INPUT.has(metadata.type) ? illFormedParameter(value, metadata.data ?? '') : null;
    if (illFormed !== null) throw new ApiError(400, { error: `${illFormed} is invalid` });
    return super.transform(value, metadata);
  }

  protected override transformPrimitive(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.metatype === Number && typeof value === 'string' && !DECIMAL_INTEGER.test(value)) return value;
    return super.transformPrimitive(value, metadata);
  }
}
