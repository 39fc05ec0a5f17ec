import type * as z from 'zod';
import type { CanonicalEventInput } from '../../../schemas/events.ts';
import type { CaseStatus, CaseType } from '../../../schemas/names.ts';
import {
  DoudianAfterSaleData as AfterSaleDataSchema,
  type DoudianAfterSaleData,
  type DoudianMessage,
  type DoudianOrderData,
  DoudianPush,
  DoudianOrderData as OrderDataSchema,
} from '../../../schemas/providers/doudian.ts';
import type {
  Connector,
  ConnectorConfig,
  IngestReply,
  ParseContext,
  RawRequest,
} from '../../app/connectors.ts';
import { goodsComeBack } from '../../core/cases/case-types.ts';
import { hmacSha256, md5, sha256 } from '../../lib/crypto.ts';
import { UnparseablePayloadError } from '../../lib/errors.ts';
import { readJson } from '../../lib/json.ts';
import { unixOrIsoToInstant } from '../../lib/time.ts';
import { signedByAnySecret } from './signatures.ts';
import { bodyText } from './text.ts';
import { ZONE_LESS } from './times.ts';

/*
 * Douyin shop (抖店) message push: POST of a JSON array [{tag, msg_id, data}], data a JSON string.
 * Signature: header event-sign = lowercase hex md5(app_key + raw body + app_secret); header app-id is
 * the app key. Douyin expects {"code":0,"msg":"success"} and retries anything else.
 */

const CNY = 'CNY';

/** Tag numbers as op.jinritemai.com lists them; the names are Douyin's own topic names. */
const TAG_NAMES: Record<string, string> = {
  '0': 'doudian_test',
  '100': 'doudian_trade_TradeCreate',
  '101': 'doudian_trade_TradePaid',
  '102': 'doudian_trade_TradeSellerShip',
  '103': 'doudian_trade_TradeSuccess',
  '104': 'doudian_trade_TradeLogisticsChanged',
  '105': 'doudian_trade_TradeAddressChanged',
  '106': 'doudian_trade_TradeCanceled',
  '200': 'doudian_refund_RefundCreated',
  '201': 'doudian_refund_RefundAgreed',
  '202': 'doudian_refund_ReturnApplyAgreed',
  '203': 'doudian_refund_BuyerReturnGoods',
  '204': 'doudian_refund_RefundRefused',
  '205': 'doudian_refund_ReturnApplyRefused',
  '206': 'doudian_refund_RefundSuccess',
  '207': 'doudian_refund_RefundClosed',
  '208': 'doudian_refund_RefundModified',
};

export const doudian: Connector = {
  provider: 'doudian',
  verify: verifyDoudianSignature,
  dedupeKey(req) {
    const ids = readPush(req).map((m) => m.msg_id);
    // Douyin retries the same batch with the same msg_ids; order inside a batch is not promised.
    const key = ids.length === 1 ? ids[0]! : `msgs:${sha256([...ids].sort().join('\n'))}`;
    return key.length <= 200 ? key : `sha256:${sha256(key)}`;
  },
  topic(req) {
    const tags = [...req.body.toString('utf8', 0, 4096).matchAll(/"tag"\s*:\s*"?(\d{1,6})"?/g)].map(
      (m) => m[1]!,
    );
    if (tags.length === 0) return undefined;
    return [...new Set(tags)].map((t) => TAG_NAMES[t] ?? `doudian_tag_${t}`).join(',');
  },
  parse(req, ctx) {
    const events: CanonicalEventInput[] = [];
    const ignored: string[] = [];
    for (const message of readPush(req)) {
      const result = parseMessage(message, ctx);
      if (typeof result === 'string') ignored.push(result);
      else events.push(...result);
    }
    if (events.length === 0) return { kind: 'ignored', reason: ignored.join('; ') };
    return { kind: 'events', events };
  },
  reply(outcome) {
    if (outcome.kind === 'rejected') {
      return json(outcome.statusCode, { code: outcome.statusCode || 1, msg: outcome.message });
    }
    // Accepted, duplicate and ping all mean "stop retrying" to Douyin.
    return json(200, { code: 0, msg: 'success' });
  },
};

/**
 * md5(app_key + body + app_secret) over the raw bytes, compared in constant time with each secret. The
 * app key is settings.appKey when configured (and the app-id header must then match it), else app-id.
 * Apps switched to `sign-method: hmac-sha256` sign the same string with HMAC-SHA256 keyed by the secret.
 */
