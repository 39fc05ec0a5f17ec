import {
  type Locale,
  type NoticeKind,
  type TemplateId,
  TemplateId as TemplateIds,
  type TemplateOverride,
} from '../../../schemas/notifications.ts';
import { toParts } from './built-in.ts';
import { EN_CHAT, EN_TEXTS } from './texts-en.ts';
import { ZH_CHAT, ZH_TEXTS } from './texts-zh.ts';
import {
  address,
  CANCEL_REASON_LABELS,
  CASE_STATUS_LABELS,
  CASE_TYPE_LABELS,
  carrier,
  currency,
  DELIVERED_TO_LABELS,
  date,
  datetime,
  flag,
  HOLIDAY_LABELS,
  list,
  money,
  NEXT_STEP_LABELS,
  oneOf,
  POSTAGE_LABELS,
  REFUND_METHOD_LABELS,
  REJECT_REASON_LABELS,
  required,
  SEGMENT_LABELS,
  SLA_LABELS,
  STAFF_REASON_LABELS,
  STALL_REASON_LABELS,
  type TemplateChannel,
  text,
  url,
  type VariableSpec,
} from './variables.ts';

/*
 * Every template: what kind of message it is, which channels it has, what it may say and what it
 * must be given, and its built-in texts (as template source, in the shape of a shop's override).
 * The catalog is plain data, so the settings page and the docs can use it as it is.
 */

export interface TemplateSpec {
  id: TemplateId;
  kind: NoticeKind;
  /** When it is sent. */
  description: string;
  channels: TemplateChannel[];
  variables: Record<string, VariableSpec>;
  /** The built-in texts, in the shape of an override (the settings page starts from them). */
  builtIn: Record<Locale, TemplateOverride>;
}

type Vars = Record<string, VariableSpec>;

// --- variables every notice of a kind shares ---------------------------------------------------

const SHOP: Vars = {
  shopName: {
    ...required(
      text("The shop's name: the SMS signature and the email's sign-off", {
        'zh-CN': '浙江义乌市小商品城家居日用百货专营旗舰店',
        en: 'Northwind Home Goods',
      }),
    ),
    auto: true,
  },
};

const CUSTOMER: Vars = {
  ...SHOP,
  name: text("The customer's name (from the customer or the order); without it the greeting has no name", {
    'zh-CN': '欧阳晓明',
    en: 'Alexandra Whitfield',
  }),
  portalUrl: url("The shop's after-sale page (for a case: the case's own page, with its token)", {
    'zh-CN': 'https://shop.example.cn/returns/7f3a9c21',
    en: 'https://shop.example.com/returns/7f3a9c21',
  }),
};

const MARKETING: Vars = {
  unsubscribe: {
    ...required(
      text('The SMS opt-out (回TD退订 / Reply STOP to opt out); appended when a template leaves it out', {
        'zh-CN': '回TD退订',
        en: 'Reply STOP to opt out',
      }),
    ),
    auto: true,
    channels: ['sms'],
  },
  unsubscribeUrl: url(
    'The one-click unsubscribe link for email; a footer with it is added when a template leaves it out',
    {
      'zh-CN': 'https://api.example.cn/unsubscribe/abc123',
      en: 'https://api.example.com/unsubscribe/abc123',
    },
  ),
};

const orderNumber = text(
  'The order number the customer knows (falls back to orderId)',
  {
    'zh-CN': '3912345678901234567',
    en: '#100234',
  },
  { fallback: 'orderId' },
);
const orderId = text("The marketplace's order id", { 'zh-CN': '3912345678901234567', en: '5512345678901' });

const ORDER: Vars = {
  ...CUSTOMER,
  orderId: required(orderId),
  orderNumber,
  total: money('The order total', 12_800, { currency: 'currency' }),
  currency: currency('The currency of the amounts (ISO 4217)', { 'zh-CN': 'CNY', en: 'USD' }),
};

