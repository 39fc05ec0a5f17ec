import type { ProviderName } from '../../../schemas/common.ts';
import type { ZoneLess } from '../../lib/time.ts';

/**
 * How each provider's zone-less times ("2026-11-20T10:00:00", "2026-11-20 10:00:00") are read:
 * one rule per provider, chosen from what it sends (docs/connectors.md and docs/tracking.md, "Times").
 * Times with `Z` or an offset are always that instant; the machine's zone never counts.
 */
export const ZONE_LESS = {
  // Shopify sends every time with its offset ("2021-12-31T19:00:00-05:00"). A time without one did
  // not come from Shopify as sent, and reading it in any zone could move it by hours: unparseable.
  shopify: 'refuse',
  // WooCommerce sends each date twice, both zone-less: `date_created` in the site's zone and
  // `date_created_gmt` in UTC. Only the `_gmt` fields are read, as UTC.
  woocommerce: 'utc',
  // TMC `pub_time` and content `modified` are Beijing time, "yyyy-MM-dd HH:mm:ss".
  taobao: 'china',
  // 抖店 sends unix seconds; a date-time string is Beijing time, as on the rest of the open platform.
  doudian: 'china',
  // `ftime` / `time` of each checkpoint are Beijing time, "yyyy-MM-dd HH:mm:ss".
  kuaidi100: 'china',
  // `checkpoint_time` is the carrier's wall clock "in the timezone of the checkpoint", sometimes without
  // the zone, which AfterShip does not give; read as UTC (its other times, created_at/updated_at, are).
  aftership: 'utc',
  // EasyPost gives a scan the local zone of its location "when enough location information is
  // present"; otherwise "timestamps default to UTC".
  easypost: 'utc',
  // 17TRACK gives `time_utc` (with Z) and `time_iso` (with the carrier's offset); a zone-less one is a
  // wall clock that lost its zone, so it is not used (the next field, or none).
  '17track': 'refuse',
  // Our own format: "ISO 8601 with an offset or Z" (docs/generic-webhooks.md).
  generic: 'refuse',
} as const satisfies Record<Exclude<ProviderName, 'system'>, ZoneLess>;
