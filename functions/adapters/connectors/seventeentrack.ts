import type { Checkpoint } from '../../../schemas/events.ts';
import type { ShipmentStatus } from '../../../schemas/names.ts';
import {
  type SeventeenTrackEvent,
  type SeventeenTrackInfo,
  SeventeenTrackWebhook,
} from '../../../schemas/providers/17track.ts';
import type { Connector, RawRequest } from '../../app/connectors.ts';
import { isKnownCarrier, normalizeCarrier } from '../../core/tracking/carriers.ts';
import { sha256 } from '../../lib/crypto.ts';
import { readJson } from '../../lib/json.ts';
import { parseInstant } from '../../lib/time.ts';
import { problemTable } from './problems.ts';
import { signedByAnySecret } from './signatures.ts';
import { bodyText } from './text.ts';
import { ZONE_LESS } from './times.ts';

/** 17TRACK main statuses in our words. */
const mainStatus: Record<string, ShipmentStatus> = {
  NotFound: 'pending',
  InfoReceived: 'info_received',
  InTransit: 'in_transit',
  Expired: 'expired',
  AvailableForPickup: 'available_for_pickup',
  OutForDelivery: 'out_for_delivery',
  DeliveryFailure: 'failed_attempt',
  Delivered: 'delivered',
  Exception: 'exception',
};

/** Sub-statuses that mean more than their main status. */
const subStatusOverride: Record<string, ShipmentStatus> = {
  Exception_Returning: 'returning',
  Exception_Returned: 'returned',
  // A refusal is a decision, not a missed attempt: staff must act on it like AfterShip Exception_003.
  DeliveryFailure_Rejected: 'exception',
};

/** Milestone stages on single events (`stage`), where no sub-status is given. */
const stageStatus: Record<string, ShipmentStatus> = {
  InfoReceived: 'info_received',
  PickedUp: 'in_transit',
  Departure: 'in_transit',
  Arrival: 'in_transit',
  AvailableForPickup: 'available_for_pickup',
  OutForDelivery: 'out_for_delivery',
  Delivered: 'delivered',
  Returning: 'returning',
  Returned: 'returned',
};

/**
 * Sub-statuses that are problems (17TRACK v2.2 "Package status"): Exception_Rejected and
 * DeliveryFailure_Rejected refused, Exception_Lost and Exception_Destroyed lost, Exception_Damage
 * damaged, Exception_Returned returned to sender; DeliveryFailure_InvalidAddress is the customer's
 * to correct.
 */
export const seventeenTrackProblem = problemTable({
  Exception_Rejected: 'delivery_refused',
  DeliveryFailure_Rejected: 'delivery_refused',
  Exception_Lost: 'parcel_lost',
  Exception_Destroyed: 'parcel_lost',
  Exception_Damage: 'parcel_damaged',
  Exception_Returned: 'returned_to_sender',
  DeliveryFailure_InvalidAddress: 'address_problem',
});

/** Our status for a 17TRACK status and/or sub-status (`Exception_Returning`); undefined if unknown. */
export function seventeenTrackStatus(
  status: string | null | undefined,
  subStatus?: string | null,
): ShipmentStatus | undefined {
  if (subStatus && subStatusOverride[subStatus]) return subStatusOverride[subStatus];
  const main = status ?? subStatus?.split('_')[0];
  return main ? mainStatus[main] : undefined;
}

/** `sign` = lowercase hex SHA-256 of (raw body + "/" + security key): a plain hash, not an HMAC. */
export function verifySeventeenTrack(req: RawRequest, secrets: string[]): boolean {
  return signedByAnySecret(secrets, req.headers.sign?.toLowerCase(), (key) =>
    sha256(Buffer.concat([req.body, Buffer.from(`/${key}`, 'utf8')])),
  );
}

function readBody(req: RawRequest): SeventeenTrackWebhook {
  return readJson(bodyText(req), SeventeenTrackWebhook, {
    notJson: '17TRACK body is not valid JSON',
    invalid: '17TRACK body lacks event/data.number',
  });
}

/** `time_utc`, else `time_iso`; a zone-less one is not used (times.ts). */
function eventTime(e: SeventeenTrackEvent): string | undefined {
  return parseInstant(e.time_utc, ZONE_LESS['17track']) ?? parseInstant(e.time_iso, ZONE_LESS['17track']);
}