/** What every parcel notice carries (functions/core/tracking/milestones.ts), and the order number from the order. */
const PARCEL: Vars = {
  ...CUSTOMER,
  trackingNumber: required(
    text('The tracking number', { 'zh-CN': 'SF1234567890123', en: '1Z999AA10123456784' }),
  ),
  carrier: carrier(
    'The carrier, shown by its name (顺丰速运 / SF Express)',
    { 'zh-CN': 'sf-express', en: 'ups' },
    {
      nameFrom: 'carrierName',
    },
  ),
  carrierName: text("The carrier's display name", { 'zh-CN': 'SF Express', en: 'UPS' }),
  trackingUrl: url("The carrier's or the shop's tracking page", {
    'zh-CN': 'https://www.sf-express.com/chn/sc/waybill/waybill-detail/SF1234567890123',
    en: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
  }),
  orderId: text(orderId.description, orderId.example),
  orderNumber,
};

const providerStatus = text("The carrier's own words for the status (any language)", {
  'zh-CN': '派送异常',
  en: 'Exception: carrier delay',
});
const lastMessage = text("The newest scan's message (any language)", {
  'zh-CN': '快递员电话联系收件人未接通，将再次派送',
  en: 'Customer not available. A second attempt will be made.',
});
const pickupPoint = text('Where the parcel waits to be collected', {
  'zh-CN': '菜鸟驿站（文一西路969号西溪园区店）',
  en: 'InPost locker, Tesco Extra, Kirkstall Road',
});
const pickupCode = text('The pickup code 取件码', { 'zh-CN': '6-2-3018', en: '482913' });
const expectedDelivery = date("The carrier's delivery estimate", '2026-11-20');
const deliveredAt = datetime('When it was delivered', '2026-11-20T06:12:00Z');
const signedBy = text('Who signed for it, as the carrier says', { 'zh-CN': '本人', en: 'A WHITFIELD' });
const nextStep = oneOf(NEXT_STEP_LABELS, 'What happens next (a whole sentence)', 'shop_will_contact_you');

const MILESTONE: Record<string, Vars> = {
  shipped: { shippedAt: date('When it was shipped', '2026-11-18T09:30:00Z'), expectedDelivery },
  out_for_delivery: { expectedDelivery },
  available_for_pickup: { pickupPoint, pickupCode, providerStatus },
  failed_attempt: { providerStatus, lastMessage },
  delivered: {
    deliveredAt,
    signedBy,
    inspectParcelReminder: flag('Always set: the notice asks the customer to check the parcel (验货)', true),
  },
  delivered_elsewhere: {
    deliveredAt,
    signedBy,
    deliveredTo: oneOf(DELIVERED_TO_LABELS, 'Where it was left (said after "your parcel")', 'locker'),
    pickupPoint,
    pickupCode,
    inspectParcelReminder: flag('Always set: the notice asks the customer to check the parcel (验货)', true),
  },
  exception: {
    providerStatus,
    lastMessage,
    apology: flag('Always set: the shop apologises', true),
    nextStep,
  },
  returning: { providerStatus },
  returned: { providerStatus },
  stalled: {
    since: datetime('Since when nothing has moved', '2026-11-17T03:00:00Z'),
    reasonCode: oneOf(
      STALL_REASON_LABELS,
      'Why it counts as stalled (said after "your parcel")',
      'shipment_stalled',
    ),
    lastCheckpointAt: datetime('The last scan', '2026-11-17T03:00:00Z'),
    apology: flag('Always set: the shop apologises', true),
    nextStep: {
      ...nextStep,
      example: { 'zh-CN': 'shop_is_checking_with_carrier', en: 'shop_is_checking_with_carrier' },
    },
  },
};

/** What every case notice carries (functions/core/cases/effects.ts caseNotice), and the order number. */
const CASE: Vars = {
  ...CUSTOMER,
  caseId: text('The case id', '7f3a9c21e4b0d5a6'),
  number: required(text('The case number the customer quotes (售后单号)', 'RMA-7F3A9C21')),
  type: required(oneOf(CASE_TYPE_LABELS, 'The kind of case (退货退款 / return)', 'return_refund')),
  status: oneOf(CASE_STATUS_LABELS, 'Where the case stands', 'awaiting_return'),
  orderId: text(orderId.description, orderId.example),
  orderNumber,
};

const returnBy = datetime('The return must be shipped before this', '2026-11-27T06:00:00Z');
const note = text("Staff's words to the customer", {
  'zh-CN': '商品有明显使用痕迹，吊牌已剪。',
  en: 'The item shows clear signs of wear and the tags were removed.',
});
const caseCurrency = currency('The currency of the amounts (ISO 4217)', { 'zh-CN': 'CNY', en: 'USD' });

