import { randomUUID } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod';
import { DomainError, InvalidRequestError, PayloadTooLargeError } from './errors.ts';
import { logger } from './logger.ts';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details !== undefined && { details }) } };
}

/** The request body exactly as sent (API Gateway base64-encodes anything it deems binary). */
export function rawBody(event: HttpEvent): Buffer {
  if (event.body === undefined || event.body === null) return Buffer.alloc(0);
  return Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
}

/** Decoded size without decoding, so an oversize body is refused before any work is done on it. */
export function rawBodyLength(event: HttpEvent): number {
  if (!event.body) return 0;
  if (!event.isBase64Encoded) return Buffer.byteLength(event.body, 'utf8');
  const padding = event.body.endsWith('==') ? 2 : event.body.endsWith('=') ? 1 : 0;
  return Math.floor((event.body.length * 3) / 4) - padding;
}

/** API bodies are small JSON documents; anything larger is refused before parsing. */
const MAX_API_BODY_BYTES = 64 * 1024;

/** The request's JSON body parsed with a schema: 413 if too large, 400 if not JSON or not valid. */
export function jsonBody<T extends z.ZodType>(event: HttpEvent, schema: T, what = 'body'): z.output<T> {
  if (rawBodyLength(event) > MAX_API_BODY_BYTES) {
    throw new PayloadTooLargeError(`the body exceeds ${MAX_API_BODY_BYTES} bytes`);
  }
  const text = rawBody(event).toString('utf8');
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new InvalidRequestError(`the ${what} is not valid JSON`);
  }
  return parseWith(schema, value, what);
}

/** Parses with a zod schema; a mismatch is a 400 `invalid_request` carrying the issues. */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InvalidRequestError(
      `invalid ${what}`,
      result.error.issues.map(({ path, message, code }) => ({ path, message, code })),
    );
  }
  return result.data;
}

/**
 * Last middleware: typed errors become their status and `{"error":{"code","message"}}`; anything
 * else is a 500 with a correlation id, logged in full, and nothing internal in the response.
 */
export function httpErrors(): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    onError: async (request) => {
      const err = request.error;
      if (err instanceof DomainError) {
        if (err.statusCode >= 500) logger.error('request failed', { error: err });
        request.response = json(err.statusCode, errorBody(err.code, err.message, err.details));
        return;
      }
      const correlationId = request.event.requestContext?.requestId ?? randomUUID();
      logger.error('unhandled error', { error: err as Error, correlationId });
      request.response = json(500, {
        error: { code: 'internal_error', message: 'something went wrong on our side', correlationId },
      });
    },
  };
}
