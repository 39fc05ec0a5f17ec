import { MAILBOX } from '../../../schemas/channels.ts';
import type { OutgoingMessage } from '../../../schemas/notifications.ts';
import { assertChannel } from './results.ts';

/** Every email carries its notice id, so a bounce or a complaint can be traced back to it. */
export const NOTICE_ID_HEADER = 'X-Aftersale-Notice-Id';

/** A From (or Reply-To) as its two parts. */
export function parseMailbox(value: string): { name?: string; address: string } {
  const match = MAILBOX.exec(value);
  const address = match?.[2] ?? match?.[3];
  if (!address) throw new TypeError(`"${value}" is not a mailbox (name <address> or address)`);
  const name = match?.[1]?.trim();
  return name ? { name, address } : { address };
}

/** The domain of an address, for the Message-ID (`<notice-id@shop.example>`). */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

export interface CheckedEmail {
  subject: string;
  text: string;
  html?: string;
  /** The message's headers and the notice id header, in the order they are written. */
  headers: Array<[name: string, value: string]>;
}

/**
 * What both email senders check before anything goes out. These are the sending pipeline's
 * obligations, so a miss is a bug (it throws), not a refusal: an email has a subject; a marketing
 * email carries List-Unsubscribe; a one-click List-Unsubscribe-Post (RFC 8058) says exactly
 * `List-Unsubscribe=One-Click` and comes with an https unsubscribe URI to POST to.
 */
export function checkEmail(message: OutgoingMessage, sender: string): CheckedEmail {
  assertChannel(message, 'email', sender);
  if (!message.subject) throw new TypeError(`${sender}: notice ${message.id} has no subject`);
  const headers = Object.entries(message.headers ?? {});
  const header = (name: string) => headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
  const unsubscribe = header('List-Unsubscribe');
  const oneClick = header('List-Unsubscribe-Post');
  if (message.kind === 'marketing' && !unsubscribe)
    throw new TypeError(`${sender}: marketing notice ${message.id} has no List-Unsubscribe header`);
  if (oneClick !== undefined) {
    if (oneClick !== 'List-Unsubscribe=One-Click')
      throw new TypeError(`${sender}: List-Unsubscribe-Post must be "List-Unsubscribe=One-Click"`);
    if (!unsubscribe?.includes('<https://'))
      throw new TypeError(`${sender}: one-click unsubscribe needs an https URI in List-Unsubscribe`);
  }
  for (const [name, value] of headers) {
    // A header name or value with a line break would let the body write headers of its own.
    if (!/^[A-Za-z0-9-]+$/.test(name) || /[\r\n]/.test(value))
      throw new TypeError(`${sender}: header ${JSON.stringify(name)} is not a single-line header`);
  }
  return {
    subject: message.subject,
    text: message.text,
    ...(message.html !== undefined && { html: message.html }),
    headers: [...headers, [NOTICE_ID_HEADER, message.id]],
  };
}
