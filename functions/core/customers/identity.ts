import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/min';
import type { CustomerFacts, OrderFacts } from '../../../schemas/events.ts';
import { sha256 } from '../../lib/crypto.ts';

/** Email as we compare it: trimmed and lower-cased. Undefined if it is not an address. */
export function normalizeEmail(raw: string | undefined): string | undefined {
  const email = raw?.trim().toLowerCase();
  return email && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) ? email : undefined;
}

/**
 * Phone in E.164 (`+8613800138000`). Numbers written without a country code take the shop's
 * region; Chinese mobile numbers are often written with spaces or dashes, which are accepted.
 */
export function normalizePhone(raw: string | undefined, defaultRegion: string): string | undefined {
  if (!raw?.trim()) return undefined;
  const parsed = parsePhoneNumberFromString(raw, defaultRegion.toUpperCase() as CountryCode);
  return parsed?.isPossible() ? parsed.number : undefined;
}

/**
 * Lookup hash of a normalised contact. Salted with the shop id so the same person's hash differs
 * between tenants and a leaked index cannot be joined across shops.
 */
export function contactHash(shopId: string, normalized: string): string {
  return sha256(`${shopId}\u0000${normalized}`);
}

export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}

export function maskPhone(e164: string): string {
  return e164.length > 7 ? `${e164.slice(0, e164.length - 8)}****${e164.slice(-4)}` : '****';
}

export interface ResolvedCustomer {
  customerId: string;
  email?: string;
  phone?: string;
}

/**
 * Which Customer an order's buyer is: the marketplace's own customer id when it has one, else the
 * normalised email, else the phone. Deterministic, so every event of the order finds the same one.
 */
export function resolveCustomer(
  shopId: string,
  provider: string,
  facts: CustomerFacts | undefined,
  defaultRegion: string,
): ResolvedCustomer | undefined {
  if (!facts) return undefined;
  const email = normalizeEmail(facts.email);
  const phone = normalizePhone(facts.phone, defaultRegion);
  const base = { ...(email && { email }), ...(phone && { phone }) };
  if (facts.externalId) return { customerId: `${provider}-${facts.externalId}`, ...base };
  if (email) return { customerId: `e-${contactHash(shopId, email).slice(0, 24)}`, ...base };
  if (phone) return { customerId: `p-${contactHash(shopId, phone).slice(0, 24)}`, ...base };
  return undefined;
}

/**
 * The region to read a phone number in: the shipping country when the marketplace gives an ISO
 * code (a US-formatted number in a Chinese shop's order to the US is a US number), else the shop's.
 */
export function regionFor(
  facts: Pick<OrderFacts, 'shippingAddress'> | undefined,
  shop: { defaultRegion: string },
): string {
  const country = facts?.shippingAddress?.country?.trim();
  return country && /^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : shop.defaultRegion;
}
