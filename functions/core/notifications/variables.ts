import type { Locale } from '../../../schemas/notifications.ts';

/*
 * What a template may say: each variable with its type, what it means, whether the notice always
 * carries it, and a realistic example in each language (the docs, the settings page's preview and
 * the SMS length check at save time all use the examples, so they are long where real values are:
 * a 19-digit Taobao order number, an 18-character UPS tracking number, a pickup point with its address).
 */

export type TemplateChannel = 'email' | 'sms' | 'chat';

export type VariableType =
  | 'text' // as given
  | 'url' // an http(s) link; anything else is treated as absent
  | 'money' // integer minor units, formatted with the currency named by `currency`
  | 'currency' // an ISO 4217 code
  | 'date' // an ISO instant or YYYY-MM-DD, shown as a day in the customer's zone
  | 'datetime' // an ISO instant, shown as a day and time in the customer's zone
  | 'enum' // a code shown as its label in the customer's language; an unknown code is absent
  | 'address' // an Address object (schemas/events.ts) on one line
  | 'list' // strings, joined
  | 'flag' // a boolean: only for {{#if}} / {{#unless}}
  | 'carrier'; // a carrier code, shown by its name in the customer's language

export type Labels = Record<string, Record<Locale, string>>;

export interface VariableSpec {
  type: VariableType;
  description: string;
  /** Rendering without it is an error naming the template and the variable. */
  required: boolean;
  /** money: the variable that names the currency. */
  currency?: string;
  /** enum: the known codes and what each says. */
  labels?: Labels;
  /** Used when this variable has no value. */
  fallback?: string;
  /** carrier: the variable with the carrier's display name, used for codes we have no name for. */
  nameFrom?: string;
  /** Supplied by the renderer (shopName, unsubscribe), never by the notice. */
  auto?: boolean;
  /** Only these parts may use it (the SMS opt-out text, for instance). */
  channels?: TemplateChannel[];
  example: Record<Locale, unknown>;
}

type Example = unknown | Record<Locale, unknown>;
const isPerLocale = (e: unknown): e is Record<Locale, unknown> =>
  !!e && typeof e === 'object' && !Array.isArray(e) && 'zh-CN' in e && 'en' in e;
const examples = (e: Example): Record<Locale, unknown> => (isPerLocale(e) ? e : { 'zh-CN': e, en: e });

type Extra = Partial<Omit<VariableSpec, 'type' | 'description' | 'example'>>;
const spec =
  (type: VariableType) =>
  (description: string, example: Example, extra: Extra = {}): VariableSpec => ({
    type,
    description,
    required: false,
    ...extra,
    example: examples(example),
  });

export const text = spec('text');
export const url = spec('url');
export const money = spec('money');
export const currency = spec('currency');
export const date = spec('date');
export const datetime = spec('datetime');
export const address = spec('address');
export const list = spec('list');
export const flag = spec('flag');
export const carrier = spec('carrier');
export const oneOf = (labels: Labels, description: string, example: Example, extra: Extra = {}) =>
  spec('enum')(description, example, { labels, ...extra });
export const required = (v: VariableSpec): VariableSpec => ({ ...v, required: true });

// --- labels -------------------------------------------------------------------------------------

const L = (zh: string, en: string): Record<Locale, string> => ({ 'zh-CN': zh, en });

export const CASE_TYPE_LABELS: Labels = {
  return_refund: L('退货退款', 'return'),
  exchange: L('换货', 'exchange'),
  repair: L('维修', 'repair'),
  refund_only: L('仅退款', 'refund'),
  reship: L('补发', 'replacement'),
  complaint: L('投诉', 'complaint'),
};

export const CASE_STATUS_LABELS: Labels = {
  requested: L('已提交', 'requested'),
  pending_review: L('待审核', 'under review'),
  approved: L('已通过', 'approved'),
  rejected: L('未通过', 'declined'),
  awaiting_return: L('待寄回', 'awaiting your return'),
  return_in_transit: L('退货运输中', 'return on its way'),
  return_received: L('已收到退货', 'return received'),
  inspected: L('已验收', 'inspected'),
  refunded: L('已退款', 'refunded'),
  replacement_shipped: L('已发出新商品', 'replacement shipped'),
  resolved: L('已解决', 'resolved'),
  closed: L('已关闭', 'closed'),
  cancelled: L('已取消', 'cancelled'),
};

/** Said after "your parcel": where it was left when it was not handed to the customer. */
export const DELIVERED_TO_LABELS: Labels = {
  other_person: L('已由他人代收', 'was signed for by someone else'),
  locker: L('已放入快递柜', 'was left in a parcel locker'),
  pickup_point: L('已送到代收点', 'was left at a pickup point'),
};

