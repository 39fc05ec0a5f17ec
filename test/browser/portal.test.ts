import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseDetailView, OrderListView } from '../../schemas/views.ts';
import { type Harness, startHarness } from './harness.ts';

/*
 * The customer portal in real Chromium against a local runtime. A shop on the default policy
 * (30 days from delivery; small no-reason returns approved at once) has an order created through
 * signed generic webhooks and delivered by an AfterShip push, and an order delivered 45 days ago.
 * A customer on a phone finds the order (a wrong email first), reads the parcel's history, returns
 * one cheap line for a change of mind, is approved at once with the return instructions, registers
 * the return parcel and watches the case move when AfterShip reports the parcel, without reloading;
 * a second request (a repair) goes to review and is withdrawn. Then: the case reopened from the
 * lookup on a desktop, in English and switched to Chinese (kept on reload, token from
 * sessionStorage only); Chinese from the browser's language with times in its zone; the late order
 * refused in the policy's words, by keyboard.
 */

const SHOP = 'tea-shop';
const SECRET = 'portal-browser-secret';
const EMAIL = 'mei.lin@example.com';
const PHONE = '138 0013 8000';
const OUTBOUND_TRACKING = '9405516902697649303570';
const RETURN_TRACKING = '9400111899223344556677';
const root = join(import.meta.dirname, '..', '..');

/*
 * The callbacks given to page.evaluate run in the page, not here: the few browser globals they
 * touch, typed for this file (the project's TypeScript has no DOM library).
 */
interface PageElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
}
declare const document: {
  documentElement: { scrollWidth: number; lang: string };
  activeElement: PageElement | null;
};
declare const window: { innerWidth: number };
declare const sessionStorage: {
  length: number;
  key(i: number): string | null;
  getItem(k: string): string | null;
};
declare function getComputedStyle(element: PageElement): { outlineStyle: string; outlineWidth: string };

let harness: Harness;
let staffToken: string;
const contexts: BrowserContext[] = [];

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const DAY = 86_400_000;
const HOUR = 3_600_000;
const SECOND = 1000;

function generic(body: unknown, eventId: string) {
  return harness.webhook('generic', SHOP, Buffer.from(JSON.stringify(body)), { secret: SECRET, eventId });
}

/**
 * An AfterShip push about a parcel, happening now: the sample with its number, a fresh event id
 * and its checkpoints `spacing` ms apart, the newest a moment ago (AfterShip's times are zone-less UTC).
 */
function aftershipPush(
  sample: 'tracking-update-in-transit.json' | 'delivered-to-neighbour.json',
  tracking: string,
  spacing: number,
  keep?: number,
) {
  const body = JSON.parse(readFileSync(join(root, 'events', 'aftership', sample), 'utf8'));
  body.event_id = `${sample}-${tracking}-${Date.now()}`;
  body.msg.tracking_number = tracking;
  body.msg.title = tracking;
  const now = Date.now();
  const at = (msAgo: number) => new Date(now - msAgo).toISOString().slice(0, 19);
  if (keep) body.msg.checkpoints = body.msg.checkpoints.slice(-keep);
  body.msg.checkpoints = body.msg.checkpoints.map(
    (c: Record<string, unknown>, i: number, all: unknown[]) => ({
      ...c,
      checkpoint_time: at((all.length - 1 - i) * spacing),
      created_at: `${at((all.length - 1 - i) * spacing)}+00:00`,
    }),
  );
  for (const key of ['created_at', 'updated_at', 'last_updated_at']) body.msg[key] = `${at(0)}+00:00`;
  body.msg.expected_delivery = new Date().toISOString().slice(0, 10);
  if (body.msg.shipment_delivery_date) body.msg.shipment_delivery_date = at(0);
  return harness.webhook('aftership', SHOP, Buffer.from(JSON.stringify(body)), { secret: SECRET });
}

async function admin(path: string) {
  const res = await fetch(`${harness.url}${path}`, { headers: { authorization: `Bearer ${staffToken}` } });
  return { status: res.status, json: (await res.json()) as unknown };
}

