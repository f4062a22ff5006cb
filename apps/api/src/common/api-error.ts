/** Field → reasons, as GitLab's `{"message": {"name": ["can't be blank"]}}`. */
export type FieldErrors = Record<string, string[]>;

/**
 * An HTTP answer: a status and GitLab's body. Guards, pipes and transport middleware throw these; a module throws its
 * DomainError instead, which the table in http-errors/ turns into one of these. Anything else is a 500.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { message: string | FieldErrors | readonly string[] } | { error: string; [field: string]: string },
    /** Headers the answer carries, as the runner protocol's `Range` and `Job-Status` on a 416 or 403. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(typeof (body as { message?: unknown }).message === 'string' ? (body as { message: string }).message : `HTTP ${status}`);
    this.name = 'ApiError';
  }

  static badRequest(reason: string): ApiError {
    return new ApiError(400, { message: `400 Bad request - ${reason}` });
  }

  static invalidField(field: string, ...reasons: string[]): ApiError {
    return new ApiError(400, { message: { [field]: reasons } });
  }

  /** Grape's answer to a parameter outside its `values:` list, e.g. `scopes does not have a valid value`. */
  static invalidValue(parameter: string): ApiError {
    return new ApiError(400, { error: `${parameter} does not have a valid value` });
  }

  static unauthorized(): ApiError {
    return new ApiError(401, { message: '401 Unauthorized' });
  }

  static forbidden(reason?: string): ApiError {
    return new ApiError(403, { message: reason ? `403 Forbidden - ${reason}` : '403 Forbidden' });
  }

  /** GitLab's OAuth-style refusal of a token whose scopes the route does not accept; `scopes`: what it accepts. */
  static insufficientScope(scopes: readonly string[]): ApiError {
    return new ApiError(403, {
      error: 'insufficient_scope',
      error_description: 'The request requires higher privileges than provided by the access token.',
      scope: scopes.join(' '),
    });
  }

  /** `what` as GitLab names it: `Project`, `Group`, `User`, `Branch`, `File`, … */
  static notFound(what: string): ApiError {
    return new ApiError(404, { message: `404 ${what} Not Found` });
  }

  static conflict(reason: string): ApiError {
    return new ApiError(409, { message: reason });
  }
}

/**
 * An ApiError thrown from Express middleware, such as a body parser's `verify` hook. body-parser writes its own
 * fields (`status`, `body`) onto the error it catches, so the answer travels inside, untouched.
 */
export class MiddlewareRefusal extends Error {
  constructor(readonly answer: ApiError) {
    super(answer.message);
    this.name = 'MiddlewareRefusal';
  }
}
