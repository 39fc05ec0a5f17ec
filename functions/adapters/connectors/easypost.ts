import * as z from 'zod';
import type { ShipmentStatus } from '../../../schemas/names.ts';
import {
  EasypostEvent,
  EasypostTracker,
  type EasypostTrackingDetail,
} from '../../../schemas/providers/easypost.ts';
import type { Connector, RawRequest } from '../../app/connectors.ts';
import { normalizeCarrier } from '../../core/tracking/carriers.ts';
import { hmacSha256 } from '../../lib/crypto.ts';
import { UnparseablePayloadError } from '../../lib/errors.ts';
import { readJson } from '../../lib/json.ts';
import { parseInstant } from '../../lib/time.ts';
import { problemTable } from './problems.ts';
import { signedByAnySecret } from './signatures.ts';
import { bodyText } from './text.ts';
import { ZONE_LESS } from './times.ts';

/** EasyPost tracker statuses in our words. */
const trackerStatus: Record<string, ShipmentStatus> = {
  unknown: 'pending',
  pre_transit: 'info_received',
  in_transit: 'in_transit',
  out_for_delivery: 'out_for_delivery',
  available_for_pickup: 'available_for_pickup',
  delivered: 'delivered',
  return_to_sender: 'returning',
  failure: 'exception',
  cancelled: 'exception',
  error: 'exception',
};

/** status_detail values that say more than the status they come with. */
const detailStatus: Record<string, ShipmentStatus> = {
  return: 'returning',
  refused: 'exception',
  expired: 'expired',
};

/**
 * status_detail values that are problems (EasyPost's Tracker status_detail list): refused, lost and
 * damaged; address_correction is the customer's to check.
 */
export const easypostProblem = problemTable({
  refused: 'delivery_refused',
  lost: 'parcel_lost',
  damaged: 'parcel_damaged',
  address_correction: 'address_problem',
});

/** Our status for an EasyPost status + status_detail; undefined for an undocumented status. */
export function easypostStatus(
  status: string | null | undefined,
  detail?: string | null,
): ShipmentStatus | undefined {
  const base = status ? trackerStatus[status] : undefined;
  // A delivered parcel stays delivered whatever detail comes with it.
  if (!base || base === 'delivered') return base;
  return (detail ? detailStatus[detail] : undefined) ?? base;
}

/**
 * `x-hmac-signature: hmac-sha256-hex=<hex>`, keyed with the UTF-8 bytes of the NFKD-normalised
 * secret: "sécret" typed as one é (NFC) and as e + combining accent (NFKD) must give the same key,
 * as EasyPost's own client libraries do.
 */
export function verifyEasypost(req: RawRequest, secrets: string[]): boolean {
  return signedByAnySecret(
    secrets,
    req.headers['x-hmac-signature']?.toLowerCase(),
    (secret) =>
      `hmac-sha256-hex=${hmacSha256(Buffer.from(secret.normalize('NFKD'), 'utf8'), req.body, 'hex')}`,
  );
}

function readEvent(req: RawRequest): EasypostEvent {
  return readJson(bodyText(req), EasypostEvent, {
    notJson: 'EasyPost body is not valid JSON',
    invalid: 'EasyPost body is not an Event',
  });
}

/** EasyPost times carry the scan's zone or Z; a zone-less one is UTC, EasyPost's default (times.ts). */
function instant(value: string | null | undefined): string | undefined {
  return parseInstant(value, ZONE_LESS.easypost);
}

function locationOf(d: EasypostTrackingDetail): string | undefined {
  const l = d.tracking_location;
  const parts = [l?.city, l?.state, l?.country].filter(Boolean);
  return parts.length ? parts.join(', ') : undefined;
}

/** Tracker events carry the tracker in `result`; every other event is someone else's business. */
const trackerEvents = new Set(['tracker.created', 'tracker.updated']);

export const easypost: Connector = {
  provider: 'easypost',
  verify: (req, config) => verifyEasypost(req, config.secrets),
  dedupeKey: (req) => readEvent(req).id,
  topic(req) {
    const match = /"description"\s*:\s*"([a-z_.]{1,60})"/.exec(req.body.toString('utf8', 0, 4096));
    return match?.[1];
  },
  parse(req, ctx) {
    const event = readEvent(req);
    if (!trackerEvents.has(event.description)) {
      return { kind: 'ignored', reason: `EasyPost event ${event.description}` };
    }
    const parsed = EasypostTracker.safeParse(event.result);
    if (!parsed.success) {
      throw new UnparseablePayloadError('EasyPost result is not a Tracker', z.treeifyError(parsed.error));
    }
    const tracker = parsed.data;
    const status = easypostStatus(tracker.status, tracker.status_detail);
    if (!status)
      return { kind: 'ignored', reason: `EasyPost status ${tracker.status ?? '(none)'} is not documented` };

    const checkpoints = (tracker.tracking_details ?? [])
      .map((d) => {
        const at = instant(d.datetime);
        if (!at) return undefined;
        return {
          at,
          status: easypostStatus(d.status, d.status_detail) ?? ('in_transit' as const),
          subStatus: d.status_detail ?? undefined,
          problem: easypostProblem(d.status_detail),
          message: d.message ?? d.description ?? '',
          location: locationOf(d),
        };
      })
      .filter((c) => c !== undefined)
      // EasyPost lists oldest first; ours are newest first.
      .sort((a, b) => b.at.localeCompare(a.at));

    return {
      kind: 'events',
      events: [
        {
          type: 'TrackingUpdated',
          eventId: ctx.eventId(0),
          provider: 'easypost',
          occurredAt:
            checkpoints[0]?.at ??
            instant(tracker.updated_at) ??
            instant(event.updated_at) ??
            instant(event.created_at) ??
            ctx.receivedAt,
          carrier: normalizeCarrier(tracker.carrier ?? undefined),
          trackingNumber: tracker.tracking_code,
          status,
          subStatus: tracker.status_detail ?? undefined,
          problem: easypostProblem(tracker.status_detail),
          providerStatus: [tracker.status, tracker.status_detail].filter(Boolean).join(' / ') || undefined,
          checkpoints,
          expectedDelivery: instant(tracker.est_delivery_date),
          signedBy: tracker.signed_by || undefined,
        },
      ],
    };
  },
};
