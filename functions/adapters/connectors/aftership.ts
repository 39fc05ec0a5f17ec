import * as z from 'zod';
import type { ShipmentStatus } from '../../../schemas/names.ts';
import {
  type AftershipCheckpoint,
  AftershipTracking,
  AftershipWebhook,
} from '../../../schemas/providers/aftership.ts';
import type { Connector, RawRequest } from '../../app/connectors.ts';
import { normalizeCarrier } from '../../core/tracking/carriers.ts';
import { UnparseablePayloadError } from '../../lib/errors.ts';
import { readJson } from '../../lib/json.ts';
import { parseInstant } from '../../lib/time.ts';
import { problemTable } from './problems.ts';
import { verifyHmacBase64 } from './signatures.ts';
import { bodyText } from './text.ts';
import { ZONE_LESS } from './times.ts';

type DeliveredTo = 'addressee' | 'other_person' | 'locker' | 'pickup_point';

/** AfterShip tags (delivery statuses) in our words. */
const tagStatus: Record<string, ShipmentStatus> = {
  Pending: 'pending',
  InfoReceived: 'info_received',
  InTransit: 'in_transit',
  OutForDelivery: 'out_for_delivery',
  AttemptFail: 'failed_attempt',
  Delivered: 'delivered',
  AvailableForPickup: 'available_for_pickup',
  Exception: 'exception',
  Expired: 'expired',
};

/** Subtags that mean more than their tag: the parcel is going back, or is back, to the sender. */
const subtagStatus: Record<string, ShipmentStatus> = {
  Exception_010: 'returning',
  Exception_011: 'returned',
};

/** Who took the parcel, where AfterShip's delivered subtag says so (Delivered_001 does not). */
const deliveredTo: Record<string, DeliveredTo> = {
  Delivered_002: 'pickup_point',
  Delivered_003: 'addressee',
  Delivered_004: 'addressee',
  Delivered_005: 'other_person',
};

/**
 * Subtags that are problems (AfterShip's delivery sub-statuses, docs/tracking.md): Exception_003
 * customer refused delivery, Exception_011 returned to sender, Exception_012 shipment damaged,
 * Exception_013 shipment lost; Exception_002 customer moved and Exception_007 incorrect address are
 * the customer's to correct.
 */
export const aftershipProblem = problemTable({
  Exception_003: 'delivery_refused',
  Exception_011: 'returned_to_sender',
  Exception_012: 'parcel_damaged',
  Exception_013: 'parcel_lost',
  Exception_002: 'address_problem',
  Exception_007: 'address_problem',
});

/** Our status for an AfterShip tag + subtag; undefined for a tag AfterShip has not documented. */
export function aftershipStatus(
  tag: string | null | undefined,
  subtag?: string | null,
): ShipmentStatus | undefined {
  if (subtag && subtagStatus[subtag]) return subtagStatus[subtag];
  return tag ? tagStatus[tag] : undefined;
}

/**
 * AfterShip times come with an offset, as a bare date, or as the carrier's local wall-clock time
 * without any zone (AfterShip does not say which zone). The last two are read as UTC (times.ts).
 */
export function aftershipTime(value: string | null | undefined): string | undefined {
  return parseInstant(value, ZONE_LESS.aftership);
}

function checkpointLocation(c: AftershipCheckpoint): string | undefined {
  if (c.location) return c.location;
  const parts = [c.city, c.state, c.country_name ?? c.country_iso3].filter(Boolean);
  return parts.length ? parts.join(', ') : undefined;
}

/** `aftership-hmac-sha256` = base64 HMAC-SHA256(webhook secret, raw body). */
export function verifyAftership(req: RawRequest, secrets: string[]): boolean {
  return verifyHmacBase64(req.body, req.headers['aftership-hmac-sha256'], secrets);
}

function readBody(req: RawRequest): AftershipWebhook {
  return readJson(bodyText(req), AftershipWebhook, {
    notJson: 'AfterShip body is not valid JSON',
    invalid: 'AfterShip body lacks event/event_id',
  });
}

/** Events whose `msg` is the full Tracking object. */
const trackingEvents = new Set(['tracking_update', 'edd_revise']);

export const aftership: Connector = {
  provider: 'aftership',
  verify: (req, config) => verifyAftership(req, config.secrets),
  dedupeKey: (req) => readBody(req).event_id,
  topic(req) {
    const match = /"event"\s*:\s*"([A-Za-z_.]{1,60})"/.exec(req.body.toString('utf8', 0, 4096));
    return match?.[1];
  },
  parse(req, ctx) {
    const body = readBody(req);
    if (!trackingEvents.has(body.event)) return { kind: 'ignored', reason: `AfterShip event ${body.event}` };
    const parsed = AftershipTracking.safeParse(body.msg);
    if (!parsed.success) {
      throw new UnparseablePayloadError('AfterShip msg is not a tracking', z.treeifyError(parsed.error));
    }
    const msg = parsed.data;
    const status = aftershipStatus(msg.tag, msg.subtag);
    if (!status) return { kind: 'ignored', reason: `AfterShip tag ${msg.tag ?? '(none)'} is not documented` };

    const checkpoints = (msg.checkpoints ?? [])
      .map((c) => {
        const at = aftershipTime(c.checkpoint_time) ?? aftershipTime(c.created_at);
        if (!at) return undefined;
        return {
          at,
          // A checkpoint tag AfterShip has not documented says only that the parcel moved.
          status: aftershipStatus(c.tag, c.subtag) ?? ('in_transit' as const),
          subStatus: c.subtag ?? undefined,
          problem: aftershipProblem(c.subtag),
          message: c.message ?? c.subtag_message ?? c.tag ?? '',
          location: checkpointLocation(c),
        };
      })
      .filter((c) => c !== undefined)
      // AfterShip lists oldest first; ours are newest first. sort() is stable for equal times.
      .sort((a, b) => b.at.localeCompare(a.at));

    const occurredAt =
      checkpoints[0]?.at ??
      aftershipTime(msg.updated_at) ??
      (typeof body.ts === 'number' ? new Date(body.ts * 1000).toISOString() : ctx.receivedAt);
    const expectedDelivery =
      aftershipTime(msg.latest_estimated_delivery?.datetime) ?? aftershipTime(msg.expected_delivery);

    return {
      kind: 'events',
      events: [
        {
          type: 'TrackingUpdated',
          eventId: ctx.eventId(0),
          provider: 'aftership',
          occurredAt,
          carrier: normalizeCarrier(msg.slug ?? undefined),
          trackingNumber: msg.tracking_number,
          status,
          subStatus: msg.subtag ?? undefined,
          problem: aftershipProblem(msg.subtag),
          providerStatus: [msg.tag, msg.subtag_message].filter(Boolean).join(' / ') || undefined,
          checkpoints,
          expectedDelivery,
          signedBy: msg.signed_by || undefined,
          deliveredTo: status === 'delivered' && msg.subtag ? deliveredTo[msg.subtag] : undefined,
          pickup:
            status === 'available_for_pickup' && msg.pickup_location
              ? { point: msg.pickup_location }
              : undefined,
        },
      ],
    };
  },
};
