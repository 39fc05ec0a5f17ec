import { beforeAll, describe, expect, it } from 'vitest';
import { signLocalToken } from '../../infra/local/tokens.ts';
import { freshShop, useServices } from './env.ts';
import { admin } from './pipeline.ts';

/*
 * A shop's own templates through the admin API: listed with their variables and built-in texts,
 * previewed with example values, checked when saved (an unknown variable is a 400 naming it,
 * never a blank at send time), one locale at a time, without touching the other settings.
 */

useServices();
const KEY = 'integration-test-key-integration-test-key';
let shopId: string;
let manager: string;
let staff: string;

beforeAll(async () => {
  shopId = await freshShop();
  manager = await signLocalToken(KEY, { shopId, role: 'manager' });
  staff = await signLocalToken(KEY, { shopId, role: 'staff' });
});

const put = (body: unknown, token = manager) => admin(token, 'PUT /admin/settings', {}, {}, body);

describe("a shop's own templates", () => {
  it('lists every template with its variables, examples and built-in texts in both languages', async () => {
    const res = await admin(staff, 'GET /admin/templates');
    expect(res.status).toBe(200);
    const delivered = res.json.templates.find((t: { id: string }) => t.id === 'shipment.delivered');
    expect(delivered).toMatchObject({
      kind: 'transactional',
      channels: expect.arrayContaining(['email', 'sms']),
    });
    expect(delivered.variables.map((v: { name: string }) => v.name)).toContain('trackingNumber');
    expect(delivered.builtIn['zh-CN'].sms).toMatch(/验/);
    expect(delivered.builtIn.en.email.subject).toBeTruthy();
    expect(delivered.override).toBeUndefined();
    expect(res.json.templates.some((t: { kind: string }) => t.kind === 'staff')).toBe(true);
  });

  it('refuses an unknown variable at save time, naming it, and keeps what was there', async () => {
    const res = await put({
      notifications: { templates: { 'shipment.delivered': { en: { sms: 'Arrived, {{custmerName}}!' } } } },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_request');
    expect(res.json.error.message).toContain('custmerName');
    expect(res.json.error.details.templates[0]).toMatch(/^shipment\.delivered \(en\)/);
    expect(res.json.error.details.templates[0]).toContain('custmerName');
    const after = await admin(staff, 'GET /admin/settings');
    expect(after.json.notifications.templates).toEqual({});
  });

  it('refuses a template that does not exist and an SMS that would run past two segments', async () => {
    const unknown = await put({
      notifications: { templates: { 'order.teleported': { en: { sms: 'hi' } } } },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toContain('unknown template "order.teleported"');
    const long = await put({
      notifications: {
        templates: { 'shipment.delivered': { 'zh-CN': { sms: '您的包裹已送达。'.repeat(20) } } },
      },
    });
    expect(long.status).toBe(400);
    expect(long.json.error.message).toMatch(/segments/);
  });

  it('saves one locale and the VIP version, leaving the other settings as they were', async () => {
    const caps = await put({ notifications: { caps: { perDay: 2, perWeek: 4 } } });
    expect(caps.status).toBe(200);
    const saved = await put({
      notifications: {
        templates: {
          'shipment.delivered': {
            en: { sms: 'Hi {{name}}, {{trackingNumber}} has arrived. Please check it.' },
          },
          'shipment.delivered#vip': { en: { sms: 'Dear {{name}}, your parcel is here. Call us any time.' } },
        },
      },
    });
    expect(saved.status).toBe(200);
    expect(saved.json.notifications.caps).toEqual({ perDay: 2, perWeek: 4 });
    expect(Object.keys(saved.json.notifications.templates).sort()).toEqual([
      'shipment.delivered',
      'shipment.delivered#vip',
    ]);
    expect(saved.json.notifications.quietHours).toMatchObject({ start: '21:00', end: '08:00' });
    const listed = await admin(staff, 'GET /admin/templates');
    const delivered = listed.json.templates.find((t: { id: string }) => t.id === 'shipment.delivered');
    expect(delivered.override.en.sms).toContain('{{trackingNumber}} has arrived');
    expect(delivered.vipOverride.en.sms).toContain('Dear {{name}}');
    expect(delivered.override['zh-CN']).toBeUndefined();
  });

  it('previews a draft with example values, or says what stops it', async () => {
    const ok = await admin(
      staff,
      'POST /admin/templates/{templateId}/preview',
      { templateId: 'shipment.delivered' },
      {},
      {
        locale: 'en',
        override: { sms: 'Hi {{name}}, {{trackingNumber}} is here.' },
      },
    );
    expect(ok.status).toBe(200);
    expect(ok.json.problems).toEqual([]);
    expect(ok.json.message.sms.text).toMatch(/^Integration Shop: Hi .+, \S+ is here\.$/);
    expect(ok.json.message.sms.segments).toBeGreaterThanOrEqual(1);
    const bad = await admin(
      staff,
      'POST /admin/templates/{templateId}/preview',
      { templateId: 'shipment.delivered' },
      {},
      {
        locale: 'en',
        override: { sms: 'Hi {{nmae}}' },
      },
    );
    expect(bad.json.problems.join(' ')).toContain('nmae');
    expect(bad.json.message).toBeUndefined();
    // Without a draft: what the shop uses now (its own English SMS from the test above, or the built-in).
    const inUse = await admin(
      staff,
      'POST /admin/templates/{templateId}/preview',
      { templateId: 'order.confirmed' },
      {},
      {
        locale: 'zh-CN',
      },
    );
    expect(inUse.json.message.sms.text).toMatch(/^【/);
    const missing = await admin(
      staff,
      'POST /admin/templates/{templateId}/preview',
      { templateId: 'nope' },
      {},
      {
        locale: 'en',
      },
    );
    expect(missing.status).toBe(404);
  });

  it('clears an optional part with null, and names the field of a channel that lacks what it needs', async () => {
    const set = await put({ notifications: { portalUrl: 'https://shop.example/portal' } });
    expect(set.json.notifications.portalUrl).toBe('https://shop.example/portal');
    const cleared = await put({ notifications: { portalUrl: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.json.notifications.portalUrl).toBeUndefined();
    expect(cleared.json.notifications.caps).toEqual({ perDay: 2, perWeek: 4 }); // untouched
    const noFrom = await put({ notifications: { email: { provider: 'ses' } } });
    expect(noFrom.status).toBe(400);
    expect(noFrom.json.error.details.issues).toContainEqual({
      path: 'notifications.email.from',
      message: expect.stringMatching(/From/i),
    });
  });

  it('lets only a manager save templates', async () => {
    const res = await put({ notifications: { templates: {} } }, staff);
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('forbidden');
  });
});