const CASE_MILESTONE: Record<string, Vars> = {
  requested: {},
  approved: {
    rma: text('The return number to quote on the parcel', 'RMA-7F3A9C21'),
    returnBy,
    returnAddress: address('Where to send the goods', {
      'zh-CN': {
        name: '王小二',
        phone: '0571-88888888',
        country: 'CN',
        province: '浙江省',
        city: '杭州市',
        district: '余杭区',
        address1: '文一西路969号3号楼售后部',
      },
      en: {
        name: 'Returns Dept.',
        address1: '1200 Commerce Way',
        address2: 'Unit 4',
        city: 'Reno',
        province: 'NV',
        postalCode: '89502',
        country: 'US',
      },
    }),
    instructions: text("The shop's own return instructions", {
      'zh-CN': '请在包裹内附上写有退货编号的纸条。',
      en: 'Please put a note with the RMA number inside the parcel.',
    }),
    postagePaidBy: oneOf(POSTAGE_LABELS, 'Who pays the return postage', 'buyer'),
    mustBeIntact: flag('The goods must come back intact (unused, tags on)', true),
  },
  rejected: {
    reasonCode: oneOf(
      REJECT_REASON_LABELS,
      "Why (the policy's codes have labels; a shop's own code shows nothing, its note says it)",
      'outside_return_window',
    ),
    reasons: list("The policy's reasons (staff wording: the built-in texts do not show them)", [
      'The return window closed on 2026-11-27.',
    ]),
    note,
  },
  cancelled: {
    reason: oneOf(
      CANCEL_REASON_LABELS,
      'Why the case was cancelled, when the system cancelled it',
      'not_shipped_in_time',
    ),
    returnBy,
    note: text(
      'Who cancelled and why (staff wording: the built-in texts do not show it)',
      "Cancelled at the customer's request.",
    ),
  },
  return_in_transit: {},
  return_received: {
    refundDueBy: datetime(
      "The shop handles the return by then (the case's refundDueBy)",
      '2026-12-01T06:00:00Z',
    ),
  },
  inspection_failed: {
    note,
    refundAmount: money('A partial refund offered after the failed inspection', 6400, {
      currency: 'currency',
    }),
    currency: caseCurrency,
  },
  refunded: {
    amount: required(money('The amount refunded', 12_800, { currency: 'currency' })),
    currency: required(caseCurrency),
    method: oneOf(REFUND_METHOD_LABELS, 'How it is paid back', 'original_payment'),
  },
  replacement_shipped: {
    trackingNumber: required(
      text("The replacement parcel's tracking number", {
        'zh-CN': 'SF1234567890123',
        en: '1Z999AA10123456784',
      }),
    ),
    carrier: carrier('The carrier, shown by its name', { 'zh-CN': 'sf-express', en: 'ups' }),
  },
  resolved: {},
  closed: {},
  acknowledged: {},
  proposal: {
    note: text("The proposal, in staff's words to the customer", {
      'zh-CN': '为您补发一件全新商品，并赠送 20 元无门槛优惠券。',
      en: "We'll send you a new one and add a $20 voucher to your account.",
    }),
  },
};

const FOLLOWUP: Vars = { ...CUSTOMER, ...MARKETING, orderId: required(orderId), orderNumber };

/** What every staff alert about a case carries (functions/core/cases/effects.ts staffNotice). */
const STAFF: Vars = {
  ...SHOP,
  caseUrl: url(
    "The case's page in the admin (the alert's link)",
    'https://admin.example.com/admin/cases/7f3a9c21',
  ),
  caseId: text('The case id', '7f3a9c21e4b0d5a6'),
  number: text('The case number', 'RMA-7F3A9C21'),
  type: oneOf(CASE_TYPE_LABELS, 'The kind of case', 'reship'),
  status: oneOf(CASE_STATUS_LABELS, 'Where the case stands', 'pending_review'),
  reason: text(
    "The system's own note on a case it raised (English)",
    'No new checkpoint since 2026-11-20T02:00:00.000Z.',
  ),
  customerName: text("The customer's name", { 'zh-CN': '欧阳晓明', en: 'Alexandra Whitfield' }),
  orderId: text(orderId.description, orderId.example),
  orderNumber,
};

