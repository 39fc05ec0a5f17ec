import { InvalidRequestError } from '../../lib/errors.ts';

/**
 * Page cursors handed out by list queries: the query's LastEvaluatedKey, base64url JSON, checked on
 * the way back in. A cursor must decode to exactly the key attributes that query produces, all
 * short strings, with its index partition equal to the one the new request queries: a cursor made
 * for another shop or another query, or crafted by hand, is a 400, never a DynamoDB error (500)
 * and never a read outside the shop.
 */
export interface CursorShape {
  /** Attribute names of the key (table keys plus the index's). */
  attributes: string[];
  /** Attribute values the key must have exactly (the partition being queried). */
  fixed: Record<string, string>;
  /** Further checks, e.g. that the table pk belongs to the shop. */
  check?: (key: Record<string, string>) => boolean;
}

const MAX_CURSOR_CHARS = 2000;

export function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, shape: CursorShape): Record<string, string> {
  const refuse = () => new InvalidRequestError('cursor is not one this API handed out for this query');
  if (cursor.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw refuse();
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  if (!key || typeof key !== 'object' || Array.isArray(key)) throw refuse();
  const entries = Object.entries(key as Record<string, unknown>);
  const names = entries.map(([name]) => name).sort();
  if (names.join('\u0000') !== [...shape.attributes].sort().join('\u0000')) throw refuse();
  if (!entries.every(([, value]) => typeof value === 'string' && value.length > 0 && value.length <= 1024)) {
    throw refuse();
  }
  const typed = key as Record<string, string>;
  if (!Object.entries(shape.fixed).every(([name, value]) => typed[name] === value)) throw refuse();
  if (shape.check && !shape.check(typed)) throw refuse();
  return typed;
}