async function eventually<T>(check: () => Promise<T | undefined>, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function orderByNumber(number: string) {
  const res = await admin(`/admin/orders?number=${encodeURIComponent(number)}`);
  return res.status === 200 ? OrderListView.parse(res.json).orders[0] : undefined;
}

/** What went wrong inside the page: uncaught errors and console errors (CSP refusals among them). */
function watch(page: Page) {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    // The API's own 4xx answers (the 404 of a lookup, a 422) are logged by Chromium as failed
    // loads: expected. The pages function's CSP names `https://cognito-idp.*.amazonaws.com`, which
    // Chromium reports as invalid (a wildcard must be the leftmost label): not the portal's.
    const text = msg.text();
    if (
      msg.type() === 'error' &&
      !text.startsWith('Failed to load resource') &&
      !text.includes('cognito-idp.*')
    )
      problems.push(`console: ${text}`);
  });
  return problems;
}

async function newPage(options: Parameters<Harness['context']>[0]) {
  const context = await harness.context(options);
  context.setDefaultTimeout(20_000);
  contexts.push(context);
  const page = await context.newPage();
  return { context, page, problems: watch(page) };
}

async function noHorizontalScroll(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

async function findOrder(page: Page, orderNumber: string, contact: string) {
  await page.getByLabel('Order number').fill(orderNumber);
  await page.getByLabel('Email or phone number').fill(contact);
  await page.getByRole('button', { name: 'Find my order' }).click();
}

beforeAll(async () => {
  harness = await startHarness();
  const now = new Date().toISOString();
  await harness.runtime.deps.shops.put(
    {
      shopId: SHOP,
      name: 'Tea Shop',
      locale: 'en',
      cases: {
        returnAddress: {
          name: 'Tea Shop Returns',
          address1: '88 Longjing Road',
          city: 'Hangzhou',
          province: 'Zhejiang',
          postalCode: '310013',
          country: 'CN',
        },
        returnInstructions: 'Put the return number inside the parcel.',
      },
    } as Parameters<typeof harness.runtime.deps.shops.put>[0],
    now,
  );
  for (const provider of ['generic', 'aftership'])
    await harness.runtime.deps.shops.setConnector(SHOP, provider, { secret: SECRET, settings: {} }, now);
  staffToken = await harness.token(SHOP, 'staff');

  // #2001: a cup cheap enough for the instant approval (4500 ≤ 10000) and a teapot, shipped two
  // days ago and delivered an hour ago according to AfterShip.
  expect(
    await generic(
      {
        type: 'OrderPlaced',
        orderId: 'tea-2001',
        occurredAt: ago(3 * DAY),
        order: {
          number: '#2001',
          currency: 'CNY',
          placedAt: ago(3 * DAY),
          customer: { externalId: 'mei', email: 'Mei.Lin@Example.com', phone: PHONE, name: 'Mei Lin' },
          lines: [
            {
              lineId: '1',
              sku: 'CUP-CELADON',
              title: 'Celadon cup',
              variantTitle: 'Green',
              quantity: 2,
              unitPrice: 4500,
              total: 9000,
            },
            {
              lineId: '2',
              sku: 'POT-YIXING',
              title: 'Yixing teapot',
              quantity: 1,
              unitPrice: 12800,
              total: 12800,
            },
          ],
          totals: { subtotal: 21800, shipping: 0, tax: 0, discount: 0, total: 21800 },
        },
      },
      'tea-2001-placed',
    ),
  ).toBe(202);
  expect(
    await generic(
      {
        type: 'ShipmentCreated',
        orderId: 'tea-2001',
        occurredAt: ago(2 * DAY),
        trackingNumber: OUTBOUND_TRACKING,
        carrier: 'usps',
        shippedAt: ago(2 * DAY),
      },
      'tea-2001-shipped',
    ),
  ).toBe(202);
  await eventually(
    async () => ((await orderByNumber('#2001'))?.shipments.length ? true : undefined),
    'the shipment',
  );
  expect(await aftershipPush('delivered-to-neighbour.json', OUTBOUND_TRACKING, 3 * HOUR)).toBe(202);

  // #2002: delivered 45 days ago, outside the 30-day window.
  expect(
    await generic(
      {
        type: 'OrderPlaced',
        orderId: 'tea-2002',
        occurredAt: ago(50 * DAY),
        order: {
          number: '#2002',
          currency: 'CNY',
          placedAt: ago(50 * DAY),
          customer: { externalId: 'mei', email: EMAIL, name: 'Mei Lin' },
          lines: [{ lineId: '1', title: 'Tea towel', quantity: 1, unitPrice: 2500, total: 2500 }],
          totals: { total: 2500 },
        },
      },
      'tea-2002-placed',
    ),
  ).toBe(202);
  expect(
    await generic(
      {
        type: 'OrderDelivered',
        orderId: 'tea-2002',
        occurredAt: ago(45 * DAY),
        deliveredAt: ago(45 * DAY),
        confirmedBy: 'carrier',
      },
      'tea-2002-delivered',
    ),
  ).toBe(202);

  await eventually(
    async () => ((await orderByNumber('#2001'))?.order.deliveredAt ? true : undefined),
    '#2001 delivered',
  );
  await eventually(
    async () => ((await orderByNumber('#2002'))?.order.deliveredAt ? true : undefined),
    '#2002 delivered',
  );
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await harness?.stop();
});

describe('the customer portal', () => {
  let caseId: string;
  let caseNumber: string;
  let phone: { page: Page; problems: string[] };

  it('finds an order by number and email on a phone, and shows its parcel delivered with its history', async () => {
    phone = await newPage({ phone: true, locale: 'en' });
    const { page } = phone;
    await page.goto(`${harness.url}/portal/${SHOP}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Tea Shop');
    expect(await page.title()).toBe('Tea Shop: returns and tracking');

    // A wrong contact: the same answer as no order at all, in words, announced as an alert.
    await findOrder(page, '#2001', 'someone.else@example.com');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('We could not find an order with this number and contact');

    // The number as the customer types it (no #), the email in other letters.
    await findOrder(page, '2001', 'MEI.LIN@example.com');
    await page.getByRole('heading', { name: 'Order #2001' }).waitFor();
    expect(page.url()).toMatch(/#\/order$/);

    const parcel = page.locator('article.parcel');
    expect(await parcel.count()).toBe(1);
    expect(await parcel.locator('.card-head .badge').textContent()).toBe('Delivered');
    expect(await parcel.getByText(OUTBOUND_TRACKING).count()).toBe(1);

    // Every checkpoint, newest first, each time in the browser's zone and language.
    const items = parcel.locator('ol.checkpoints > li');
    expect(await items.count()).toBe(8);
    expect(await items.first().textContent()).toContain('Delivered, Left with Individual');
    expect(await items.first().textContent()).toContain('Delivered');
    expect(await items.last().textContent()).toContain('Shipping Label Created, USPS Awaiting Item');
    expect(await items.last().textContent()).toContain('Label created');
    const stamps = await parcel.locator('ol.checkpoints time').evaluateAll((els) =>
      els.map((el) => ({
        at: (el as unknown as PageElement).getAttribute('datetime')!,
        text: (el as unknown as PageElement).textContent,
        expected: new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(
          new Date((el as unknown as PageElement).getAttribute('datetime')!),
        ),
      })),
    );
    expect(stamps.map((s) => s.text)).toEqual(stamps.map((s) => s.expected));
    const times = stamps.map((s) => Date.parse(s.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    // Money in the order's currency, from minor units.
    const cny = await page.evaluate(() =>
      new Intl.NumberFormat('en', { style: 'currency', currency: 'CNY' }).format(45),
    );
    expect(await page.locator('ul.items').textContent()).toContain(`${cny} each`);
    expect(await page.locator('ul.items').textContent()).toContain(
      await page.evaluate(() =>
        new Intl.NumberFormat('en', { style: 'currency', currency: 'CNY' }).format(218 - 90),
      ),
    );

    await noHorizontalScroll(page);
    await harness.screenshot(page, 'portal-track-en-phone');
  });

  it('files a return of one line for a change of mind and shows the instant approval with the return instructions', async () => {
    const { page } = phone;
    await page.getByRole('button', { name: 'Return, exchange or report a problem' }).click();
    await page.getByRole('heading', { name: 'Request a return or exchange' }).waitFor();

    // Sending nothing picked says what is missing, next to it.
    await page.getByRole('button', { name: 'Send request' }).click();
    expect(await page.locator('#lines-error').textContent()).toBe('Choose at least one item.');

    await page.getByRole('checkbox', { name: /Celadon cup \(Green\)/ }).check();
    const quantity = page.getByLabel('How many of Celadon cup (Green)');
    expect(await quantity.locator('option').allTextContents()).toEqual(['1', '2']);
    expect(await quantity.inputValue()).toBe('1');

    // Only the reasons the policy lists, and for a change of mind only its types and resolutions.
    const reasons = await page.getByLabel('What happened?').locator('option').allTextContents();
    expect(reasons).toContain('Changed my mind');
    expect(reasons).toContain('Item missing from the parcel');
    await page.getByLabel('What happened?').selectOption('changed_mind');
    const types = page.getByRole('group', { name: 'What would you like?' }).getByRole('radio');
    expect(
      await types.evaluateAll((els) => els.map((el) => (el as unknown as PageElement).getAttribute('value'))),
    ).toEqual(['return_refund', 'exchange']);
    // A missing item offers no return: a refund, a reship or a complaint.
    await page.getByLabel('What happened?').selectOption('missing_item');
    expect(
      await types.evaluateAll((els) => els.map((el) => (el as unknown as PageElement).getAttribute('value'))),
    ).toEqual(['refund_only', 'reship', 'complaint']);
    await page.getByLabel('What happened?').selectOption('changed_mind');
    // An exchange asks which variant instead.
    await page.getByRole('radio', { name: 'Exchange', exact: true }).check();
    expect(await page.getByLabel(/Size, colour or variant you want instead/).count()).toBe(1);
    await page.getByRole('radio', { name: 'Return for a refund', exact: true }).check();
    expect(await page.getByLabel(/Size, colour or variant you want instead/).count()).toBe(0);
    const resolutions = page
      .getByRole('group', { name: 'How should the refund be paid?' })
      .getByRole('radio');
    expect(await resolutions.count()).toBe(2);
    await page.getByRole('radio', { name: 'Back to my original payment', exact: true }).check();
    await page
      .getByLabel('Anything else the shop should know? (optional)')
      .fill('A little too small for me.');
    await harness.screenshot(page, 'portal-return-en-phone');

    await page.getByRole('button', { name: 'Send request' }).click();
    const heading = page.getByRole('heading', { name: /^Request RMA-/ });
    await heading.waitFor();
    caseNumber = (await heading.textContent())!.replace('Request ', '');
    caseId = /#\/case\/([\w-]+)$/.exec(page.url())![1]!;

    // The decision at once, then where and by when to send it.
    expect(await page.locator('#decision').getAttribute('data-decision')).toBe('approve');
    expect(await page.locator('#decision .decision-title').textContent()).toBe('Approved');
    expect(await page.locator('#case-status .badge').textContent()).toBe('Waiting for your parcel');
    const detail = await admin(`/admin/cases/${caseId}`);
    const stored = CaseDetailView.parse(detail.json).case;
    expect(stored).toMatchObject({
      status: 'awaiting_return',
      type: 'return_refund',
      resolution: 'original_payment',
      amount: 4500,
      lines: [{ lineId: '1', quantity: 1, reason: 'changed_mind', note: 'A little too small for me.' }],
    });
    const returnBy = await page.evaluate(
      (iso) =>
        new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)),
      stored.returnBy!,
    );
    expect(await page.locator('#deadline').textContent()).toBe(`Send it by ${returnBy}`);
    const instructions = (await page.locator('section.instructions').textContent())!;
    expect(instructions).toContain(caseNumber);
    expect(instructions).toContain('88 Longjing Road');
    expect(instructions).toContain('Put the return number inside the parcel.');
    expect(instructions).toContain('You pay the return postage.');
    expect(instructions).toContain('unused and complete');
    // The live region said so too.
    await expect.poll(() => page.locator('#live').textContent()).toContain('Approved');

    // The token opens the case from this tab's sessionStorage, and is nowhere in the URL.
    const storage = await page.evaluate(() => {
      const out: Record<string, string> = {};
      for (let i = 0; i < sessionStorage.length; i++) {
        const key = sessionStorage.key(i)!;
        out[key] = sessionStorage.getItem(key)!;
      }
      return out;
    });
    const token = storage[`aftersale.portal.${SHOP}.case.${caseId}`];
    expect(token).toMatch(/^eyJ/);
    expect(page.url()).not.toContain(token);
    expect(page.url()).not.toContain('eyJ');

    await noHorizontalScroll(page);
    await harness.screenshot(page, 'portal-case-approved-en-phone');
  });

  it('registers the return parcel and shows the case move when the carrier reports it, without a reload', async () => {
    const { page, problems } = phone;
    await page.getByLabel('Carrier (optional)').fill('USPS');
    await page
      .getByLabel('Tracking number', { exact: true })
      .fill(`${RETURN_TRACKING.slice(0, 10)} ${RETURN_TRACKING.slice(10)}`);
    await page.getByRole('button', { name: 'Save tracking number' }).click();
    await page.getByText('Thank you. We will follow your return parcel.').waitFor();
    expect(await page.locator('#shipment-form').count()).toBe(0);
    expect(await page.locator('#withdraw').count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Your return parcel' }).textContent()).toContain(
      RETURN_TRACKING,
    );

    // The carrier's first scan of the return parcel, a moment after the customer registered it
    // (its times have whole seconds): the page asks by itself and shows it.
    await page.waitForTimeout(1500);
    expect(await aftershipPush('tracking-update-in-transit.json', RETURN_TRACKING, SECOND, 1)).toBe(202);
    const status = page.locator('#case-status .badge');
    await expect
      .poll(() => status.textContent(), { timeout: 45_000, interval: 500 })
      .toBe('Return on its way');
    expect(await status.getAttribute('data-status')).toBe('return_in_transit');
    await expect.poll(() => page.locator('#live').textContent()).toBe('Status: Return on its way');
    expect(await page.locator('.steps [aria-current="step"]').textContent()).toContain('Return on its way');
    expect(await page.locator('ol.timeline').textContent()).toContain('Return parcel on its way');

    // Delivered back to the shop: the refresh button asks at once.
    expect(await aftershipPush('delivered-to-neighbour.json', RETURN_TRACKING, SECOND, 2)).toBe(202);
    await eventually(async () => {
      await page.getByRole('button', { name: 'Check for updates' }).click();
      await page.waitForTimeout(300);
      return (await status.textContent()) === 'Return received' ? true : undefined;
    }, 'the return received');
    expect(CaseDetailView.parse((await admin(`/admin/cases/${caseId}`)).json).case.status).toBe(
      'return_received',
    );
    expect(problems).toEqual([]);
  });

  it('files a second request that goes to review, and withdraws it', async () => {
    const { page, problems } = phone;
    await page.getByRole('button', { name: 'Back to the order' }).click();
    await page.getByRole('heading', { name: 'Order #2001' }).waitFor();
    // The request just filed is listed with the order, as it stands now.
    expect(await page.getByRole('region', { name: 'Your requests' }).textContent()).toContain(
      `${caseNumber} · Return for a refund`,
    );
    await page.getByRole('button', { name: 'Return, exchange or report a problem' }).click();
    await page.getByRole('checkbox', { name: /Yixing teapot/ }).check();
    await page.getByLabel('What happened?').selectOption('defective');
    // A fault offers every type the shop has.
    expect(
      await page
        .getByRole('group', { name: 'What would you like?' })
        .getByRole('radio')
        .evaluateAll((els) => els.map((el) => (el as unknown as PageElement).getAttribute('value'))),
    ).toEqual(['refund_only', 'return_refund', 'exchange', 'reship', 'repair', 'complaint']);
    await page.getByRole('radio', { name: 'Repair', exact: true }).check();
    // A repair refunds nothing: no refund method asked.
    expect(await page.getByRole('group', { name: 'How should the refund be paid?' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.getByRole('heading', { name: /^Request RMA-/ }).waitFor();
    const second = /#\/case\/([\w-]+)$/.exec(page.url())![1]!;
    expect(second).not.toBe(caseId);
    expect(await page.locator('#decision').getAttribute('data-decision')).toBe('review');
    expect(await page.locator('#decision .decision-title').textContent()).toBe('Under review');
    expect(await page.locator('#case-status .badge').textContent()).toBe('Under review');
    expect(await page.locator('#shipment-form').count()).toBe(0);

    // Withdrawing asks first; "Keep it" keeps it.
    await page.getByRole('button', { name: 'Withdraw this request' }).click();
    await page.getByRole('button', { name: 'Keep it' }).click();
    expect(await page.locator('#case-status .badge').textContent()).toBe('Under review');
    await page.getByRole('button', { name: 'Withdraw this request' }).click();
    await page.getByRole('button', { name: 'Yes, withdraw it' }).click();
    await page.getByText('Your request was withdrawn.').waitFor();
    expect(await page.locator('#case-status .badge').textContent()).toBe('Withdrawn');
    expect(await page.getByRole('button', { name: 'Withdraw this request' }).count()).toBe(0);
    expect(CaseDetailView.parse((await admin(`/admin/cases/${second}`)).json).case).toMatchObject({
      type: 'repair',
      status: 'cancelled',
      lines: [{ lineId: '2', quantity: 1, reason: 'defective' }],
    });
    // Back skips the form already sent.
    await page.goBack();
    await page.getByRole('heading', { name: 'Order #2001' }).waitFor();
    expect(problems).toEqual([]);
  });

  it('reopens the case from the lookup on a desktop, in English and then in Chinese, and keeps both on reload', async () => {
    const { page, problems } = await newPage({ locale: 'en' });
    await page.goto(`${harness.url}/portal/${SHOP}`);
    await findOrder(page, '#2001', '13800138000');
    await page.getByRole('heading', { name: 'Order #2001' }).waitFor();
    const requests = page.getByRole('region', { name: 'Your requests' });
    expect(await requests.textContent()).toContain(caseNumber);
    expect(await requests.textContent()).toContain('Return received');
    // The return parcel is one of the order's parcels now.
    expect(
      await page.locator(`article.parcel[data-tracking="${RETURN_TRACKING}"] .badge`).textContent(),
    ).toBe('Delivered');
    await page.getByRole('button', { name: `Open request ${caseNumber}` }).click();
    await page.getByRole('heading', { name: `Request ${caseNumber}` }).waitFor();
    expect(await page.locator('#case-status .badge').textContent()).toBe('Return received');
    expect(await page.locator('section.instructions').textContent()).toContain(caseNumber);
    expect(await page.locator('#deadline').count()).toBe(0);
    // The timeline, newest first.
    expect(await page.locator('ol.timeline li .timeline-event').allTextContents()).toEqual([
      'Return received by the shop',
      'Return parcel on its way',
      'Return tracking number received',
      'Request received',
    ]);
    await noHorizontalScroll(page);
    await harness.screenshot(page, 'portal-case-en-desktop');

    await page.getByRole('button', { name: '切换到中文' }).click();
    await page.getByRole('heading', { name: `售后申请 ${caseNumber}` }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await page.locator('#case-status .badge').textContent()).toBe('商家已收货');
    expect(await page.locator('ol.timeline').textContent()).toContain('退货包裹运输中');
    expect(await page.getByRole('button', { name: '刷新进度' }).count()).toBe(1);
    // The switch keeps the keyboard where it was.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('id'))).toBe('lang-switch');
    await harness.screenshot(page, 'portal-case-zh-desktop');

    // A reload: the language chosen, the case from the tab's token.
    await page.reload();
    await page.getByRole('heading', { name: `售后申请 ${caseNumber}` }).waitFor();
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: `Request ${caseNumber}` }).waitFor();
    expect(problems).toEqual([]);
  });

  it('speaks Chinese to a Chinese browser, with times in its own zone', async () => {
    const context = await harness.browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    context.setDefaultTimeout(20_000);
    contexts.push(context);
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(`${harness.url}/portal/${SHOP}`);
    await page.getByRole('heading', { name: '查询订单' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');

    await page.getByLabel('订单号').fill('#2001');
    await page.getByLabel('邮箱或手机号').fill('nobody@example.com');
    await page.getByRole('button', { name: '查询订单' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('未找到与该订单号和联系方式匹配的订单');

    await page.getByLabel('邮箱或手机号').fill(EMAIL);
    await page.getByRole('button', { name: '查询订单' }).click();
    await page.getByRole('heading', { name: '订单 #2001' }).waitFor();
    const parcel = page.locator(`article.parcel[data-tracking="${OUTBOUND_TRACKING}"]`);
    expect(await parcel.locator('.card-head .badge').textContent()).toBe('已签收');
    const first = parcel.locator('ol.checkpoints time').first();
    const at = (await first.getAttribute('datetime'))!;
    const shown = await first.textContent();
    const [shanghai, utc] = await page.evaluate((iso) => {
      const format = (timeZone: string) =>
        new Intl.DateTimeFormat('zh-CN', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
          new Date(iso),
        );
      return [format('Asia/Shanghai'), format('UTC')];
    }, at);
    expect(shown).toBe(shanghai);
    expect(shown).not.toBe(utc);
    expect(problems).toEqual([]);
  });

  it("refuses a request outside the return window in the policy's words, all by keyboard", async () => {
    const { page, problems } = await newPage({ phone: true, locale: 'en' });
    await page.goto(`${harness.url}/portal/${SHOP}`);
    await page.getByRole('heading', { name: 'Find your order' }).waitFor();
    await page.getByLabel('Order number').focus();
    await page.keyboard.type('#2002');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('id'))).toBe('contact');
    await page.keyboard.type(EMAIL);
    await page.keyboard.press('Tab');
    // The focus ring is there for the keyboard.
    const ring = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement!);
      return { style: style.outlineStyle, width: style.outlineWidth };
    });
    expect(ring.style).not.toBe('none');
    expect(ring.width).not.toBe('0px');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Order #2002' }).waitFor();

    await page.getByRole('button', { name: 'Return, exchange or report a problem' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Request a return or exchange' }).waitFor();
    // One item bought: it is already chosen.
    expect(await page.getByRole('checkbox', { name: /Tea towel/ }).isChecked()).toBe(true);
    await page.getByLabel('What happened?').focus();
    await page.getByLabel('What happened?').selectOption('changed_mind');
    await page.getByRole('radio', { name: 'Return for a refund', exact: true }).focus();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Send request' }).focus();
    await page.keyboard.press('Enter');

    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = (await alert.textContent())!;
    expect(text).toContain('The request could not be accepted');
    expect(text).toContain('The time to ask for this has passed.');
    // The policy's own message, as the API said it.
    expect(text).toMatch(/The return window for Tea towel closed on .+ \(30 days from delivery\)/);
    expect(text).not.toMatch(/at .*\.ts|Error:|stack/i);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('id'))).toBe('message');
    await harness.screenshot(page, 'portal-refused-en-phone');
    await noHorizontalScroll(page);
    expect(problems).toEqual([]);
  });
});
