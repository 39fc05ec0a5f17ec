import { isInteger, isSafeNumber, parse } from 'lossless-json';

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
