import { ERROR_STATUS, type ErrorBody, type ErrorCode, type FieldErrors } from '../contract/index.js';

/**
 * The backend's one error type. Thrown anywhere; the error middleware turns it into the
 * SPEC §2 body `{ error: { code, message, details? } }` with the status of its code.
 * The message is shown to the caller: never put SQL, a secret or a stack in it.
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  /** Extra response headers (Allow, Retry-After). */
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
    this.headers = headers;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }

  static validation(fields: FieldErrors, message = 'Some fields are not valid'): ApiError {
    return new ApiError('validation_failed', message, { fields });
  }
}
