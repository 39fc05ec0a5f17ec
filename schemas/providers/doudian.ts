import * as z from 'zod';
import { IdString } from '../common.ts';

/*
 * Douyin shop (抖店, op.jinritemai.com) message push. The body is a JSON array of messages, each with
 * `tag` (the message type), `msg_id` and `data`, where data is itself a JSON string whose ids (p_id,
 * s_ids, aftersale_id) exceed 2^53, so both layers are parsed with parseJsonSafe.
 *
 * Field lists: op.jinritemai.com/docs/message-docs (30/* trade, 31/* refund), as transcribed in
 * bububa/jinritemai-go message/ and fudiwei/DotNetCore.SKIT.FlurlHttpClient.ByteDance DouyinShop/Events.
 * Lenient: Douyin adds fields, and sends numbers as strings in places.
 */

/** Unix seconds; tolerated as a digit string or China local "yyyy-MM-dd HH:mm:ss". */
const DoudianTime = z.union([z.number(), z.string().min(1)]);
/** Amounts are already integer fen (分). */
const Fen = z.union([z.number().int(), z.string().regex(/^-?\d+$/)]).transform(Number);
const Code = z.union([z.number(), z.string()]).transform(String);

export const DoudianMessage = z.looseObject({
  tag: Code,
  msg_id: Code,
  /** A JSON string per the push protocol; tolerated as an object if a relay pre-parsed it. */
  data: z.union([z.string(), z.record(z.string(), z.unknown())]),
});
export type DoudianMessage = z.infer<typeof DoudianMessage>;

export const DoudianPush = z.array(DoudianMessage).min(1);
export type DoudianPush = z.infer<typeof DoudianPush>;

/** data of the trade tags (100 created, 101 paid, 102 shipped, 103 completed, 106 cancelled). */
export const DoudianOrderData = z.looseObject({
  /** Parent (shop) order id: the order. */
  p_id: IdString,
  /** Sub-order (line) ids. */
  s_ids: z.array(IdString).optional(),
  shop_id: IdString.optional(),
  /** 1 awaiting payment / confirmation, 2 paid (备货中), 3 shipped, 4 cancelled, 5 completed. */
  order_status: Code.optional(),
  order_type: Code.optional(),
  /** 0 cash on delivery, 1 WeChat, 2 Alipay... */
  pay_type: Code.optional(),
  pay_amount: Fen.optional(),
  create_time: DoudianTime.optional(),
  pay_time: DoudianTime.optional(),
  update_time: DoudianTime.optional(),
  complete_time: DoudianTime.optional(),
  cancel_time: DoudianTime.optional(),
  cancel_reason: z.string().optional(),
  logistics_msg: z
    .looseObject({
      express_company_id: Code.optional(),
      logistics_code: Code.optional(),
      pack_id: Code.optional(),
    })
    .optional(),
});
export type DoudianOrderData = z.infer<typeof DoudianOrderData>;

/** data of the after-sale tags (200-series). */
export const DoudianAfterSaleData = z.looseObject({
  p_id: IdString,
  /** The sub-order (line) the after-sale is about. */
  s_id: IdString.optional(),
  shop_id: IdString.optional(),
  aftersale_id: IdString,
  aftersale_status: Code.optional(),
  /** 0 return + refund, 1 refund only (shipped), 2 refund before shipping, 3 exchange, 7 reship, 8 repair. */
  aftersale_type: Code.optional(),
  /** Amount asked, postage included, in fen. */
  refund_amount: Fen.optional(),
  refund_post_amount: Fen.optional(),
  reason_code: Code.optional(),
  apply_time: DoudianTime.optional(),
  agree_time: DoudianTime.optional(),
  refuse_time: DoudianTime.optional(),
  return_time: DoudianTime.optional(),
  success_time: DoudianTime.optional(),
  close_time: DoudianTime.optional(),
  modify_time: DoudianTime.optional(),
  update_time: DoudianTime.optional(),
  /** Return tracking number (buyer returned goods, tag 203); newer docs name it logistics_code. */
  logistics: Code.optional(),
  logistics_code: Code.optional(),
  express_company_code: Code.optional(),
  express_company_id: Code.optional(),
  latest_record: z.string().optional(),
});
export type DoudianAfterSaleData = z.infer<typeof DoudianAfterSaleData>;
