import type { Case } from '../../schemas/case.ts';
import type { CanonicalEvent } from '../../schemas/events.ts';
import type { InboxItem, InboxStatus, InboxSummary } from '../../schemas/inbox.ts';
import type { InboundMessage, NotificationMessage, OutboundMessage } from '../../schemas/messages.ts';
import type { OutboundDelivery, OutboundDeliveryStatus } from '../../schemas/outbound.ts';
import type { Shop, ShopInput } from '../../schemas/shop.ts';
import type { QueueName } from '../contract.ts';
import type { AggregateKind, AggregateRef, Effect, StateOf } from '../core/engine/types.ts';
import type { OutboxStore } from './channels.ts';
import type { Connector, ConnectorConfig } from './connectors.ts';

/*
 * What the use cases need from the world, as interfaces. The adapters (functions/adapters/)
 * implement them on DynamoDB and SQS; tests may hand in their own. Use cases receive them in a
 * `deps` object and import no SDK.
 */

export interface Clock {
  /** The current time, UTC ISO. */
  now(): string;
}

/** A stored aggregate: its state, the version the next write must match, and its last write. */
export interface Stored<T> {
  data: T;
  version: number;
  updatedAt: string;
}

export type TimerEffect = Extract<Effect, { kind: 'timer' }>;

export interface LoadedForApply {
  /** Set when the event was applied before: the effects it published then. */
  marker?: { effects: Effect[] };
  /** Each ref's state (undefined when new) and version (0 when new), in the order asked. */
  states: Array<{ ref: AggregateRef; state: unknown; version: number }>;
}

export interface CommitRequest {
  event: Pick<CanonicalEvent, 'eventId' | 'type'>;
  /** The aggregate the applied-marker is kept beside (the event's first ref). */
  markerRef: AggregateRef;
  /** New states, each written only over `expectedVersion` (0: must not exist yet). */
  changes: Array<{ ref: AggregateRef; state: unknown; expectedVersion: number }>;
  /** What the marker records, for a replay to re-publish. */
  published: Effect[];
  timers: TimerEffect[];
  now: string;
}

/** Aggregates, applied-markers and timers: read together, written in one transaction. */
export interface EventStore {
  load(shopId: string, refs: AggregateRef[], eventId: string): Promise<LoadedForApply>;
  /** `conflict` when a version moved or a concurrent transaction won; anything else throws. */
  commit(shopId: string, request: CommitRequest): Promise<'committed' | 'conflict'>;
}

export interface ShopWithConnectors {
  shop: Shop;
  connectors: Map<string, ConnectorConfig>;
}

export interface ShopStore {
  load(shopId: string): Promise<ShopWithConnectors | undefined>;
  /** A copy at most `maxAgeMs` old (default: the cache's own lifetime; 0 reads now). */
  loadCached(shopId: string, options?: { maxAgeMs?: number }): Promise<ShopWithConnectors | undefined>;
  /** Creates the shop or changes the given fields; 409 if it changed meanwhile. */
  put(input: ShopInput, now: string): Promise<Shop>;
  /** A new secret becomes current, the previous one is kept as second; 409 if it changed meanwhile. */
  setConnector(
    shopId: string,
    provider: string,
    change: { secret?: string; settings: Record<string, string> },
    now: string,
  ): Promise<{ secrets: number; settings: string[] }>;
  listIds(): Promise<string[]>;
}

export interface InboxPage {
  items: InboxSummary[];
  next?: string;
}

export interface InboxStore {
  put(
    item: Omit<InboxItem, 'status' | 'attempts' | 'updatedAt'>,
  ): Promise<{ created: true } | { created: false; existing: InboxItem }>;
  get(shopId: string, inboxId: string): Promise<InboxItem | undefined>;
  setStatus(
    item: Pick<InboxItem, 'shopId' | 'inboxId' | 'receivedAt'>,
    status: InboxStatus,
    now: string,
    detail?: { error?: string; eventIds?: string[] },
  ): Promise<void>;
  list(
    shopId: string,
    status: InboxStatus,
    options?: { limit?: number; cursor?: string; olderThan?: string },
  ): Promise<InboxPage>;
  /** One re-enqueue of an item stuck in `received`, at most a few in all; false if not claimed. */
  claimRequeue(item: Pick<InboxItem, 'shopId' | 'inboxId'>, now: string): Promise<boolean>;
}

