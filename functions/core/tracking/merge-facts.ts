import type { Checkpoint, EventOf } from '../../../schemas/events.ts';
import type { Shipment } from '../../../schemas/shipment.ts';
import { shipmentIdFor } from '../ids.ts';
import { earliest, offer, stampOf } from '../registers.ts';
import { isKnownCarrier, normalizeCarrier } from './carriers.ts';
import { staffReasonOf } from './staff-reasons.ts';
import { beats, statusRank } from './status-precedence.ts';

/*
 * The fact half of the Shipment: every merge below is a join (set union, min, max, or a register that
 * keeps the greatest (time, value key): core/registers.ts), so folding the same events in any order,
 * any number of times, gives the same facts. The ledger half (what was announced) lives in
 * milestones.ts / follow-ons.ts.
 */

const CHECKPOINT_CAP = 100;
const ETA_HISTORY_CAP = 50;

type Fact = EventOf<'TrackingUpdated'> | EventOf<'ShipmentCreated'>;

export function emptyShipment(event: Fact): Shipment {
  return {
    shipmentId: shipmentIdFor(event.trackingNumber),
    trackingNumber: event.trackingNumber,
    carriersSeen: [],
    status: 'pending',
    checkpoints: [],
    expectedDeliveryHistory: [],
    staffReasons: [],
    firstSeenAt: event.occurredAt,
    lastEventAt: event.occurredAt,
    sources: [],
    stamps: {},
    milestonesNotified: [],
    casesRequested: [],
    stallHistory: [],
  };
}

function max(a: string | undefined, b: string): string {
  return a !== undefined && a > b ? a : b;
}

/** Sets an optional field, deleting it for undefined so equal states are equal objects. */
function put<K extends keyof Shipment>(s: Shipment, key: K, value: Shipment[K] | undefined): void {
  if (value === undefined) delete s[key];
  else s[key] = value;
}

/** A last-writer-wins register per field: only events that carry a value compete for it. */
function register<K extends keyof Shipment>(
  s: Shipment,
  key: K & string,
  value: Shipment[K] | undefined,
  at: string,
): void {
  if (value !== undefined && offer(s.stamps, key, stampOf(at, value))) s[key] = value;
}

function mergeCommon(s: Shipment, event: Fact, carrier: string | undefined): void {
  if (!s.sources.includes(event.provider)) s.sources = [...s.sources, event.provider].sort();
  s.firstSeenAt = earliest(s.firstSeenAt, event.occurredAt);
  s.lastEventAt = max(s.lastEventAt, event.occurredAt);
  const code = normalizeCarrier(carrier);
  if (code) {
    const seen = s.carriersSeen.find((c) => c.code === code);
    if (!seen) s.carriersSeen = [...s.carriersSeen, { code, at: event.occurredAt }];
    else seen.at = earliest(seen.at, event.occurredAt);
    s.carriersSeen.sort((a, b) => a.code.localeCompare(b.code));
  }
  pickCarrier(s);
}

/**
 * The carrier is the earliest-named known carrier (a marketplace's "Other" or a provider's unknown slug
 * gives way to a carrier we know); any other known carrier named for the same number is a conflict.
 */
function pickCarrier(s: Shipment): void {
  const known = s.carriersSeen.filter((c) => isKnownCarrier(c.code));
  const pool = [...(known.length > 0 ? known : s.carriersSeen)].sort(
    (a, b) => a.at.localeCompare(b.at) || a.code.localeCompare(b.code),
  );
  const carrier = pool[0]?.code;
  put(s, 'carrier', carrier);
  const others = known
    .map((c) => c.code)
    .filter((c) => c !== carrier)
    .sort();
  put(s, 'carrierConflict', others.length > 0 ? others : undefined);
}

const normalize = (text: string) => text.trim().replace(/\s+/g, ' ');
const checkpointKey = (c: Checkpoint) =>
  `${c.at}\u0000${normalize(c.message)}\u0000${normalize(c.location ?? '')}`;

/** Between two reports of the same scan, the one with the further status (then the richer text) stays. */
function preferred(a: Checkpoint, b: Checkpoint): boolean {
  if (statusRank(a.status) !== statusRank(b.status)) return statusRank(a.status) > statusRank(b.status);
  const fa = [a.subStatus ?? '', a.problem ?? '', a.message, a.location ?? ''];
  const fb = [b.subStatus ?? '', b.problem ?? '', b.message, b.location ?? ''];
  for (let i = 0; i < fa.length; i++) if (fa[i] !== fb[i]) return fa[i]! > fb[i]!;
  return false;
}

