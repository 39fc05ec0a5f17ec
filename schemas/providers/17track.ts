import * as z from 'zod';

/*
 * 17TRACK API v2.2 webhook pushes (https://api.17track.net/en/doc?version=v2.2, "Webhook").
 * `TRACKING_UPDATED` carries the whole `track_info`; `TRACKING_STOPPED` may carry only the number.
 */

const text = z.string().nullish();

export const SeventeenTrackEvent = z.looseObject({
  /** ISO time with the carrier's offset. */
  time_iso: text,
  /** The same instant in UTC. */
  time_utc: text,
  description: text,
  location: text,
  /** Milestone key (`InfoReceived`, `PickedUp`, `Delivered`, `Returning`...) or null. */
  stage: text,
  sub_status: text,
});
export type SeventeenTrackEvent = z.infer<typeof SeventeenTrackEvent>;

export const SeventeenTrackProvider = z.looseObject({
  provider: z.looseObject({ key: z.number().nullish(), name: text, alias: text }).nullish(),
  events: z.array(SeventeenTrackEvent).nullish(),
});

export const SeventeenTrackInfo = z.looseObject({
  latest_status: z.looseObject({ status: text, sub_status: text, sub_status_descr: text }).nullish(),
  latest_event: SeventeenTrackEvent.nullish(),
  time_metrics: z
    .looseObject({
      estimated_delivery_date: z.looseObject({ source: text, from: text, to: text }).nullish(),
    })
    .nullish(),
  tracking: z.looseObject({ providers: z.array(SeventeenTrackProvider).nullish() }).nullish(),
});
export type SeventeenTrackInfo = z.infer<typeof SeventeenTrackInfo>;

export const SeventeenTrackWebhook = z.looseObject({
  /** `TRACKING_UPDATED` or `TRACKING_STOPPED`. */
  event: z.string(),
  data: z.looseObject({
    number: z.string().min(1),
    /** 17TRACK's numeric carrier key (e.g. 100002 = UPS). */
    carrier: z.union([z.number(), z.string()]).nullish(),
    tag: text,
    track_info: SeventeenTrackInfo.nullish(),
  }),
});
export type SeventeenTrackWebhook = z.infer<typeof SeventeenTrackWebhook>;