export function verifyDoudianSignature(req: RawRequest, config: ConnectorConfig): boolean {
  const received = req.headers['event-sign']?.trim().toLowerCase();
  if (!received) return false;
  const appId = req.headers['app-id']?.trim();
  const configured = config.settings.appKey?.trim();
  if (configured && appId !== configured) return false;
  const appKey = configured || appId;
  if (!appKey) return false;
  const method = (req.headers['sign-method'] ?? 'md5').trim().toLowerCase();
  if (method !== 'md5' && method !== 'hmac-sha256') return false;
  return signedByAnySecret(config.secrets, received, (secret) => {
    const signed = Buffer.concat([Buffer.from(appKey, 'utf8'), req.body, Buffer.from(secret, 'utf8')]);
    return method === 'md5' ? md5(signed, 'hex') : hmacSha256(secret, signed, 'hex');
  });
}

/** Canonical events for one message, or the reason it is ignored. */
function parseMessage(m: DoudianMessage, ctx: ParseContext): CanonicalEventInput[] | string {
  if (m.tag === '0') return `msg ${m.msg_id}: Douyin push connectivity test`;
  if (Object.hasOwn(ORDER_TAGS, m.tag)) {
    const data = readData(m, OrderDataSchema);
    const { field, map } = ORDER_TAGS[m.tag]!;
    const at = messageTime(m, data, field);
    return map(data, at, eventBase(ctx, m, data.p_id, at));
  }
  if (Object.hasOwn(AFTER_SALE_TAGS, m.tag)) {
    const data = readData(m, AfterSaleDataSchema);
    return afterSaleEvents(m, data, ctx);
  }
  return `msg ${m.msg_id}: tag ${m.tag} (${TAG_NAMES[m.tag] ?? 'unknown'}) is not one we track`;
}

/** The fields every event from one message shares; the event type keeps the ids of one message apart. */
type Base = (type: string) => { eventId: string; provider: 'doudian'; occurredAt: string; orderId: string };

function eventBase(ctx: ParseContext, m: DoudianMessage, orderId: string, occurredAt: string): Base {
  return (type) => ({
    eventId: ctx.eventId(`${m.msg_id}:${type}`),
    provider: 'doudian',
    occurredAt,
    orderId,
  });
}

type OrderTag = {
  /** The data field holding when the fact happened. */
  field: keyof DoudianOrderData;
  map: (d: DoudianOrderData, at: string, base: Base) => CanonicalEventInput[];
};

const ORDER_TAGS: Record<string, OrderTag> = {
  '100': {
    field: 'create_time',
    map: (d, at, b) => [
      {
        ...b('OrderPlaced'),
        type: 'OrderPlaced',
        order: { number: d.p_id, currency: CNY, placedAt: at, providerStatus: d.order_status },
      },
    ],
  },
  '101': {
    field: 'pay_time',
    map: (d, at, b) => {
      const order = {
        number: d.p_id,
        currency: CNY,
        providerStatus: d.order_status,
        totals: d.pay_amount === undefined ? undefined : { total: d.pay_amount },
      };
      // pay_type 0 is cash on delivery: tag 101 then means "shop confirmed the order", nothing is paid.
      if (d.pay_type === '0') return [{ ...b('OrderUpdated'), type: 'OrderUpdated', order }];
      return [{ ...b('OrderPaid'), type: 'OrderPaid', paidAt: at, order }];
    },
  },
  '102': {
    field: 'update_time',
    map: (d, at, b) => {
      const tracking = d.logistics_msg?.logistics_code?.trim();
      if (!tracking) {
        return [
          {
            ...b('OrderUpdated'),
            type: 'OrderUpdated',
            order: { number: d.p_id, providerStatus: d.order_status, fulfillment: 'fulfilled' },
          },
        ];
      }
      return [
        {
          ...b('ShipmentCreated'),
          type: 'ShipmentCreated',
          fulfillmentId: d.logistics_msg?.pack_id || undefined,
          carrier: d.logistics_msg?.express_company_id,
          trackingNumber: tracking,
          direction: 'outbound',
          shippedAt: at,
        },
      ];
    },
  },
  // Completed = the buyer confirmed receipt, or Douyin confirmed it for them after the timeout.
  '103': {
    field: 'complete_time',
    map: (_d, at, b) => [
      { ...b('OrderDelivered'), type: 'OrderDelivered', deliveredAt: at, confirmedBy: 'buyer' },
    ],
  },
  '106': {
    field: 'cancel_time',
    map: (d, at, b) => [
      {
        ...b('OrderCancelled'),
        type: 'OrderCancelled',
        cancelledAt: at,
        reason: d.cancel_reason || undefined,
        order: { providerStatus: d.order_status },
      },
    ],
  },
};