const STAFF_PARCEL: Vars = {
  trackingNumber: text('The tracking number', { 'zh-CN': 'SF1234567890123', en: '1Z999AA10123456784' }),
  carrier: carrier('The carrier', { 'zh-CN': 'sf-express', en: 'ups' }, { nameFrom: 'carrierName' }),
  carrierName: text("The carrier's display name", { 'zh-CN': 'SF Express', en: 'UPS' }),
  reasonCode: oneOf(STAFF_REASON_LABELS, 'What went wrong (the staff reason of the case)', 'parcel_lost'),
};

// --- the templates ----------------------------------------------------------------------------

interface Definition {
  kind: NoticeKind;
  description: string;
  variables: Vars;
}

const PARCEL_MILESTONES = [
  'shipped',
  'out_for_delivery',
  'available_for_pickup',
  'failed_attempt',
  'delivered',
  'delivered_elsewhere',
  'exception',
  'returning',
  'returned',
  'stalled',
] as const;

const parcelDefinitions = (direction: 'shipment' | 'return') =>
  Object.fromEntries(
    PARCEL_MILESTONES.map((m) => [
      `${direction}.${m}`,
      {
        kind: direction === 'return' ? 'silent' : 'transactional',
        description:
          direction === 'return'
            ? `The customer's return parcel: ${m.replaceAll('_', ' ')} (never sent: the case notices speak for it)`
            : `The customer's parcel: ${m.replaceAll('_', ' ')}`,
        variables: { ...PARCEL, ...MILESTONE[m] },
      } satisfies Definition,
    ]),
  );

/** The case type a milestone's example shows (a replacement ships for an exchange, a proposal answers a complaint). */
const EXAMPLE_TYPE: Record<string, string> = {
  replacement_shipped: 'exchange',
  resolved: 'exchange',
  acknowledged: 'complaint',
  proposal: 'complaint',
};

const caseDefinition = (milestone: string, description: string): Definition => {
  const type = EXAMPLE_TYPE[milestone];
  return {
    kind: 'transactional',
    description,
    variables: {
      ...CASE,
      ...(type && { type: { ...CASE.type!, example: { 'zh-CN': type, en: type } } }),
      ...CASE_MILESTONE[milestone],
    },
  };
};

