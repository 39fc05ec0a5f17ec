import type * as z from 'zod';
import type { CanonicalEventInput, OrderFacts } from '../../../schemas/events.ts';
import type { CaseStatus, CaseType } from '../../../schemas/names.ts';
import {
  TaobaoRefundContent as RefundContentSchema,
  type TaobaoRefundContent,
  TaobaoTmcMessage,
  type TaobaoTradeContent,
  TaobaoTradeContent as TradeContentSchema,
} from '../../../schemas/providers/taobao.ts';
import type { Connector, ParseContext, RawRequest } from '../../app/connectors.ts';
import { goodsComeBack } from '../../core/cases/case-types.ts';
import { sha256 } from '../../lib/crypto.ts';
import { UnparseablePayloadError } from '../../lib/errors.ts';
import { readJson } from '../../lib/json.ts';
import { toMinorUnits } from '../../lib/money.ts';
import { unixOrIsoToInstant } from '../../lib/time.ts';
import { customerFacts } from './contact.ts';
import { aftersaleEventId, verifyAftersaleSignature } from './generic.ts';
import { bodyText } from './text.ts';
import { ZONE_LESS } from './times.ts';

/*
 * Taobao/Tmall through a bridge: TMC is a WebSocket the shop's ERP (or a TMC client) holds open, so the
 * bridge posts each TMC message to us as JSON {topic, content, id, pub_time, ...}, signed with our own
 * scheme. `content` is a JSON string with ids above 2^53; both layers go through parseJsonSafe.
 */

const CNY = 'CNY';
type OrderFactsInput = z.input<typeof OrderFacts>;

export const taobao: Connector = {
  provider: 'taobao',
  verify: verifyAftersaleSignature,
  dedupeKey(req) {
    if (req.headers['x-aftersale-event-id']?.trim()) return aftersaleEventId(req);
    const message = readMessage(req);
    // TMC redelivers a message with the same id until it is confirmed: the natural retry key.
    if (message.id !== undefined) return `tmc:${message.id}`;
    return `sha256:${sha256(`${message.topic}\u0000${contentText(message.content)}`)}`;
  },
  topic(req) {
    const match = /"topic"\s*:\s*"([A-Za-z0-9_]{1,100})"/.exec(req.body.toString('utf8', 0, 4096));
    return match?.[1];
  },
  parse(req, ctx) {
    const message = readMessage(req);
    const { topic } = message;
    if (Object.hasOwn(TRADE_TOPICS, topic)) {
      const content = readContent(message, TradeContentSchema);
      return {
        kind: 'events',
        events: TRADE_TOPICS[topic]!(content, occurredAt(message, content), ctx, topic),
      };
    }
    if (Object.hasOwn(REFUND_STATUS, topic)) {
      const content = readContent(message, RefundContentSchema);
      return { kind: 'events', events: refundEvents(content, occurredAt(message, content), ctx, topic) };
    }
    return { kind: 'ignored', reason: `Taobao topic ${topic} is not one we track` };
  },
};

type TradeMapper = (
  c: TaobaoTradeContent,
  at: string,
  ctx: ParseContext,
  topic: string,
) => CanonicalEventInput[];

const TRADE_TOPICS: Record<string, TradeMapper> = {
  taobao_trade_TradeCreate: (c, at, ctx, topic) => [
    { ...base(ctx, topic, at, c.tid), type: 'OrderPlaced', order: { ...orderFacts(c), placedAt: at } },
  ],
  taobao_trade_TradeBuyerPay: (c, at, ctx, topic) => [
    { ...base(ctx, topic, at, c.tid), type: 'OrderPaid', paidAt: at, order: orderFacts(c) },
  ],
  taobao_trade_TradeSellerShip: (c, at, ctx, topic) => {
    // TMC itself carries no tracking number; ERPs that look the consignment up add out_sid/company_name.
    const tracking = c.out_sid === undefined ? '' : String(c.out_sid).trim();
    if (tracking) {
      return [
        {
          ...base(ctx, topic, at, c.tid),
          type: 'ShipmentCreated',
          carrier: c.company_name,
          trackingNumber: tracking,
          direction: 'outbound',
          shippedAt: at,
        },
      ];
    }
    const fulfillment = c.status === 'SELLER_CONSIGNED_PART' ? 'partially_fulfilled' : 'fulfilled';
    return [
      { ...base(ctx, topic, at, c.tid), type: 'OrderUpdated', order: { ...orderFacts(c), fulfillment } },
    ];
  },
  // Trade success = the buyer confirmed receipt (or Taobao's timeout confirmed it for them).
  taobao_trade_TradeSuccess: (c, at, ctx, topic) => [
    { ...base(ctx, topic, at, c.tid), type: 'OrderDelivered', deliveredAt: at, confirmedBy: 'buyer' },
  ],
  taobao_trade_TradeClose: (c, at, ctx, topic) => [
    { ...base(ctx, topic, at, c.tid), type: 'OrderCancelled', cancelledAt: at, order: orderFacts(c) },
  ],
};

