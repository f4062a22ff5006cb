/** Field → reasons, as GitLab's `{"message": {"name": ["can't be blank"]}}`. */
export type FieldErrors = Record<string, string[]>;

/** Every error the API answers on purpose; anything else is a 500 with a generic message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { message: string | FieldErrors } | { error: string },
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

  static unauthorized(): ApiError {
    return new ApiError(401, { message: '401 Unauthorized' });
  }

  static forbidden(reason?: string): ApiError {
    return new ApiError(403, { message: reason ? `403 Forbidden - ${reason}` : '403 Forbidden' });
  }

  /** `what` as GitLab names it: `Project`, `Group`, `User`, `Branch`, `File`, … */
  static notFound(what: string): ApiError {
    return new ApiError(404, { message: `404 ${what} Not Found` });
  }

  static conflict(reason: string): ApiError {
    return new ApiError(409, { message: reason });
  }
}
