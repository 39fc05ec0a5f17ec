import { isDeepStrictEqual } from 'node:util';
import type { Customer } from '../../../schemas/customer.ts';
import type { CanonicalEvent, CustomerFacts, EventOf } from '../../../schemas/events.ts';
import { stableId } from '../../lib/crypto.ts';
import { timerEffect } from '../engine/timer-effect.ts';
import type { Applied, ApplyContext, Effect, Reducer } from '../engine/types.ts';
import { orderAggregateId, orderProviderOf } from '../ids.ts';
import { nextBirthday, nextHoliday } from '../outreach/holidays.ts';
import { offer, stampOf } from '../registers.ts';
import { isTimeZone } from '../zone.ts';
import { contactHash, regionFor, resolveCustomer } from './identity.ts';

const ORDER_IDS_CAP = 500;

export const CUSTOMER_TIMER = {
  winback: 'customer.winback',
  birthday: 'customer.birthday',
  holiday: 'customer.holiday',
} as const;

/** The customer facts an event carries, if any (snapshots, payments and cancellations may). */
export function customerFactsOf(event: CanonicalEvent): CustomerFacts | undefined {
  return 'order' in event ? event.order?.customer : undefined;
}

/** Which Customer an event's buyer is, read with the region its facts imply. */
export function customerOf(event: CanonicalEvent, shop: ApplyContext['shop']) {
  const facts = 'order' in event ? event.order : undefined;
  return resolveCustomer(shop.shopId, event.provider, facts?.customer, regionFor(facts, shop));
}

function timer(c: Customer, kind: string, dueAt: string, data: Record<string, unknown> = {}): Effect {
  const id = stableId(c.customerId, 'timer', kind, dueAt);
  return timerEffect(id, dueAt, kind, { aggregate: 'customer', id: c.customerId }, data);
}

const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString();

/** The customer's zone, else the shop's: greetings come at the customer's morning. */
const zoneOf = (c: Customer, shop: ApplyContext['shop']) =>
  isTimeZone(c.timezone) ? c.timezone : shop.timezone;

/** The timer of the next of the shop's holidays after `after` (one per holiday and year). */
function holidayTimer(c: Customer, shop: ApplyContext['shop'], after: string): Effect[] {
  const holidays = shop.notifications.programs.holidays;
  if (!holidays.enabled) return [];
  const next = nextHoliday(holidays.dates, after, zoneOf(c, shop));
  return next ? [timer(c, CUSTOMER_TIMER.holiday, next.at, { holiday: next.name, key: next.key })] : [];
}

/**
 * Keeps each buyer's contact (last writer wins by event time), consent, language, zone and order
 * list, their opt-outs and what providers said about their addresses, and plans the programs that
 * are the customer's: a win-back when no order followed the last one for the shop's number of days
 * (a new order moves the last order, so the old timer finds nothing to do), and a birthday greeting.
 */
export const customerReducer: Reducer<Customer> = {
  apply(state: Customer | undefined, event: CanonicalEvent, ctx: ApplyContext): Applied<Customer> {
    switch (event.type) {
      case 'CaseChanged':
        return recordCase(state, event);
      case 'CustomerOptedOut':
        return changed(state, (c) => {
          const current = c.optOuts[event.channel];
          if (!current || current.at <= event.occurredAt)
            c.optOuts[event.channel] = { at: event.occurredAt, optedOut: event.optedOut };
        });
      case 'CustomerContactReported':
        return changed(state, (c) => {
          const current = c.contactStatus[event.channel];
          if (!current || current.at <= event.occurredAt) {
            c.contactStatus[event.channel] = {
              status: event.status,
              at: event.occurredAt,
              ...(event.detail && { detail: event.detail }),
            };
          }
        });
      case 'TimerFired':
        return fire(state, event, ctx);
      default:
        return mergeOrderFacts(state, event, ctx);
    }
  },
};

/** Applies a change to an existing customer; nothing for one we do not know. */
function changed(state: Customer | undefined, change: (c: Customer) => void): Applied<Customer> {
  if (!state) return { effects: [] };
  const c = structuredClone(state);
  c.optOuts ??= {};
  c.contactStatus ??= {};
  change(c);
  return isDeepStrictEqual(c, state) ? { effects: [] } : { state: c, effects: [] };
}

