/**
 * Errors that carry their meaning: one middleware (http.ts) maps them to a status and the JSON
 * `{"error":{"code","message"}}`; anything else becomes a 500 with a correlation id.
 */
export class DomainError extends Error {
  readonly statusCode: number = 500;
  readonly code: string = 'internal_error';
  readonly details?: unknown;
  constructor(message: string, details?: unknown) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

export class InvalidRequestError extends DomainError {
  override readonly statusCode = 400;
  override readonly code = 'invalid_request';
}
export class UnauthorizedError extends DomainError {
  override readonly statusCode = 401;
  override readonly code = 'unauthorized';
}
export class InvalidSignatureError extends DomainError {
  override readonly statusCode = 401;
  override readonly code = 'invalid_signature';
}
export class ForbiddenError extends DomainError {
  override readonly statusCode = 403;
  override readonly code = 'forbidden';
}
export class NotFoundError extends DomainError {
  override readonly statusCode = 404;
  override readonly code = 'not_found';
}
export class VersionConflictError extends DomainError {
  override readonly statusCode = 409;
  override readonly code = 'version_conflict';
}
/** A command the state machine does not allow from where the aggregate stands. */
export class InvalidTransitionError extends DomainError {
  override readonly statusCode = 409;
  override readonly code = 'invalid_transition';
}
/** A request the shop's policy refuses; `code` says which rule (`outside_return_window`, ...). */
export class PolicyViolationError extends DomainError {
  override readonly statusCode = 422;
  override readonly code: string;
  constructor(code: string, message: string, details?: unknown) {
    super(message, details);
    this.code = code;
  }
}
export class PayloadTooLargeError extends DomainError {
  override readonly statusCode = 413;
  override readonly code = 'payload_too_large';
}
export class UnsupportedMediaTypeError extends DomainError {
  override readonly statusCode = 415;
  override readonly code = 'unsupported_media_type';
}

/**
 * A signed body we cannot turn into canonical events. Not retried: the inbox item is marked
 * `failed` with this message and kept for replay once the connector (or the data) is fixed.
 */
export class UnparseablePayloadError extends DomainError {
  override readonly statusCode = 422;
  override readonly code = 'unparseable_payload';
}

/**
 * Whether retrying can never help: the data itself is what is wrong. Such a failure marks its
 * inbox item `failed` at once (kept for replay once the code or data is fixed) instead of being
 * retried into the DLQ while the item sits in `received`.
 * - our own typed errors below 500 (a body we cannot parse, an invalid request), except a
 *   version conflict, which the next try usually wins;
 * - a value no calendar holds (`new Date(...)` arithmetic throws RangeError);
 * - DynamoDB refusing the item itself (a key over 2 KB, an item over 400 KB): ValidationException,
 *   or a cancelled transaction whose reason is a ValidationError.
 */
export function isPermanent(err: unknown): boolean {
  if (err instanceof DomainError) return err.statusCode < 500 && !(err instanceof VersionConflictError);
  if (err instanceof RangeError) return true;
  if (!(err instanceof Error)) return false;
  if (err.name === 'ZodError' || err.name === 'ValidationException') return true;
  const reasons = (err as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
  return err.name === 'TransactionCanceledException' && !!reasons?.some((r) => r.Code === 'ValidationError');
}

/** The reason stored on a failed inbox item, in words a person can act on. */
export function failureReason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name === 'ValidationException' || err.name === 'TransactionCanceledException') {
    return `the data does not fit the table (${err.message})`;
  }
  if (err instanceof RangeError) return `a date or number is out of range (${err.message})`;
  return err.message;
}
