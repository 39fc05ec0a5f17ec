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