function mergeOrderFacts(
  state: Customer | undefined,
  event: CanonicalEvent,
  ctx: ApplyContext,
): Applied<Customer> {
  const facts = customerFactsOf(event);
  const resolved = customerOf(event, ctx.shop);
  const marketplaceId = 'orderId' in event ? event.orderId : undefined;
  if (!facts || !resolved || marketplaceId === undefined) return { effects: [] };
  const orderId = orderAggregateId(orderProviderOf(event), marketplaceId);
  const customer: Customer = state
    ? structuredClone(state)
    : {
        customerId: resolved.customerId,
        stamps: {},
        orders: {},
        orderIds: [],
        cases: [],
        optOuts: {},
        contactStatus: {},
        orderTotals: {},
      };
  customer.orders ??= {};
  customer.orderTotals ??= {};
  customer.optOuts ??= {};
  customer.contactStatus ??= {};
  const before = customer.lastOrderAt;
  const set = (
    field: 'name' | 'email' | 'phone' | 'acceptsMarketing' | 'locale' | 'timezone' | 'birthday' | 'tags',
    value: unknown,
  ) => {
    if (value !== undefined && offer(customer.stamps, field, stampOf(event.occurredAt, value))) {
      (customer as Record<string, unknown>)[field] = value;
    }
  };
  set('name', facts.name);
  set('email', resolved.email);
  set('phone', resolved.phone);
  set('acceptsMarketing', facts.acceptsMarketing);
  set('locale', facts.locale);
  set('timezone', facts.timezone);
  set('birthday', facts.birthday);
  set('tags', facts.tags);
  if (customer.email) customer.emailHash = contactHash(ctx.shop.shopId, customer.email);
  if (customer.phone) customer.phoneHash = contactHash(ctx.shop.shopId, customer.phone);

  // An order's time is the earliest any of its events tells: its placement when a snapshot says
  // so, else its first event. A minimum, so it does not depend on which event came first.
  const placedAt = 'order' in event && event.order?.placedAt ? event.order.placedAt : event.occurredAt;
  const known = customer.orders[orderId];
  customer.orders[orderId] = known && known < placedAt ? known : placedAt;
  // Its total for the monetary score: the latest snapshot that gives one.
  // Total and currency are one register, so two snapshots of one instant settle on the same pair
  // in any arrival order.
  const totals = 'order' in event ? event.order?.totals : undefined;
  const currency = 'order' in event ? event.order?.currency : undefined;
  const value = totals && { total: totals.total, ...(currency && { currency }) };
  if (value && offer(customer.stamps, `total:${orderId}`, stampOf(event.occurredAt, value))) {
    customer.orderTotals[orderId] = value;
  }
  const byTime = Object.entries(customer.orders).sort(
    ([a, x], [b, y]) => x.localeCompare(y) || a.localeCompare(b),
  );
  // A very large history keeps its newest orders; the cap is far above any real customer's.
  if (byTime.length > ORDER_IDS_CAP) {
    byTime.splice(0, byTime.length - ORDER_IDS_CAP);
    customer.orders = Object.fromEntries(byTime);
  }
  customer.orderIds = byTime.map(([id]) => id);
  customer.firstOrderAt = byTime[0]?.[1];
  customer.lastOrderAt = byTime.at(-1)?.[1];

  const effects: Effect[] = [];
  const programs = ctx.shop.notifications.programs;
  // The last order moved: a win-back counts its days from it (the older timer will find it stale).
  if (programs.winback.enabled && customer.lastOrderAt && customer.lastOrderAt !== before) {
    effects.push(
      timer(customer, CUSTOMER_TIMER.winback, addDays(customer.lastOrderAt, programs.winback.afterDays), {
        lastOrderAt: customer.lastOrderAt,
      }),
    );
  }
  if (programs.birthday.enabled && customer.birthday && customer.birthday !== state?.birthday) {
    const at = nextBirthday(customer.birthday, ctx.now, zoneOf(customer, ctx.shop));
    effects.push(timer(customer, CUSTOMER_TIMER.birthday, at, { birthday: customer.birthday }));
  }
  // A new customer (or one from before the shop turned greetings on) gets the next holiday's
  // timer; the timer of each holiday plans the next one. The ids are per holiday and year, so
  // planning it again changes nothing.
  if (!state || customer.lastOrderAt !== before) effects.push(...holidayTimer(customer, ctx.shop, ctx.now));
  return { state: customer, effects };
}

/** A program's timer came due: what is still true decides whether the customer hears from us. */
function fire(
  state: Customer | undefined,
  event: EventOf<'TimerFired'>,
  ctx: ApplyContext,
): Applied<Customer> {
  if (!state) return { effects: [] };
  const notice = (template: string, data: Record<string, unknown> = {}): Effect => ({
    kind: 'notify',
    id: stableId(state.customerId, 'notice', template, event.occurredAt),
    template,
    customerId: state.customerId,
    data: { ...(state.name && { name: state.name }), ...data },
  });
  if (event.kind === CUSTOMER_TIMER.winback) {
    // A newer order since the timer was set: that order's own timer will speak, later.
    if (!ctx.shop.notifications.programs.winback.enabled || event.data?.lastOrderAt !== state.lastOrderAt) {
      return { effects: [] };
    }
    return { effects: [notice('winback', { lastOrderAt: state.lastOrderAt })] };
  }
  if (event.kind === CUSTOMER_TIMER.birthday) {
    // The birthday changed since the timer was set: the new one has its own timer.
    if (!ctx.shop.notifications.programs.birthday.enabled || !state.birthday) return { effects: [] };
    if (event.data?.birthday !== undefined && event.data.birthday !== state.birthday) return { effects: [] };
    const next = nextBirthday(state.birthday, event.occurredAt, zoneOf(state, ctx.shop));
    return {
      effects: [
        notice('greeting.birthday'),
        timer(state, CUSTOMER_TIMER.birthday, next, { birthday: state.birthday }),
      ],
    };
  }
  if (event.kind === CUSTOMER_TIMER.holiday) {
    const holidays = ctx.shop.notifications.programs.holidays;
    const name = event.data?.holiday;
    // The shop may have turned greetings off or dropped this date since.
    if (!holidays.enabled || !holidays.dates.some((h) => h.name === name)) return { effects: [] };
    return {
      effects: [
        notice('greeting.holiday', { holiday: name }),
        ...holidayTimer(state, ctx.shop, event.occurredAt),
      ],
    };
  }
  return { effects: [] };
}

const CASES_CAP = 200;

/** A case opened for the customer: their history, which the policy reads (cases in the last N days). */
function recordCase(state: Customer | undefined, event: EventOf<'CaseChanged'>): Applied<Customer> {
  if (!state || event.change.action !== 'open') return { effects: [] };
  const cases = state.cases ?? [];
  if (cases.some((c) => c.caseId === event.caseId)) return { effects: [] };
  const next = [...cases, { caseId: event.caseId, type: event.change.caseType, at: event.occurredAt }]
    .sort((a, b) => a.at.localeCompare(b.at) || a.caseId.localeCompare(b.caseId))
    .slice(-CASES_CAP);
  return { state: { ...structuredClone(state), cases: next }, effects: [] };
}