/** Where each refund topic leaves the case. Agreeing to a return means waiting for the goods. */
const REFUND_STATUS: Record<string, (caseType: CaseType) => CaseStatus> = {
  taobao_refund_RefundCreated: () => 'requested',
  taobao_refund_RefundSellerAgreeAgreement: (t) => (goodsComeBack(t) ? 'awaiting_return' : 'approved'),
  taobao_refund_RefundSellerRefuseAgreement: () => 'rejected',
  taobao_refund_RefundBuyerReturnGoods: () => 'return_in_transit',
  taobao_refund_RefundSuccess: () => 'refunded',
  taobao_refund_RefundClosed: () => 'closed',
};

function refundEvents(
  c: TaobaoRefundContent,
  at: string,
  ctx: ParseContext,
  topic: string,
): CanonicalEventInput[] {
  const caseType = refundCaseType(c, topic);
  const amount = toMinorUnits(c.refund_fee, CNY);
  const tracking = c.sid === undefined ? undefined : String(c.sid).trim() || undefined;
  const events: CanonicalEventInput[] = [
    {
      ...base(ctx, topic, at, c.tid),
      type: 'AfterSaleRequested',
      requestId: c.refund_id,
      caseType,
      status: REFUND_STATUS[topic]!(caseType),
      providerStatus: c.status ?? topic.replace(/^taobao_refund_/, ''),
      amount,
      currency: CNY,
      reason: c.reason,
      returnTrackingNumber: tracking,
      returnCarrier: tracking ? c.company_name : undefined,
    },
  ];
  if (topic === 'taobao_refund_RefundSuccess') {
    events.push({
      ...base(ctx, `${topic}:OrderRefunded`, at, c.tid),
      type: 'OrderRefunded',
      refundId: c.refund_id,
      amount,
      currency: CNY,
      reason: c.reason,
    });
  }
  return events;
}

/**
 * The case type from what the message says about the goods: bill_type is in every TMC refund message;
 * has_good_return is added by ERPs that call taobao.refund.get and wins when present.
 */
function refundCaseType(c: TaobaoRefundContent, topic: string): CaseType {
  if (c.bill_type === 'replace_bill') return 'exchange';
  if (c.has_good_return !== undefined) {
    return c.has_good_return === true || c.has_good_return === 'true' ? 'return_refund' : 'refund_only';
  }
  if (c.bill_type === 'return_bill') return 'return_refund';
  if (c.bill_type === 'refund_bill') return 'refund_only';
  // A buyer shipping goods back is a return whatever else is missing.
  return topic === 'taobao_refund_RefundBuyerReturnGoods' ? 'return_refund' : 'refund_only';
}

function base(ctx: ParseContext, suffix: string, occurredAt: string, orderId: string) {
  return { eventId: ctx.eventId(suffix), provider: 'taobao' as const, occurredAt, orderId };
}

function orderFacts(c: TaobaoTradeContent): OrderFactsInput {
  const facts: OrderFactsInput = { number: c.tid, currency: CNY, providerStatus: c.status };
  if (c.payment !== undefined) {
    facts.totals = {
      total: toMinorUnits(c.payment, CNY),
      shipping: c.post_fee === undefined ? undefined : toMinorUnits(c.post_fee, CNY),
    };
  }
  const customer = customerFacts({ externalId: c.buyer_open_uid, name: c.buyer_nick });
  if (customer) facts.customer = customer;
  return facts;
}

/** `modified` is when the fact happened; pub_time (when TMC published it) is the fallback. */
function occurredAt(message: TaobaoTmcMessage, content: { modified?: string | number }): string {
  const when = content.modified ?? message.pub_time;
  if (when === undefined) {
    throw new UnparseablePayloadError(`${message.topic}: neither content.modified nor pub_time is present`);
  }
  return unixOrIsoToInstant(when, ZONE_LESS.taobao);
}

function readMessage(req: RawRequest): TaobaoTmcMessage {
  return readJson(bodyText(req), TaobaoTmcMessage, {
    notJson: 'body is not valid JSON',
    invalid: 'body must be a TMC message {topic, content, ...}',
  });
}

function readContent<S extends z.ZodType>(message: TaobaoTmcMessage, schema: S): z.infer<S> {
  return readJson(message.content, schema, {
    notJson: `${message.topic}: content is not JSON`,
    invalid: `${message.topic}: unexpected content`,
  });
}

function contentText(content: TaobaoTmcMessage['content']): string {
  return typeof content === 'string' ? content : JSON.stringify(content);
}
