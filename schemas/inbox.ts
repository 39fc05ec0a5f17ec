import * as z from 'zod';

export const InboxStatus = z.enum(['received', 'processed', 'ignored', 'failed']);
export type InboxStatus = z.infer<typeof InboxStatus>;

/**
 * A webhook request as it was received, kept for processing and replay (pk
 * `SHOP#{shopId}#IN#{inboxId}`). The body is the exact bytes; it is a Buffer, so this is an
 * interface rather than a schema: nothing parses it from outside.
 */
export interface InboxItem {
  shopId: string;
  inboxId: string;
  provider: string;
  topic?: string;
  dedupeKey: string;
  status: InboxStatus;
  receivedAt: string;
  updatedAt: string;
  body: Buffer;
  headers: Record<string, string>;
  query: Record<string, string>;
  attempts: number;
  error?: string;
  eventIds?: string[];
}

/** An inbox item without its request, as lists show it. */
export type InboxSummary = Omit<InboxItem, 'body' | 'headers' | 'query'> & { bytes?: number };
