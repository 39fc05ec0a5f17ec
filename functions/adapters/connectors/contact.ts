import type * as z from 'zod';
import type { Address, CustomerFacts } from '../../../schemas/events.ts';

/*
 * Customer and address facts as every marketplace connector builds them. Marketplaces send blank
 * strings, nulls and missing fields for "not given" interchangeably; here all of them are "absent",
 * and a customer or address with nothing in it is no customer or address at all. Which provider
 * field feeds which fact (the order's email before the account's, ...) stays in each connector.
 */

type Given = string | null | undefined;

/** A value that says something: trimmed, and undefined when blank. */
export function given(value: Given): string | undefined {
  return value?.trim() || undefined;
}

/** The first value that says something. */
export function firstGiven(...values: Given[]): string | undefined {
  for (const value of values) {
    const text = given(value);
    if (text) return text;
  }
  return undefined;
}

/** "Li Lei" from first and last name (or any parts), skipping blanks; undefined if all are blank. */
export function joinName(...parts: Given[]): string | undefined {
  return (
    parts
      .map(given)
      .filter((part) => part !== undefined)
      .join(' ') || undefined
  );
}

type CustomerInput = z.input<typeof CustomerFacts>;
type AddressInput = z.input<typeof Address>;

/** Undefined when no field has a value, so an empty block does not overwrite a known one. */
function unlessEmpty<T extends object>(facts: T): T | undefined {
  return Object.values(facts).some((v) => v !== undefined) ? facts : undefined;
}

export function customerFacts(c: {
  externalId?: string;
  email?: Given;
  phone?: Given;
  name?: Given;
  acceptsMarketing?: boolean | null;
}): CustomerInput | undefined {
  return unlessEmpty({
    externalId: given(c.externalId),
    email: given(c.email),
    phone: given(c.phone),
    name: given(c.name),
    acceptsMarketing: c.acceptsMarketing ?? undefined,
  });
}

export function addressFacts(a: {
  name?: Given;
  phone?: Given;
  country?: Given;
  province?: Given;
  city?: Given;
  district?: Given;
  address1?: Given;
  address2?: Given;
  postalCode?: Given;
}): AddressInput | undefined {
  return unlessEmpty({
    name: given(a.name),
    phone: given(a.phone),
    country: given(a.country),
    province: given(a.province),
    city: given(a.city),
    district: given(a.district),
    address1: given(a.address1),
    address2: given(a.address2),
    postalCode: given(a.postalCode),
  });
}
