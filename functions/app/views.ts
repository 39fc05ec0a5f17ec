import type * as z from 'zod';
import type { Case } from '../../schemas/case.ts';
import type { Customer } from '../../schemas/customer.ts';
import type { Order } from '../../schemas/order.ts';
import type { Shipment } from '../../schemas/shipment.ts';
import type { Segment, Shop } from '../../schemas/shop.ts';
import {
  CaseSummaryView,
  CaseView,
  CustomerCaseView,
  CustomerView,
  InboxItemView,
  NoticeView,
  OrderView,
  OutboundDeliveryView,
  SettingsView,
  ShipmentView,
} from '../../schemas/views.ts';
import { staffActionsNow } from '../core/cases/decide-case.ts';
import { returnInstructions } from '../core/cases/effects.ts';
import { allowedActions } from '../core/cases/transitions.ts';
import { maskEmail, maskPhone } from '../core/customers/identity.ts';
import type { ShopSettings } from '../core/engine/types.ts';
import { isVip, type RfmThresholds, rfmOf } from '../core/outreach/rfm.ts';

/** A stored aggregate as the store hands it out: its state, version and last write. */
export interface StoredState<T> {
  data: T;
  version: number;
  updatedAt: string;
}

type AnySchema = z.ZodType & { _zod: { def: Record<string, unknown> & { type: string } } };

/**
 * The part of `value` a view schema names, recursively (objects, arrays, optional and default
 * wrappers): a field the view does not name is left behind, whatever the stored item holds. The
 * result is then parsed against the view, so a field of the wrong shape fails loudly in tests
 * instead of reaching staff.
 */
export function project(schema: z.ZodType, value: unknown): unknown {
  const def = (schema as AnySchema)._zod.def;
  if (value === undefined || value === null) return value;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
      return project(def.innerType as z.ZodType, value);
    case 'object': {
      if (typeof value !== 'object') return value;
      const shape = def.shape as Record<string, z.ZodType>;
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(shape)) {
        const v = project(field, (value as Record<string, unknown>)[key]);
        if (v !== undefined) out[key] = v;
      }
      return out;
    }
    case 'array':
      return Array.isArray(value) ? value.map((v) => project(def.element as z.ZodType, v)) : value;
    default:
      return value;
  }
}

function view<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  return schema.parse(project(schema, value));
}

const stored = <T>(s: StoredState<T>) => ({ ...s.data, version: s.version, updatedAt: s.updatedAt });

export function orderView(s: StoredState<Order>): z.output<typeof OrderView> {
  const order = stored(s);
  // The address stays whole for reships; its phone is shown masked like the customer's.
  const address = order.shippingAddress?.phone
    ? { ...order.shippingAddress, phone: maskPhone(order.shippingAddress.phone.replace(/[^\d+]/g, '')) }
    : order.shippingAddress;
  return view(OrderView, { ...order, shippingAddress: address });
}

export function shipmentView(s: StoredState<Shipment>): z.output<typeof ShipmentView> {
  return view(ShipmentView, stored(s));
}

export function noticeView(item: Record<string, unknown>): z.output<typeof NoticeView> {
  const caseId = (item.data as Record<string, unknown> | undefined)?.caseId;
  return view(NoticeView, { ...item, ...(typeof caseId === 'string' && { caseId }) });
}

export function outboundView(delivery: Record<string, unknown>): z.output<typeof OutboundDeliveryView> {
  return view(OutboundDeliveryView, delivery);
}

export function caseView(s: StoredState<Case>): z.output<typeof CaseView> {
  return view(CaseView, { ...stored(s), allowedActions: staffActionsNow(s.data.type, s.data.status) });
}

export function caseSummaryView(s: StoredState<Case>): z.output<typeof CaseSummaryView> {
  return view(CaseSummaryView, { ...stored(s), slaBreached: (s.data.slaBreaches ?? []).length > 0 });
}

/** Trail entries a customer is told about, in their words (no notes, no staff names). */
const CUSTOMER_EVENTS: Record<string, string> = {
  open: 'requested',
  requested: 'requested',
  marketplace_update: 'updated_by_marketplace',
  approve: 'approved',
  reject: 'rejected',
  cancel: 'cancelled',
  expire: 'cancelled_not_shipped',
  register_return: 'return_parcel_registered',
  return_scanned: 'return_in_transit',
  return_delivered: 'return_received',
  receive: 'return_received',
  inspect: 'inspected',
  refund: 'refunded',
  ship_replacement: 'replacement_shipped',
  replacement_delivered: 'replacement_delivered',
  resolve: 'resolved',
  acknowledge: 'acknowledged',
  propose: 'proposal_made',
  follow_up: 'followed_up',
  close: 'closed',
};

export function customerCaseView(
  s: StoredState<Case>,
  shop: ShopSettings,
): z.output<typeof CustomerCaseView> {
  const c = s.data;
  const allowed = allowedActions(c.type, c.status);
  // Once the parcel is registered it is on its way: nothing left for the customer to do here.
  const actions = (['register_return', 'cancel'] as const).filter(
    (a) => allowed.includes(a) && !c.returnParcel,
  );
  return view(CustomerCaseView, {
    ...stored(s),
    ...(c.policy && { decision: { action: c.policy.action, reasons: c.policy.reasons } }),
    ...(c.returnBy && { returnInstructions: returnInstructions(c, shop) }),
    timeline: c.decisionTrail
      .filter((d) => d.action in CUSTOMER_EVENTS && !d.note?.startsWith('not applied'))
      .map((d) => ({ at: d.at, ...(d.status && { status: d.status }), event: CUSTOMER_EVENTS[d.action] })),
    actions,
  });
}

/** A customer as staff see them: contact masked, never raw (the raw values stay on the item). */
export function customerView(
  c: Customer,
  context: { now: string; rfm?: RfmThresholds; vip?: { segments: Segment[]; tags: string[] } },
): z.output<typeof CustomerView> {
  const rfm = rfmOf(c, context.now, context.rfm);
  return view(CustomerView, {
    ...c,
    ...(rfm && { rfm }),
    vip: context.vip ? isVip(c, rfm?.segment, context.vip) : false,
    ...(c.email && { emailMasked: maskEmail(c.email) }),
    ...(c.phone && { phoneMasked: maskPhone(c.phone) }),
  });
}

export function inboxItemView(item: Record<string, unknown>): z.output<typeof InboxItemView> {
  return view(InboxItemView, item);
}

/** The shop's settings as staff see them (connectors and secrets are elsewhere, never here). */
export function settingsView(shop: Shop): z.output<typeof SettingsView> {
  return view(SettingsView, shop);
}
