import * as z from 'zod';
import { IdString } from '../common.ts';

/*
 * Taobao/Tmall TMC messages as a shop's ERP or TMC client forwards them to us. TMC is a long-lived
 * WebSocket (or the taobao.tmc.messages.consume pull API), not an HTTP webhook, so the forwarder posts
 * one TmcMessage per request, signed with our own scheme (see generic.ts).
 *
 * Field lists: Taobao open platform message docs (open.taobao.com/tmc.htm), as transcribed in
 * TheNorthMemory/tmc.js types/taobao.d.ts. Ids such as tid/oid/refund_id exceed 2^53: the body and the
 * content are both parsed with parseJsonSafe, and IdString keeps them as strings. Lenient on purpose:
 * Taobao adds fields and ERPs enrich the content (out_sid, company_name, has_good_return).
 */

/** A decimal amount in yuan as Taobao sends it ("120.00"); some ERPs re-serialise it as a number. */
const Yuan = z.union([z.string(), z.number()]);
/** Taobao times are China local "yyyy-MM-dd HH:mm:ss"; a Java forwarder may send epoch millis. */
const TaobaoTime = z.union([z.string().min(1), z.number()]);

/** The envelope: one TmcMessage (fields as in taobao.tmc.messages.consume). */
export const TaobaoTmcMessage = z.looseObject({
  topic: z.string().min(1),
  /** The message content: a JSON string per the TMC protocol; tolerated as an object if pre-parsed. */
  content: z.union([z.string(), z.record(z.string(), z.unknown())]),
  /** TMC's own message id (exceeds 2^53). */
  id: IdString.optional(),
  pub_time: TaobaoTime.optional(),
  pub_app_key: z.union([z.string(), z.number()]).optional(),
  user_id: IdString.optional(),
  user_nick: z.string().optional(),
});
export type TaobaoTmcMessage = z.infer<typeof TaobaoTmcMessage>;

/** Content of the taobao_trade_* topics (TradeCreate, TradeBuyerPay, TradeSellerShip, ...). */
export const TaobaoTradeContent = z.looseObject({
  tid: IdString,
  oid: IdString.optional(),
  buyer_nick: z.string().optional(),
  buyer_open_uid: z.string().optional(),
  seller_nick: z.string().optional(),
  /** Paid amount in yuan. */
  payment: Yuan.optional(),
  post_fee: Yuan.optional(),
  /** WAIT_BUYER_PAY, WAIT_SELLER_SEND_GOODS, SELLER_CONSIGNED_PART, TRADE_FINISHED, TRADE_CLOSED... */
  status: z.string().optional(),
  type: z.string().optional(),
  modified: TaobaoTime.optional(),
  /** Not in TMC itself: ERPs that look the shipment up add the tracking number and carrier name. */
  out_sid: z.union([z.string(), z.number()]).optional(),
  company_name: z.string().optional(),
});
export type TaobaoTradeContent = z.infer<typeof TaobaoTradeContent>;

/** Content of the taobao_refund_* topics. */
export const TaobaoRefundContent = z.looseObject({
  refund_id: IdString,
  tid: IdString,
  oid: IdString.optional(),
  buyer_nick: z.string().optional(),
  buyer_open_uid: z.string().optional(),
  seller_nick: z.string().optional(),
  /** Refund amount in yuan ("59.78"). */
  refund_fee: Yuan,
  /** refund_bill (money only), return_bill (goods come back), replace_bill (exchange). */
  bill_type: z.string().optional(),
  /** onsale (before the trade finished) or aftersale. */
  refund_phase: z.string().optional(),
  modified: TaobaoTime.optional(),
  /** From taobao.refund.get, added by enriching ERPs: whether goods must be returned. */
  has_good_return: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
  status: z.string().optional(),
  reason: z.string().optional(),
  /** Return shipment, added by enriching ERPs (taobao.refund.get fields company_name / sid). */
  company_name: z.string().optional(),
  sid: z.union([z.string(), z.number()]).optional(),
});
export type TaobaoRefundContent = z.infer<typeof TaobaoRefundContent>;
