import { isInteger, isSafeNumber, parse } from 'lossless-json';
import * as z from 'zod';
import { UnparseablePayloadError } from './errors.ts';

/**
 * Parses JSON text without losing integers above 2^53: such integers come back as strings
 * (`820982911946154508`), every other number as a plain `number`. Use this for every provider body;
 * `JSON.parse` would silently round Shopify and Taobao ids.
 */
export function parseJsonSafe(text: string): unknown {
  return parse(text, null, (value: string) => {
    if (isInteger(value) && !isSafeNumber(value)) return value;
    return Number(value);
  });
}

/** `parseJsonSafe` that returns `undefined` instead of throwing, for sniffing a body. */
export function tryParseJson(text: string): unknown {
  try {
    return parseJsonSafe(text);
  } catch {
    return undefined;
  }
}

/**
 * A provider's JSON, read big-int-safely and checked against its schema. Text is parsed; anything
 * else (a field a provider already sent as an object) is checked as is. Either failure is an
 * UnparseablePayloadError in the caller's words, so the inbox item says what was wrong.
 */
export function readJson<S extends z.ZodType>(
  input: unknown,
  schema: S,
  say: { notJson: string; invalid: string },
): z.output<S> {
  let json = input;
  if (typeof input === 'string') {
    try {
      json = parseJsonSafe(input);
    } catch (err) {
      throw new UnparseablePayloadError(`${say.notJson}: ${(err as Error).message}`);
    }
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    // The reason is stored on the failed inbox item: name the fields, briefly.
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`)
      .join('; ');
    throw new UnparseablePayloadError(
      `${say.invalid}${issues ? ` (${issues.slice(0, 1000)})` : ''}`,
      z.treeifyError(parsed.error),
    );
  }
  return parsed.data;
}