/** A due timer: an event for an aggregate (TimerFired), or a deferred notice to send again. */
export type DueTimer = { key: { pk: string; sk: string }; shopId: string } & (
  | { event: CanonicalEvent; notice?: undefined }
  | { notice: NotificationMessage; event?: undefined }
);

export interface TimerStore {
  getSweepCursor(): Promise<string | undefined>;
  setSweepCursor(minute: string, now: string): Promise<void>;
  timersInMinute(minute: string): Promise<DueTimer[]>;
  deleteTimers(keys: Array<{ pk: string; sk: string }>): Promise<void>;
  /** A notice held back (quiet hours) until `dueAt`, when the sweep hands it to send-notification again. */
  deferNotice(notice: NotificationMessage, dueAt: string, now: string): Promise<void>;
}

export interface CaseListOptions {
  type?: string | undefined;
  reason?: string | undefined;
  assignee?: string | undefined;
  slaBreached?: boolean | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
  /** Only cases requested at or after this time (the index sorts by it). */
  since?: string | undefined;
  /** Only cases requested before this time. */
  before?: string | undefined;
}

/** Reads by access pattern, for the admin API. */
export interface ReadModels {
  getAggregate<K extends AggregateKind>(
    shopId: string,
    kind: K,
    id: string,
  ): Promise<Stored<StateOf[K]> | undefined>;
  getAggregates<K extends AggregateKind>(
    shopId: string,
    kind: K,
    ids: string[],
  ): Promise<Array<Stored<StateOf[K]>>>;
  orderIdsByNumber(shopId: string, number: string): Promise<string[]>;
  noticesOf(shopId: string, kind: AggregateKind, id: string): Promise<Record<string, unknown>[]>;
  customerIdsByContact(shopId: string, kind: 'email' | 'phone', hash: string): Promise<string[]>;
  listCasesByStatus(
    shopId: string,
    status: string,
    options?: CaseListOptions,
  ): Promise<{ items: Array<Stored<Case>>; next?: string }>;
  /** The shop's notice log, newest first. */
  listNotices(
    shopId: string,
    options?: { limit?: number; cursor?: string },
  ): Promise<{ items: Record<string, unknown>[]; next?: string }>;
  /** Orders created per day (UTC) between two days, for the summary. */
  ordersCreated(shopId: string, fromDay: string, toDay: string): Promise<number>;
}

/**
 * Where a notice stands in the delivery log:
 * - pending_channel: recorded before channels existed (sent now when it comes again);
 * - sending: an attempt holds it (recorded before the channel is called);
 * - retrying: the channel failed transiently, SQS hands it out again;
 * - deferred: held for quiet hours, a timer sends it at `deferredUntil`;
 * - sent, suppressed (why), failed (permanently, why);
 * - unconfirmed: an attempt ended without recording its outcome (a crash between the send and
 *   the record): it may have gone out, so it is not sent again.
 */
export type NoticeStatus =
  | 'pending_channel'
  | 'sending'
  | 'retrying'
  | 'deferred'
  | 'sent'
  | 'suppressed'
  | 'failed'
  | 'unconfirmed';

export interface NoticeRecord {
  status: NoticeStatus;
  attempts: number;
  /** When the last attempt began. */
  startedAt?: string;
  /** The frequency cap was counted for it (a retry does not count it again). */
  capTaken?: boolean;
}

/** What an attempt came to. */
export interface NoticeOutcome {
  status: Exclude<NoticeStatus, 'pending_channel' | 'sending'>;
  kind?: string;
  channel?: string;
  /** The recipient, masked. */
  to?: string;
  locale?: string;
  reason?: string;
  deferredUntil?: string;
  providerMessageId?: string;
}

/** The delivery log of planned notices: one record per notice id, beside what it is about. */
export interface NoticeLog {
  /**
   * Takes the notice for one attempt (status `sending`, attempts + 1) if it is new, pending,
   * retrying or deferred; else answers the record as it is (another attempt has it, or it is settled).
   */
  claim(
    notice: NotificationMessage,
    now: string,
  ): Promise<{ claimed: true; capTaken?: boolean } | { claimed: false; record: NoticeRecord }>;
  /** Records the attempt's outcome. */
  settle(notice: NotificationMessage, outcome: NoticeOutcome, now: string): Promise<void>;
  /** Notes that the frequency cap was counted for the notice. */
  markCapTaken(notice: NotificationMessage): Promise<void>;
}