type AfterSaleTag = { field: keyof DoudianAfterSaleData; status: (caseType: CaseType) => CaseStatus };

const AFTER_SALE_TAGS: Record<string, AfterSaleTag> = {
  '200': { field: 'apply_time', status: () => 'requested' },
  // Agreed on a return is sent when the shop confirms the goods arrived; otherwise the money is approved.
  '201': { field: 'agree_time', status: (t) => (goodsComeBack(t) ? 'return_received' : 'approved') },
  '202': { field: 'agree_time', status: () => 'awaiting_return' },
  '203': { field: 'return_time', status: () => 'return_in_transit' },
  '204': { field: 'refuse_time', status: () => 'rejected' },
  '205': { field: 'refuse_time', status: () => 'rejected' },
  '206': { field: 'success_time', status: () => 'refunded' },
  '207': { field: 'close_time', status: () => 'closed' },
  '208': { field: 'modify_time', status: () => 'requested' },
};

const AFTER_SALE_TYPES: Record<string, CaseType> = {
  '0': 'return_refund',
  '1': 'refund_only',
  '2': 'refund_only',
  '3': 'exchange',
  '7': 'reship',
  '8': 'repair',
};
/** Tags that only exist for returns, when aftersale_type is missing (RefundCreated omits it in places). */
const RETURN_TAGS = new Set(['202', '203', '205']);

function afterSaleEvents(
  m: DoudianMessage,
  d: DoudianAfterSaleData,
  ctx: ParseContext,
): CanonicalEventInput[] {
  const { field, status } = AFTER_SALE_TAGS[m.tag]!;
  const at = messageTime(m, d, field);
  const base = eventBase(ctx, m, d.p_id, at);
  const caseType =
    (d.aftersale_type !== undefined ? AFTER_SALE_TYPES[d.aftersale_type] : undefined) ??
    (RETURN_TAGS.has(m.tag) ? 'return_refund' : 'refund_only');
  const tracking = (d.logistics_code ?? d.logistics)?.trim() || undefined;
  const events: CanonicalEventInput[] = [
    {
      ...base('AfterSaleRequested'),
      type: 'AfterSaleRequested',
      requestId: d.aftersale_id,
      caseType,
      status: status(caseType),
      providerStatus: d.aftersale_status,
      amount: d.refund_amount,
      currency: CNY,
      returnTrackingNumber: tracking,
      returnCarrier: tracking ? (d.express_company_code ?? d.express_company_id) : undefined,
    },
  ];
  if (m.tag === '206') {
    if (d.refund_amount === undefined) {
      throw new UnparseablePayloadError(`msg ${m.msg_id}: refund success without refund_amount`);
    }
    events.push({
      ...base('OrderRefunded'),
      type: 'OrderRefunded',
      refundId: d.aftersale_id,
      amount: d.refund_amount,
      currency: CNY,
    });
  }
  return events;
}

/** The tag's own time field, else update_time; never our arrival time. */
function messageTime(m: DoudianMessage, data: Record<string, unknown>, field: string): string {
  const value = data[field] ?? data.update_time;
  if (typeof value !== 'number' && typeof value !== 'string') {
    throw new UnparseablePayloadError(`msg ${m.msg_id}: tag ${m.tag} data has no ${field}`);
  }
  return unixOrIsoToInstant(value, ZONE_LESS.doudian);
}

function readPush(req: RawRequest): DoudianPush {
  return readJson(bodyText(req), DoudianPush, {
    notJson: 'body is not valid JSON',
    invalid: 'body must be a JSON array of {tag, msg_id, data}',
  });
}

function readData<S extends z.ZodType>(m: DoudianMessage, schema: S): z.infer<S> {
  return readJson(m.data, schema, {
    notJson: `msg ${m.msg_id}: data is not JSON`,
    invalid: `msg ${m.msg_id}: unexpected data for tag ${m.tag}`,
  });
}

function json(statusCode: number, body: { code: number; msg: string }): IngestReply {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