const DEFINITIONS: Record<TemplateId, Definition> = {
  'order.confirmed': { kind: 'transactional', description: 'An order first becomes known', variables: ORDER },
  'order.payment_reminder': {
    kind: 'transactional',
    description: 'An order is still unpaid a while after it was placed (催付)',
    variables: ORDER,
  },
  'order.refunded': {
    kind: 'transactional',
    description: 'The marketplace reports a refund on the order',
    variables: {
      ...CUSTOMER,
      refundId: text("The marketplace's refund id", '8823749823'),
      amount: required(money('The amount refunded', 12_800, { currency: 'currency' })),
      currency: required(currency('The currency (ISO 4217)', { 'zh-CN': 'CNY', en: 'USD' })),
      orderId: text(orderId.description, orderId.example),
      orderNumber,
    },
  },
  ...(parcelDefinitions('shipment') as Record<`shipment.${(typeof PARCEL_MILESTONES)[number]}`, Definition>),
  ...(parcelDefinitions('return') as Record<`return.${(typeof PARCEL_MILESTONES)[number]}`, Definition>),
  'case.requested': caseDefinition('requested', 'A case is opened'),
  'case.approved': caseDefinition(
    'approved',
    'A case is approved (with the return instructions when goods come back)',
  ),
  'case.rejected': caseDefinition('rejected', 'A case is declined'),
  'case.cancelled': caseDefinition(
    'cancelled',
    'A case is cancelled (by the customer, staff, or the ship-by deadline)',
  ),
  'case.return_in_transit': caseDefinition('return_in_transit', "The return parcel's first scan"),
  'case.return_received': caseDefinition('return_received', 'The return arrived at the shop'),
  'case.inspection_failed': caseDefinition('inspection_failed', 'The returned goods failed inspection'),
  'case.refunded': caseDefinition('refunded', 'A refund on the case is recorded'),
  'case.replacement_shipped': caseDefinition(
    'replacement_shipped',
    'The replacement (or repaired item) shipped',
  ),
  'case.resolved': caseDefinition(
    'resolved',
    'The case reached its end (replacement delivered, complaint followed up)',
  ),
  'case.closed': caseDefinition('closed', 'The case is closed'),
  'case.acknowledged': caseDefinition('acknowledged', 'A complaint is acknowledged (its first answer)'),
  'case.proposal': caseDefinition('proposal', 'A remedy is proposed for a complaint'),
  'followup.checkin': {
    kind: 'marketing',
    description: 'Days after delivery: how is it going? (跟踪使用情况)',
    variables: FOLLOWUP,
  },
  'followup.review': {
    kind: 'marketing',
    description: 'A week after delivery: an invitation to review',
    variables: {
      ...FOLLOWUP,
      reviewUrl: url('Where to write the review', 'https://shop.example.com/products/linen-shirt#reviews'),
    },
  },
  winback: {
    kind: 'marketing',
    description: 'No order for a while since the last one',
    variables: {
      ...CUSTOMER,
      ...MARKETING,
      lastOrderAt: date('The last order', '2026-08-01T10:00:00Z'),
      shopUrl: url("The shop's home page", 'https://shop.example.com/'),
    },
  },
  'greeting.birthday': {
    kind: 'marketing',
    description: "On the customer's birthday",
    variables: { ...CUSTOMER, ...MARKETING },
  },
  'greeting.holiday': {
    kind: 'marketing',
    description: 'On a holiday the shop chose',
    variables: {
      ...CUSTOMER,
      ...MARKETING,
      holidayName: text(
        "The holiday's name as the shop wrote it (falls back to the preset's name)",
        {
          'zh-CN': '中秋节',
          en: 'Mid-Autumn Festival',
        },
        { fallback: 'holiday' },
      ),
      holiday: oneOf(HOLIDAY_LABELS, 'A preset holiday', 'mid_autumn'),
    },
  },
  'staff.delivery_exception': {
    kind: 'staff',
    description: 'A parcel problem that needs a person: the system opened a case for staff',
    variables: { ...STAFF, ...STAFF_PARCEL, number: required(STAFF.number!) },
  },
  'staff.sla_breach': {
    kind: 'staff',
    description: 'A case missed its refund or first-response deadline',
    variables: {
      ...STAFF,
      number: required(STAFF.number!),
      type: { ...STAFF.type!, example: { 'zh-CN': 'return_refund', en: 'return_refund' } },
      sla: required(oneOf(SLA_LABELS, 'Which deadline', 'refund_due')),
      dueAt: datetime('The deadline', '2026-11-28T06:00:00Z'),
    },
  },
  'staff.case_waiting': {
    kind: 'staff',
    description: 'A case is still waiting for a decision after the first-response hours',
    variables: {
      ...STAFF,
      number: required(STAFF.number!),
      hours: text("How many hours it has waited at least (the shop's firstResponseHours)", 24),
      since: datetime('Waiting since', '2026-11-21T02:00:00Z'),
    },
  },
  'staff.vip_exception': {
    kind: 'staff',
    description: "A VIP customer's parcel is in trouble",
    variables: {
      ...STAFF,
      ...STAFF_PARCEL,
      segment: oneOf(SEGMENT_LABELS, "The customer's segment", 'champions'),
    },
  },
};

function builtIn(id: TemplateId, kind: NoticeKind): Record<Locale, TemplateOverride> {
  if (kind === 'staff') {
    const staff = id as keyof typeof ZH_CHAT;
    return { 'zh-CN': { chat: ZH_CHAT[staff] }, en: { chat: EN_CHAT[staff] } };
  }
  const customer = id as keyof typeof ZH_TEXTS;
  const marketing = kind === 'marketing';
  return {
    'zh-CN': toParts('zh-CN', ZH_TEXTS[customer], marketing),
    en: toParts('en', EN_TEXTS[customer], marketing),
  };
}

export const TEMPLATE_CATALOG: Readonly<Record<TemplateId, TemplateSpec>> = Object.fromEntries(
  TemplateIds.options.map((id) => {
    const d = DEFINITIONS[id];
    const channels: TemplateChannel[] = d.kind === 'staff' ? ['chat'] : ['email', 'sms'];
    return [
      id,
      {
        id,
        kind: d.kind,
        description: d.description,
        channels,
        variables: d.variables,
        builtIn: builtIn(id, d.kind),
      },
    ];
  }),
) as Record<TemplateId, TemplateSpec>;

export function templateKind(id: TemplateId): NoticeKind {
  const spec = TEMPLATE_CATALOG[id];
  if (!spec) throw new Error(`unknown template "${id}"`);
  return spec.kind;
}