/** Every provider's events (origin and destination carrier), newest first, without repeats. */
function checkpointsOf(info: SeventeenTrackInfo | null | undefined): Checkpoint[] {
  const seen = new Set<string>();
  const out: Checkpoint[] = [];
  for (const provider of info?.tracking?.providers ?? []) {
    for (const e of provider.events ?? []) {
      const at = eventTime(e);
      if (!at) continue;
      const message = e.description ?? '';
      const key = `${at}\u0000${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const subStatus = e.sub_status ?? e.stage ?? undefined;
      out.push({
        at,
        status:
          seventeenTrackStatus(undefined, e.sub_status) ??
          (e.stage ? stageStatus[e.stage] : undefined) ??
          'in_transit',
        subStatus,
        problem: seventeenTrackProblem(subStatus),
        message,
        location: e.location ?? undefined,
      });
    }
  }
  return out.sort((a, b) => b.at.localeCompare(a.at));
}

/** 17TRACK's numeric carrier key where we know it, else the name of the carrier it tracked with. */
function carrierOf(data: SeventeenTrackWebhook['data']): string | undefined {
  const byKey = normalizeCarrier(data.carrier ?? undefined);
  if (byKey && isKnownCarrier(byKey)) return byKey;
  const provider = data.track_info?.tracking?.providers?.[0]?.provider;
  return normalizeCarrier(provider?.name ?? provider?.alias ?? undefined) ?? byKey;
}

function latestEventTime(body: SeventeenTrackWebhook): string {
  const info = body.data.track_info;
  return (
    (info?.latest_event ? eventTime(info.latest_event) : undefined) ?? checkpointsOf(info)[0]?.at ?? 'none'
  );
}

export const seventeentrack: Connector = {
  provider: '17track',
  verify: (req, config) => verifySeventeenTrack(req, config.secrets),
  // No event id: the parcel's latest event identifies the fact. The event name keeps a
  // TRACKING_STOPPED apart from the last TRACKING_UPDATED, which has the same latest event.
  dedupeKey(req) {
    const body = readBody(req);
    return `${body.data.number}|${body.event}|${latestEventTime(body)}`;
  },
  topic(req) {
    const match = /"event"\s*:\s*"([A-Z_]{1,40})"/.exec(req.body.toString('utf8', 0, 2048));
    return match?.[1];
  },
  parse(req, ctx) {
    const body = readBody(req);
    if (body.event !== 'TRACKING_UPDATED' && body.event !== 'TRACKING_STOPPED') {
      return { kind: 'ignored', reason: `17TRACK event ${body.event}` };
    }
    const { data } = body;
    const info = data.track_info;
    const latest = info?.latest_status;
    const checkpoints = checkpointsOf(info);
    let status = seventeenTrackStatus(latest?.status, latest?.sub_status);
    if (!status) {
      if (body.event === 'TRACKING_UPDATED') {
        return { kind: 'ignored', reason: `17TRACK status ${latest?.status ?? '(none)'} is not documented` };
      }
      // A stop notice often names only the number; `pending` is the lowest precedence, so it cannot
      // move the shipment, and the core reads `stopped`.
      status = 'pending';
    }
    const stopped =
      body.event === 'TRACKING_STOPPED' && status !== 'delivered' && status !== 'returned'
        ? { reason: '17TRACK stopped tracking (TRACKING_STOPPED) before delivery' }
        : undefined;
    const eta = info?.time_metrics?.estimated_delivery_date;
    const expected = eta?.to ?? eta?.from;

    return {
      kind: 'events',
      events: [
        {
          type: 'TrackingUpdated',
          eventId: ctx.eventId(0),
          provider: '17track',
          // A stop notice carries no time of its own: it happened when it reached us.
          occurredAt:
            (info?.latest_event ? eventTime(info.latest_event) : undefined) ??
            checkpoints[0]?.at ??
            ctx.receivedAt,
          carrier: carrierOf(data),
          trackingNumber: data.number,
          status,
          subStatus: latest?.sub_status ?? undefined,
          problem: seventeenTrackProblem(latest?.sub_status),
          providerStatus: [latest?.status, latest?.sub_status].filter(Boolean).join(' / ') || undefined,
          checkpoints,
          expectedDelivery: parseInstant(expected, ZONE_LESS['17track']),
          stopped,
        },
      ],
    };
  },
};