/** What the sender remembers per customer: marketing counted per day and week, the last parcel problem. */
export interface OutreachLedger {
  /** Counts one marketing message in the customer's local day and ISO week; false (nothing counted) when either is full. */
  takeCap(
    shopId: string,
    customerId: string,
    windows: { day: string; week: string },
    caps: { perDay: number; perWeek: number },
  ): Promise<boolean>;
  noteProblem(shopId: string, customerId: string, at: string): Promise<void>;
  lastProblemAt(shopId: string, customerId: string): Promise<string | undefined>;
}

/** A request to the shop's outbound endpoint: the exact body bytes (they are signed) and headers. */
export interface OutboundRequest {
  url: string;
  body: Buffer;
  headers: Record<string, string>;
}

/** What came of one POST: an answer (any status), or none in time, or none at all. */
export type OutboundResponse =
  /** `excerpt`: the start of the answer's body, as text. */
  | { kind: 'answered'; status: number; excerpt: string }
  | { kind: 'timeout'; error: string }
  | { kind: 'network_error'; error: string };

/** POSTs to the shops' own systems. Never throws for what the endpoint does: that is the response. */
export interface OutboundSender {
  post(request: OutboundRequest): Promise<OutboundResponse>;
}

/** The outcome of one delivery attempt, as the log keeps it. */
export interface OutboundAttempt {
  status: OutboundDeliveryStatus;
  /** Whether a POST was made (counted in `attempts`). */
  posted: boolean;
  statusCode?: number;
  error?: string;
}

/** The delivery log of outbound events: one entry per event id, beside its case (else its shop). */
export interface OutboundLog {
  get(message: Pick<OutboundMessage, 'shopId' | 'id' | 'caseId'>): Promise<OutboundDelivery | undefined>;
  /** Records an attempt; an entry that says `delivered` is never changed again. */
  record(message: OutboundMessage, attempt: OutboundAttempt, now: string): Promise<void>;
  /** The entries of a case (with a caseId) or of the shop's events without one. */
  list(shopId: string, caseId?: string): Promise<OutboundDelivery[]>;
}

/** When a queue message that failed is handed out again. */
export interface Redelivery {
  /** Keeps a received message hidden `seconds` from now, so its next delivery comes no sooner. */
  delay(message: { queueArn: string; receiptHandle: string }, seconds: number): Promise<void>;
}

export interface Queues {
  sendInbound(messages: InboundMessage[]): Promise<void>;
  sendNotifications(messages: NotificationMessage[]): Promise<void>;
  sendOutbound(messages: OutboundMessage[]): Promise<void>;
}

export interface DeadLetterMessage {
  messageId: string;
  body: string;
}

export interface DeadLetters {
  depth(queue: QueueName): Promise<number>;
  /** Up to `max` messages (only those `belongs` accepts, when given), left where they are. */
  peek(queue: QueueName, max: number, belongs?: (body: string) => boolean): Promise<DeadLetterMessage[]>;
  /** Moves every message (that `belongs` accepts) back to its queue; returns how many. */
  redrive(queue: QueueName, belongs?: (body: string) => boolean): Promise<number>;
}

/** Everything the use cases may be given; each takes the slice it uses. */
export interface AppDeps {
  events: EventStore;
  inbox: InboxStore;
  shops: ShopStore;
  reads: ReadModels;
  timers: TimerStore;
  notices: NoticeLog;
  outreach: OutreachLedger;
  /** The local outbox (what the default channel "sent"). */
  outbox: OutboxStore;
  queues: Queues;
  outbound: OutboundSender;
  outboundLog: OutboundLog;
  redelivery: Redelivery;
  policies: PolicyStore;
  rateLimiter: RateLimiter;
  /** The DLQs, where the function may list and redrive them (the admin API). */
  deadLetters?: DeadLetters;
  /** The connector for a provider, if there is one. */
  connectors: (provider: string) => Connector | undefined;
  clock: Clock;
}

/** A shop's published policies, every version kept. */
export interface PolicyStore {
  /** The newest published version, or undefined when the shop has never published one. */
  current(
    shopId: string,
  ): Promise<{ version: number; document: unknown; publishedAt: string; by: string } | undefined>;
  /** Publishes the next version (1, 2, ...); conflicts with a concurrent publish (409). */
  publish(shopId: string, document: unknown, by: string, now: string): Promise<number>;
}

/** Counts requests per key in fixed windows; false once `limit` is reached in the current window. */
export interface RateLimiter {
  take(key: string, limit: number, windowSeconds: number, nowMs: number): Promise<boolean>;
}