function mergeCheckpoints(s: Shipment, incoming: Checkpoint[]): void {
  if (incoming.length === 0) return;
  const byKey = new Map(s.checkpoints.map((c) => [checkpointKey(c), c]));
  for (const c of incoming) {
    const key = checkpointKey(c);
    const existing = byKey.get(key);
    if (!existing || preferred(c, existing)) byKey.set(key, { ...c });
    s.lastCheckpointAt = max(s.lastCheckpointAt, c.at);
    if (c.status === 'delivered') s.deliveredAt = earliest(s.deliveredAt, c.at);
  }
  // Newest first, then by key; the cap keeps the newest, which no late (older) scan can displace.
  const sorted = [...byKey.entries()].sort(
    ([ka, a], [kb, b]) => b.at.localeCompare(a.at) || ka.localeCompare(kb),
  );
  s.checkpoints = sorted.slice(0, CHECKPOINT_CAP).map(([, c]) => c);
}

function addStaffReason(s: Shipment, code: string | undefined, at: string): void {
  if (!code) return;
  const seen = s.staffReasons.find((r) => r.code === code);
  if (seen) seen.at = earliest(seen.at, at);
  else s.staffReasons = [...s.staffReasons, { code, at }].sort((a, b) => a.code.localeCompare(b.code));
}

function recordExpectedDelivery(s: Shipment, value: string, at: string): void {
  const seen = s.expectedDeliveryHistory.find((h) => h.value === value);
  if (seen) seen.at = earliest(seen.at, at);
  else s.expectedDeliveryHistory = [...s.expectedDeliveryHistory, { at, value }];
  s.expectedDeliveryHistory.sort((a, b) => a.at.localeCompare(b.at) || a.value.localeCompare(b.value));
  if (s.expectedDeliveryHistory.length > ETA_HISTORY_CAP) s.expectedDeliveryHistory.splice(0, 1);
}

/**
 * When a push's status holds: its latest checkpoint, else the event time. Providers time their pushes
 * differently (one sends its push time, another its latest scan), while the newest scan a provider knows
 * is comparable across all of them; a lagging provider's summary is then older, not newer.
 */
export function observedAt(event: EventOf<'TrackingUpdated'>): string {
  let latest: string | undefined;
  for (const c of event.checkpoints) latest = max(latest, c.at);
  return latest ?? event.occurredAt;
}

export function mergeTracking(s: Shipment, event: EventOf<'TrackingUpdated'>): void {
  mergeCommon(s, event, event.carrier);
  // Until the marketplace names it, any raw spelling will do, as long as every order picks the same.
  if (!s.stamps.fulfillment && event.trackingNumber < s.trackingNumber)
    s.trackingNumber = event.trackingNumber;
  mergeCheckpoints(s, event.checkpoints);

  const at = observedAt(event);
  // The problem is part of the value (so of its key) only when there is one: the keys of reports
  // without a problem stay what they were before problems existed.
  const reported = [event.status, event.subStatus, event.providerStatus];
  if (event.problem) reported.push(event.problem);
  const observation = { status: event.status, at, key: stampOf(at, reported).key };
  const current = s.stamps.status && { status: s.status, ...s.stamps.status };
  if (beats(observation, current)) {
    s.status = event.status;
    put(s, 'subStatus', event.subStatus);
    put(s, 'providerStatus', event.providerStatus);
    put(s, 'problem', event.problem);
    s.statusAt = at;
    s.stamps.status = { at, key: observation.key };
  }
  if (event.status === 'delivered') s.deliveredAt = earliest(s.deliveredAt, at);

  const stamp = event.occurredAt;
  register(s, 'expectedDelivery', event.expectedDelivery, stamp);
  if (event.expectedDelivery) recordExpectedDelivery(s, event.expectedDelivery, event.occurredAt);
  register(s, 'signedBy', event.signedBy, stamp);
  register(s, 'deliveredTo', event.deliveredTo, stamp);
  register(s, 'pickup', event.pickup, stamp);
  // `expired` is a stop in all but name: the provider gave up polling the carrier.
  const stop = event.stopped ?? (event.status === 'expired' ? { reason: 'expired' } : undefined);
  register(s, 'stopped', stop && { at: event.occurredAt, reason: stop.reason }, stamp);

  addStaffReason(s, staffReasonOf(event.status, event.problem), at);
  for (const c of event.checkpoints) addStaffReason(s, staffReasonOf(c.status, c.problem), c.at);
}

export function mergeFulfillment(s: Shipment, event: EventOf<'ShipmentCreated'>): void {
  mergeCommon(s, event, event.carrier);
  s.shippedAt = earliest(s.shippedAt, event.shippedAt);
  s.firstSeenAt = earliest(s.firstSeenAt, event.shippedAt);
  const stamp = event.occurredAt;
  // Order, direction and the marketplace's spelling of the number travel together: one fulfillment.
  const fulfillment = [
    event.orderId,
    event.orderProvider ?? event.provider,
    event.direction,
    event.trackingNumber,
  ];
  if (offer(s.stamps, 'fulfillment', stampOf(stamp, fulfillment))) {
    s.orderId = event.orderId;
    s.orderProvider = event.orderProvider ?? event.provider;
    s.direction = event.direction;
    s.trackingNumber = event.trackingNumber;
  }
  register(s, 'fulfillmentId', event.fulfillmentId, stamp);
  register(s, 'trackingUrl', event.trackingUrl, stamp);
  register(s, 'caseId', event.caseId, stamp);
}
