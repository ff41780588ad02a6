/**
 * Codes the client itself produces, besides the backend's own (`duplicate_registration`, …):
 * no answer in time, no answer at all, an answer that does not fit the contract.
 */
export type ClientErrorCode = 'timeout' | 'network_error' | 'invalid_response';

/**
 * Every failure of a client call (SPEC §4). `status` is the HTTP status of the backend's
 * answer, or 0 when there was none (`timeout`, `network_error`). The message is safe to show
 * and to log: it never holds the API key, a URL with credentials, or the request body.
 */
export class ConferaApiError extends Error {
  readonly status: number;
  /** The backend's error code (SPEC §2 table) or one of {@link ClientErrorCode}. */
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(init: { status: number; code: string; message: string; details?: Record<string, unknown> | undefined; cause?: unknown }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ConferaApiError';
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
  }

  toJSON(): { status: number; code: string; message: string; details?: Record<string, unknown> } {
    return { status: this.status, code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

/**
 * True for a {@link ConferaApiError}. Checks the shape, not only `instanceof`, so that it
 * holds across two copies of the SDK in one process (a hoisted and a nested dependency).
 */
export function isConferaApiError(error: unknown): error is ConferaApiError {
  if (error instanceof ConferaApiError) return true;
  return (
    error instanceof Error &&
    error.name === 'ConferaApiError' &&
    typeof (error as { status?: unknown }).status === 'number' &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}
