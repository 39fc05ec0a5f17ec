import * as z from 'zod';

/*
 * AfterShip Tracking webhooks (https://www.aftership.com/docs/tracking/webhook/webhook-specifications).
 * `msg` is the Tracking object. Lenient: AfterShip adds fields with every API version, and sends
 * null for anything unknown.
 */

const text = z.string().nullish();

export const AftershipCheckpoint = z.looseObject({
  /** The carrier's time: `YYYY-MM-DD`, `YYYY-MM-DDTHH:mm:ss` (carrier local, no zone) or with an offset. */
  checkpoint_time: text,
  /** When AfterShip recorded the checkpoint, UTC with offset. */
  created_at: text,
  message: text,
  location: text,
  city: text,
  state: text,
  country_name: text,
  country_iso3: text,
  tag: text,
  subtag: text,
  subtag_message: text,
  slug: text,
});
export type AftershipCheckpoint = z.infer<typeof AftershipCheckpoint>;

export const AftershipTracking = z.looseObject({
  id: text,
  tracking_number: z.string().min(1),
  slug: text,
  tag: text,
  subtag: text,
  subtag_message: text,
  /** `YYYY-MM-DD` or a date-time, in the courier's words. */
  expected_delivery: text,
  latest_estimated_delivery: z.looseObject({ datetime: text, datetime_max: text }).nullish(),
  signed_by: text,
  pickup_location: text,
  pickup_note: text,
  updated_at: text,
  checkpoints: z.array(AftershipCheckpoint).nullish(),
});
export type AftershipTracking = z.infer<typeof AftershipTracking>;

export const AftershipWebhook = z.looseObject({
  /** `tracking_update`, `edd_revise`, ... */
  event: z.string(),
  /** UUID v4, the same on every retry of one event. */
  event_id: z.string().min(1),
  is_tracking_first_tag: z.union([z.boolean(), z.string()]).nullish(),
  msg: z.unknown(),
  /** Unix seconds when the event occurred. */
  ts: z.number().nullish(),
});
export type AftershipWebhook = z.infer<typeof AftershipWebhook>;