/** What happens next after a parcel problem: a whole sentence, said after the apology. */
export const NEXT_STEP_LABELS: Labels = {
  shop_will_contact_you: L(
    '我们已安排专人跟进，会在24小时内联系您，为您补发或退款。',
    "We're on it and will contact you within 24 hours to arrange a replacement or a refund.",
  ),
  check_address: L(
    '快递反馈收货地址有问题，请核对地址；如需修改，请尽快联系我们。',
    'The carrier reports a problem with the delivery address. Please check it and contact us if it needs changing.',
  ),
  wait_for_carrier_update: L(
    '我们正在与快递公司核实，有新进展会第一时间通知您。',
    "We're checking with the carrier and will let you know as soon as there's news.",
  ),
  shop_is_checking_with_carrier: L(
    '我们正在向快递公司核实包裹去向，会在24小时内告诉您结果；如确认丢失，将为您补发或退款。',
    "We're tracing it with the carrier and will update you within 24 hours. If it's lost, we'll send a replacement or refund you.",
  ),
};

/** Said after "your parcel": why its tracking went quiet. */
export const STALL_REASON_LABELS: Labels = {
  shipment_stalled: L('物流信息已有一段时间没有更新', "hasn't had a tracking update for a while"),
  no_tracking_info: L('至今查不到物流信息', 'still has no tracking information'),
  tracking_stopped: L('物流跟踪已中断', 'is no longer being tracked by the carrier'),
};

/** Why a request was declined, in the customer's words; shops' own codes have no label (the note says it). */
export const REJECT_REASON_LABELS: Labels = {
  no_rule_matched: L('不符合本店的售后政策', "it doesn't meet our after-sale policy"),
  outside_return_window: L('已超过可申请售后的期限', 'the return window has closed'),
  not_returnable: L('该商品不支持退换', "this item can't be returned"),
  order_not_delivered: L('订单尚未签收', "the order hasn't been delivered yet"),
  too_many_cases: L('该商品的售后申请次数已达上限', 'this item has reached its limit of after-sale requests'),
  order_cancelled: L('订单已取消', 'the order was cancelled'),
  resolution_not_allowed: L('该退款方式不适用', "that way of refunding isn't available for this request"),
  type_not_allowed: L('该商品不支持此类售后', "this kind of request isn't available for the item"),
  reason_not_allowed: L('该申请原因不适用', "that reason isn't accepted for this item"),
  quantity_exceeds_purchased: L(
    '申请数量超过了可售后的数量',
    'more items were requested than can still be claimed',
  ),
};

export const CANCEL_REASON_LABELS: Labels = {
  not_shipped_in_time: L('未在寄回期限内寄出商品', "the item wasn't shipped back by the deadline"),
};

export const POSTAGE_LABELS: Labels = {
  buyer: L('由您承担（请勿选择到付）', 'paid by you (please prepay it, no cash on delivery)'),
  shop: L('由本店承担', 'paid by us'),
};

export const REFUND_METHOD_LABELS: Labels = {
  original_payment: L('将原路退回您的支付账户', 'back to your original payment method'),
  store_credit: L('已存入您在本店的余额', 'as store credit'),
};

export const HOLIDAY_LABELS: Labels = {
  spring_festival: L('春节', 'Chinese New Year'),
  mid_autumn: L('中秋节', 'Mid-Autumn Festival'),
  double_eleven: L('双十一', "Singles' Day"),
  christmas: L('圣诞节', 'Christmas'),
};

/** Said after the parcel: what went wrong, for staff. */
export const STAFF_REASON_LABELS: Labels = {
  delivery_refused: L('客户拒收', 'refused by the customer'),
  parcel_lost: L('疑似丢件', 'probably lost'),
  parcel_damaged: L('包裹破损', 'damaged'),
  returned_to_sender: L('已退回发件人', 'returned to sender'),
  shipment_stalled: L('物流停滞', 'stalled (no tracking updates)'),
  no_tracking_info: L('无物流信息', 'without any tracking information'),
  tracking_stopped: L('物流跟踪中断', 'no longer tracked by the carrier'),
};

export const SLA_LABELS: Labels = {
  refund_due: L('退款已超过承诺时限', 'is past its refund deadline'),
  first_response: L('首次回复已超时', 'is past its first-response deadline'),
};

export const SEGMENT_LABELS: Labels = {
  champions: L('核心客户', 'champion'),
  loyal: L('忠诚客户', 'loyal'),
  recent: L('新客户', 'recent'),
  needs_attention: L('需关注客户', 'needs attention'),
  at_risk: L('流失风险客户', 'at risk'),
  inactive: L('沉睡客户', 'inactive'),
};

/** Carrier names as Chinese customers know them; other languages use the tracking module's names. */
export const CARRIER_NAMES_ZH: Record<string, string> = {
  'sf-express': '顺丰速运',
  yto: '圆通速递',
  zto: '中通快递',
  sto: '申通快递',
  yunda: '韵达快递',
  jtexpress: '极兔速递',
  'china-post': '中国邮政',
  ems: 'EMS',
  jd: '京东物流',
  deppon: '德邦快递',
  best: '百世快递',
};
