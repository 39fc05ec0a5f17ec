import * as z from 'zod';

/*
 * EasyPost webhook Events (https://docs.easypost.com/docs/webhooks). Only `tracker.*` events carry a
 * Tracker in `result`; other descriptions (batch.created, refund.successful...) are acknowledged
 * and ignored.
 */

const text = z.string().nullish();

export const EasypostTrackingDetail = z.looseObject({
  message: text,
  description: text,
  status: text,
  status_detail: text,
  /** UTC, ISO 8601. */
  datetime: text,
  source: text,
  tracking_location: z.looseObject({ city: text, state: text, country: text, zip: text }).nullish(),
});
export type EasypostTrackingDetail = z.infer<typeof EasypostTrackingDetail>;

export const EasypostTracker = z.looseObject({
  id: text,
  tracking_code: z.string().min(1),
  /** EasyPost's carrier name: `UPS`, `USPS`, `FedEx`, `DHLExpress`... */
  carrier: text,
  status: text,
  status_detail: text,
  est_delivery_date: text,
  signed_by: text,
  updated_at: text,
  tracking_details: z.array(EasypostTrackingDetail).nullish(),
});
export type EasypostTracker = z.infer<typeof EasypostTracker>;

export const EasypostEvent = z.looseObject({
  id: z.string().min(1),
  object: text,
  /** `tracker.updated`, `tracker.created`, `batch.created`, ... */
  description: z.string(),
  created_at: text,
  updated_at: text,
  result: z.unknown().optional(),
});
export type EasypostEvent = z.infer<typeof EasypostEvent>;
