import { describe, expect, it } from 'vitest';
import { type OutreachInput, planOutreach } from '../../../functions/core/outreach/plan.ts';
import { Customer } from '../../../schemas/customer.ts';
import { NotificationSettings } from '../../../schemas/shop.ts';

// 10:00 in Shanghai; 23:00 in Shanghai is 15:00 UTC.
const DAY = '2026-12-01T02:00:00.000Z';
const NIGHT = '2026-12-01T15:00:00.000Z';
const MORNING = '2026-12-02T00:00:00.000Z';

const shop = (notifications: Record<string, unknown> = {}) => ({
  locale: 'zh-CN',
  timezone: 'Asia/Shanghai',
  notifications: NotificationSettings.parse(notifications),
});

const buyer = (fields: Record<string, unknown> = {}) =>
  Customer.parse({
    customerId: 'c1',
    name: '王小明',
    email: 'wang@example.cn',
    phone: '+8613812345678',
    acceptsMarketing: true,
    ...fields,
  });

function plan(input: Partial<OutreachInput> = {}) {
  return planOutreach({
    kind: 'transactional',
    channels: ['email', 'sms'],
    now: DAY,
    shop: shop(),
    customer: buyer(),
    openCase: false,
    ...input,
  });
}

describe('planOutreach', () => {
  it('writes Chinese customers by SMS first and English ones by email first', () => {
    expect(plan()).toEqual({
      action: 'send',
      channel: 'sms',
      to: '+8613812345678',
      locale: 'zh-CN',
      timeZone: 'Asia/Shanghai',
    });
    expect(plan({ customer: buyer({ locale: 'en-GB', timezone: 'Europe/London' }) })).toEqual({
      action: 'send',
      channel: 'email',
      to: 'wang@example.cn',
      locale: 'en',
      timeZone: 'Europe/London',
    });
  });

  it('falls back to the other channel when an address bounced, and says so when none is left', () => {
    const bounced = { status: 'rejected', at: DAY };
    expect(plan({ customer: buyer({ contactStatus: { sms: bounced } }) })).toMatchObject({
      channel: 'email',
    });
    expect(
      plan({ customer: buyer({ contactStatus: { sms: bounced, email: { status: 'bounced', at: DAY } } }) }),
    ).toEqual({ action: 'suppress', reason: 'contact_undeliverable', detail: 'sms,email' });
    expect(plan({ customer: buyer({ email: undefined, phone: undefined }) })).toEqual({
      action: 'suppress',
      reason: 'no_contact',
    });
    expect(plan({ customer: undefined })).toEqual({ action: 'suppress', reason: 'no_customer' });
  });

  it('holds SMS at night to the morning; transactional email goes at once', () => {
    expect(plan({ now: NIGHT })).toMatchObject({ action: 'defer', until: MORNING, channel: 'sms' });
    expect(plan({ now: NIGHT, channels: ['email'] })).toMatchObject({ action: 'send', channel: 'email' });
    expect(plan({ now: NIGHT, shop: shop({ quietHours: { exemptTransactional: true } }) })).toMatchObject({
      action: 'send',
      channel: 'sms',
    });
  });

  it('holds marketing email at night too, in the customer zone', () => {
    const english = buyer({ locale: 'en', timezone: 'America/New_York' });
    // 15:00 UTC is 10:00 in New York: not night there.
    expect(plan({ kind: 'marketing', now: NIGHT, customer: english })).toMatchObject({ action: 'send' });
    // 03:00 UTC is 22:00 in New York: held to 08:00 there (13:00 UTC).
    expect(plan({ kind: 'marketing', now: '2026-12-01T03:00:00.000Z', customer: english })).toMatchObject({
      action: 'defer',
      channel: 'email',
      until: '2026-12-01T13:00:00.000Z',
    });
  });

  it('sends marketing only with consent, without an opt-out, an open case or a recent parcel problem', () => {
    const m = (input: Partial<OutreachInput>) => plan({ kind: 'marketing', ...input });
    expect(m({})).toMatchObject({ action: 'send' });
    expect(m({ customer: buyer({ acceptsMarketing: false }) })).toMatchObject({
      reason: 'no_marketing_consent',
    });
    expect(m({ customer: buyer({ acceptsMarketing: undefined }) })).toMatchObject({
      reason: 'no_marketing_consent',
    });
    expect(m({ customer: buyer({ optOuts: { all: { at: DAY, optedOut: true } } }) })).toMatchObject({
      reason: 'unsubscribed',
    });
    expect(m({ openCase: true })).toMatchObject({ reason: 'open_case' });
    expect(m({ lastProblemAt: '2026-11-20T00:00:00.000Z' })).toMatchObject({
      reason: 'recent_delivery_problem',
    });
    expect(m({ lastProblemAt: '2026-11-10T00:00:00.000Z' })).toMatchObject({ action: 'send' });
  });

  it('moves marketing to the channel not opted out of; transactional messages ignore opt-outs', () => {
    const optedOutOfSms = buyer({ optOuts: { sms: { at: DAY, optedOut: true } } });
    expect(plan({ kind: 'marketing', customer: optedOutOfSms })).toMatchObject({ channel: 'email' });
    expect(plan({ customer: optedOutOfSms })).toMatchObject({ channel: 'sms' });
    const optedOutOfBoth = buyer({
      optOuts: { sms: { at: DAY, optedOut: true }, email: { at: DAY, optedOut: true } },
    });
    expect(plan({ kind: 'marketing', customer: optedOutOfBoth })).toMatchObject({ reason: 'unsubscribed' });
    // Opted back in.
    expect(
      plan({ kind: 'marketing', customer: buyer({ optOuts: { sms: { at: DAY, optedOut: false } } }) }),
    ).toMatchObject({ channel: 'sms' });
  });

  it('aims a program at its segments', () => {
    const input = { kind: 'marketing' as const, targetSegments: ['champions', 'loyal'] as const };
    expect(plan({ ...input, segment: 'loyal' })).toMatchObject({ action: 'send' });
    expect(plan({ ...input, segment: 'recent' })).toEqual({
      action: 'suppress',
      reason: 'not_in_target_segment',
      detail: 'recent',
    });
    expect(plan({ ...input, targetSegments: [], segment: 'recent' })).toMatchObject({ action: 'send' });
  });

  it('records silent notices without sending them', () => {
    expect(plan({ kind: 'silent' })).toEqual({ action: 'suppress', reason: 'covered_by_another_notice' });
  });
});
