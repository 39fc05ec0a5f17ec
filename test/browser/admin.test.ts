import { copyFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLocalToken } from '../../infra/local/tokens.ts';
import { CaseDetailView, CaseListView, IntakeView } from '../../schemas/views.ts';
import { ARTIFACTS, type Harness, startHarness } from './harness.ts';

/*
 * The staff admin page in real Chromium against a local runtime: a shop with a delivered order
 * (generic webhooks, signed), customers' returns in the review queue, and a clerk who signs in by
 * pasting a token, approves one case with a click, rejects another through the reason picker,
 * meets a stale version, and reads the case page (timeline, policy trace, the notice the approval
 * planned). Also: Chinese from the browser's language and by the switch, a phone without
 * horizontal scrolling, the keyboard in the dialog, a refused token, and the other screens.
 */

const SHOP = 'admin-shop';
const SECRET = 'admin-browser-secret';
const root = join(import.meta.dirname, '..', '..');
const ORDER_1001 = '820982911946154508';
const ORDER_1002 = '820982911946154509';

// biome-ignore lint/suspicious/noExplicitAny: API answers are parsed by their views where it matters.
type Json = any;

/*
 * The callbacks given to page.evaluate run in the page, not here: the few browser globals they
 * touch, typed for this file (the project's TypeScript has no DOM library).
 */
interface PageElement {
  textContent: string | null;
  name?: string;
  closest(selector: string): PageElement | null;
}
declare const document: {
  documentElement: { scrollWidth: number; lang: string };
  activeElement: PageElement | null;
  querySelector(selector: string): PageElement | null;
};
declare const window: { innerWidth: number };
declare const location: { href: string };
declare function getComputedStyle(element: PageElement): { outlineStyle: string };

let harness: Harness;
let staffToken: string;
const cases: Record<'a' | 'b' | 'c' | 'd', { caseId: string; number: string }> = {} as never;

async function call(method: string, path: string, body?: unknown, token = staffToken) {
  const res = await fetch(`${harness.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Json };
}

async function caseOf(caseId: string) {
  const res = await call('GET', `/admin/cases/${caseId}`);
  expect(res.status).toBe(200);
  return CaseDetailView.parse(res.json);
}

async function eventually<T>(check: () => Promise<T | undefined>, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function fileReturn(orderNumber: string, reason: string) {
  const res = await fetch(`${harness.url}/returns`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      shopId: SHOP,
      orderNumber,
      email: 'li.lei@example.com',
      type: 'return_refund',
      lines: [{ lineId: '1', quantity: 1, reason }],
    }),
  });
  const json = await res.json();
  expect(res.status, JSON.stringify(json)).toBe(201);
  const intake = IntakeView.parse(json);
  expect(intake.status).toBe('pending_review');
  return { caseId: intake.caseId, number: intake.number! };
}

/** What went wrong inside the page: uncaught errors and console errors (CSP refusals among them). */
function watch(page: Page) {
  const problems: string[] = [];
  const urls: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    // The API's own 4xx answers (a 409, a 404 lookup) are logged by Chromium as failed loads: expected.
    const text = msg.text();
    if (msg.type() === 'error' && !text.startsWith('Failed to load resource'))
      problems.push(`console: ${text}`);
  });
  page.on('request', (req) => urls.push(req.url()));
  return { problems, urls };
}

async function signIn(page: Page, token: string, labels = { field: 'Staff token', button: 'Sign in' }) {
  await page.goto(`${harness.url}/admin`);
  await page.getByLabel(labels.field).fill(token);
  await page.getByRole('button', { name: labels.button, exact: true }).click();
}

async function noHorizontalScroll(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

function row(page: Page, number: string) {
  return page.locator('table.queue tbody tr', { has: page.getByRole('link', { name: number, exact: true }) });
}

beforeAll(async () => {
  harness = await startHarness();
  const now = new Date().toISOString();
  await harness.runtime.deps.shops.put({ shopId: SHOP, name: 'Admin Shop', locale: 'en' }, now);
  await harness.runtime.deps.shops.setConnector(SHOP, 'generic', { secret: SECRET, settings: {} }, now);
  staffToken = await harness.token(SHOP, 'staff');

  // The sample as sent (its order id is beyond 2^53: never parsed into a JS number), and a second order.
  const placed = readFileSync(join(root, 'events', 'generic', 'order-placed.json'), 'utf8');
  const second = placed.replace(ORDER_1001, ORDER_1002).replace('#1001', '#1002');
  expect(
    await harness.webhook('generic', SHOP, Buffer.from(placed), { secret: SECRET, eventId: 'p-1001' }),
  ).toBe(202);
  expect(
    await harness.webhook('generic', SHOP, Buffer.from(second), { secret: SECRET, eventId: 'p-1002' }),
  ).toBe(202);
  const deliveredAt = new Date(Date.now() - 3 * 3_600_000).toISOString();
  for (const id of [ORDER_1001, ORDER_1002]) {
    const body = `{"type":"OrderDelivered","orderId":${id},"occurredAt":"${deliveredAt}","deliveredAt":"${deliveredAt}","confirmedBy":"carrier"}`;
    expect(
      await harness.webhook('generic', SHOP, Buffer.from(body), { secret: SECRET, eventId: `d-${id}` }),
    ).toBe(202);
  }
  for (const number of ['1001', '1002']) {
    await eventually(async () => {
      const res = await call('GET', `/admin/orders?number=${number}`);
      return res.json.orders?.[0]?.order.status === 'delivered' ? true : undefined;
    }, `order ${number} delivered`);
  }
  // The default policy sends quality problems to staff: four cases wait for review.
  cases.a = await fileReturn('#1001', 'defective');
  cases.b = await fileReturn('#1001', 'not_as_described');
  cases.c = await fileReturn('#1002', 'wrong_item');
  cases.d = await fileReturn('#1002', 'damaged_in_transit');
});

afterAll(async () => {
  await harness?.stop();
});

describe('the admin page, as a clerk uses it', () => {
  let context: BrowserContext;
  let page: Page;
  let seen: ReturnType<typeof watch>;

  beforeAll(async () => {
    context = await harness.context({ locale: 'en' });
    page = await context.newPage();
    seen = watch(page);
  });
  afterAll(async () => {
    await context?.close();
  });

  it('signs in with a pasted token and shows the review queue, oldest first', async () => {
    await page.goto(`${harness.url}/admin`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
    // A pasted token wrapped by the terminal still works.
    await signIn(page, `${staffToken.slice(0, 40)}\n${staffToken.slice(40)}`);
    await page.getByRole('heading', { name: 'Review queue', level: 1 }).waitFor();
    await row(page, cases.d.number).waitFor();

    const numbers = await page.locator('table.queue tbody tr th a').allTextContents();
    expect(numbers).toEqual([cases.a.number, cases.b.number, cases.c.number, cases.d.number]);
    const first = row(page, cases.a.number);
    expect(await first.locator('td[data-label="Amount"]').textContent()).toBe('CN¥128.00');
    expect(await first.locator('td[data-label="Type"]').textContent()).toBe('return and refund');
    expect(await first.locator('td[data-label="Status"]').textContent()).toBe('pending review');
    expect(await first.locator('td[data-label="Order"]').textContent()).toBe(ORDER_1001);
    expect(await first.locator('td[data-label="SLA"]').textContent()).toBe('on time');
    expect(await page.locator('nav a[aria-current="page"]').textContent()).toBe('Queue');
    expect(await page.locator('.who').textContent()).toBe('Shop admin-shop · staff');

    // The token is kept for this tab only and never travels in an address.
    const stored = await page.evaluate(() => ({
      session: sessionStorage.getItem('aftersale.admin.token'),
      local: JSON.stringify(localStorage),
      url: location.href,
    }));
    expect(stored.session).toBe(staffToken);
    expect(stored.local).not.toContain(staffToken.slice(20, 60));
    expect(stored.url).not.toContain(staffToken.slice(20, 60));
    await harness.screenshot(page, 'admin-queue-en');
  });

  it('approves a case with one click in its row, and the case page shows the trail and the notice', async () => {
    await page.getByRole('button', { name: `Approve ${cases.a.number}` }).click();
    await expect
      .poll(() => page.locator('#status p').textContent())
      .toBe(`${cases.a.number} approved: now awaiting return.`);
    expect(await row(page, cases.a.number).locator('td[data-label="Status"]').textContent()).toBe(
      'awaiting return',
    );
    // The decision is the API's: the case moved, decided by this clerk on the version it showed.
    const decided = await caseOf(cases.a.caseId);
    expect(decided.case.status).toBe('awaiting_return');
    expect(decided.case.decisionTrail.at(-1)).toMatchObject({
      action: 'approve',
      by: 'local-staff',
      from: 'pending_review',
      status: 'awaiting_return',
    });

    await page.getByRole('link', { name: cases.a.number, exact: true }).click();
    await page.getByRole('heading', { name: `Case ${cases.a.number}`, level: 1 }).waitFor();
    expect(await page.locator('.case-head .badge').first().textContent()).toBe('awaiting return');
    const timeline = page.locator('ol.timeline');
    expect(await timeline.locator('li[data-action="approve"]').textContent()).toContain('by local-staff');
    expect(await timeline.locator('li[data-action="approve"] .tl-move').textContent()).toBe(
      'pending review →  to awaiting return',
    );
    // The policy's decision at intake, with its rule and trace.
    const policy = page.locator('section', { has: page.getByRole('heading', { name: 'Policy decision' }) });
    expect(await policy.locator('.decision').textContent()).toBe('review by rule default, policy version 0');
    expect(await policy.locator('table.trace tbody tr').count()).toBeGreaterThan(0);
    // What the case allows now, and nothing only the system does (return_scanned, expire...).
    expect(await page.locator('.actions button').allTextContents()).toEqual([
      'Mark received',
      'Register return parcel',
      'Assign',
      'Cancel the case',
    ]);

    // The approval's notice is recorded through a queue: refresh until it is there.
    const notices = page.locator('[data-section="notices"]');
    await eventually(async () => {
      if ((await notices.textContent())?.includes('case.approved')) return true;
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.waitForTimeout(400);
      return undefined;
    }, 'the case.approved notice on the case page');
    expect(
      await notices.locator('tr', { hasText: 'case.approved' }).locator('td').first().textContent(),
    ).toBe('Request approved case.approved');
    await harness.screenshot(page, 'admin-case-en');
  });

  it('adds an internal note and registers the return parcel through its form', async () => {
    await page.getByLabel('Add an internal note (staff only)').fill('Customer called: ships on Monday.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await expect
      .poll(() => page.locator('ul.notes').textContent())
      .toContain('Customer called: ships on Monday.');

    await page.getByRole('button', { name: 'Register return parcel' }).click();
    const dialog = page.getByRole('dialog', { name: `Register return parcel ${cases.a.number}` });
    await dialog.getByRole('button', { name: 'Register return parcel' }).click();
    // The tracking number is required: the form says so and stays open.
    expect(await dialog.locator('.field-error:visible').allTextContents()).toEqual(['Fill this in.']);
    await dialog.getByLabel('Tracking number').fill('SF1234567890');
    await dialog.getByLabel('Carrier').fill('sf-express');
    await dialog.getByRole('button', { name: 'Register return parcel' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect
      .poll(() => page.locator('[data-section="parcels"]').textContent())
      .toContain('Return parcel: SF1234567890');
    const c = (await caseOf(cases.a.caseId)).case;
    expect(c.returnParcel).toMatchObject({ trackingNumber: 'SF1234567890', carrier: 'sf-express' });
    expect(c.notes.map((n) => n.text)).toEqual(['Customer called: ships on Monday.']);
  });

  it('carries the return through receipt, inspection and a refund typed in yuan', async () => {
    const decideWith = async (
      action: string,
      fill?: (dialog: ReturnType<Page['getByRole']>) => Promise<void>,
    ) => {
      await page.locator('.actions').getByRole('button', { name: action, exact: true }).click();
      const dialog = page.getByRole('dialog', { name: `${action} ${cases.a.number}` });
      await dialog.waitFor();
      await fill?.(dialog);
      await dialog.getByRole('button', { name: action, exact: true }).click();
      await expect.poll(() => dialog.count()).toBe(0);
    };
    await decideWith('Mark received');
    await expect
      .poll(() => page.locator('#status p').textContent())
      .toBe(`Mark received: done. ${cases.a.number} is now return received.`);
    await decideWith('Inspect', (dialog) => dialog.getByLabel('Passed: the goods are as expected').check());
    expect(await page.locator('.case-head .badge').first().textContent()).toBe('inspected');

    await page.locator('.actions').getByRole('button', { name: 'Refund', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Refund ${cases.a.number}` });
    // What is left to refund, in yuan, and the case's currency and resolution.
    expect(await dialog.getByLabel('Amount (CNY)').inputValue()).toBe('128.00');
    expect(await dialog.getByLabel('Currency').inputValue()).toBe('CNY');
    expect(await dialog.getByLabel('Refund to').inputValue()).toBe('original_payment');
    expect(await dialog.textContent()).toContain('At most CN¥128.00');
    await dialog.getByLabel('Amount (CNY)').fill('12.345');
    await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
    expect(await dialog.locator('.field-error:visible').allTextContents()).toEqual([
      'At most 2 decimals for CNY.',
      'Fill this in.',
    ]);
    await dialog.getByLabel('Amount (CNY)').fill('¥128');
    await dialog.getByLabel('Refund reference').fill('WX-REFUND-0001');
    await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await page.locator('.case-head .badge').first().textContent()).toBe('refunded');
    const c = (await caseOf(cases.a.caseId)).case;
    expect(c.status).toBe('refunded');
    expect(c.refunds).toMatchObject([
      {
        amount: 12800,
        currency: 'CNY',
        method: 'original_payment',
        reference: 'WX-REFUND-0001',
        by: 'local-staff',
      },
    ]);
    expect(await page.locator('section', { hasText: 'Refunds' }).first().textContent()).toContain(
      'CN¥128.00 via Original payment, reference WX-REFUND-0001',
    );
  });

  it('formats minor units with the currency and reads back what a clerk types', async () => {
    // A string, not a function: vitest would rewrite a function's import() for Node.
    const results = (await page.evaluate(`(async () => {
      const m = await import('/assets/admin-i18n.js');
      return {
        typed: ['128', '128.5', '¥1,280.00', '0.01', '128.505', '-5', '12,80', 'abc'].map(
          (x) => m.parseMoney(x, 'CNY').value ?? 'error',
        ),
        yen: [m.parseMoney('1280', 'JPY').value, m.parseMoney('12.5', 'JPY').value ?? 'error'],
        shown: [m.money(12800, 'CNY'), m.money(1280, 'JPY'), m.money(5, 'USD'), m.moneyInput(12805, 'CNY')],
      };
    })()`)) as { typed: unknown[]; yen: unknown[]; shown: string[] };
    expect(results.typed).toEqual([12800, 12850, 128000, 1, 'error', 'error', 'error', 'error']);
    expect(results.yen).toEqual([1280, 'error']);
    expect(results.shown).toEqual(['CN¥128.00', '¥1,280', '$0.05', '128.05']);
  });

  it('rejects a second case through the reason picker, with a note to the customer', async () => {
    await page.getByRole('link', { name: 'Queue', exact: true }).click();
    await row(page, cases.b.number).waitFor();
    await page.getByRole('button', { name: `Reject ${cases.b.number}` }).click();
    const dialog = page.getByRole('dialog', { name: `Reject ${cases.b.number}` });
    await dialog.waitFor();
    // Both the reason and the note are required.
    await dialog.getByRole('button', { name: 'Reject', exact: true }).click();
    expect(await dialog.locator('.field-error:visible').allTextContents()).toEqual([
      'Fill this in.',
      'Fill this in.',
    ]);
    expect(await dialog.getByLabel('Reason').getAttribute('aria-invalid')).toBe('true');
    const options = await dialog
      .getByLabel('Reason')
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
    expect(options).toEqual(['', 'not_eligible', 'outside_policy', 'item_used', 'fraud_suspected', 'other']);
    await dialog.getByLabel('Reason').selectOption('item_used');
    await dialog.getByLabel('Note to the customer').fill('The photos show the seal broken.');
    await dialog.getByRole('button', { name: 'Reject', exact: true }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect
      .poll(() => page.locator('#status p').textContent())
      .toBe(`${cases.b.number} rejected (Item used or not intact).`);
    expect(await row(page, cases.b.number).locator('td[data-label="Status"]').textContent()).toBe('rejected');
    const c = (await caseOf(cases.b.caseId)).case;
    expect(c.status).toBe('rejected');
    expect(c.decisionTrail.at(-1)).toMatchObject({
      action: 'reject',
      reasonCode: 'item_used',
      note: 'The photos show the seal broken.',
    });
  });

  it('reloads a case someone else changed meanwhile (409) and lets the clerk decide again', async () => {
    // Another clerk assigns case D while this page still shows its old version.
    const before = (await caseOf(cases.d.caseId)).case;
    const other = await call('POST', `/admin/cases/${cases.d.caseId}/assign`, {
      version: before.version,
      assignee: 'wang.fang',
    });
    expect(other.status).toBe(200);

    await page.getByRole('button', { name: `Approve ${cases.d.number}` }).click();
    await expect
      .poll(() => page.locator('#alert p').textContent())
      .toBe(
        `Someone else changed ${cases.d.number} meanwhile. It has been reloaded: check it and decide again.`,
      );
    await expect
      .poll(() => row(page, cases.d.number).locator('td[data-label="Assignee"]').textContent())
      .toBe('wang.fang');
    expect((await caseOf(cases.d.caseId)).case.status).toBe('pending_review');

    await page.getByRole('button', { name: `Approve ${cases.d.number}` }).click();
    await expect
      .poll(() => row(page, cases.d.number).locator('td[data-label="Status"]').textContent())
      .toBe('awaiting return');
    expect((await caseOf(cases.d.caseId)).case.status).toBe('awaiting_return');
  });

  it('works from the keyboard: the dialog takes focus, Escape closes it, focus returns', async () => {
    const reject = page.getByRole('button', { name: `Reject ${cases.c.number}` });
    await reject.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Reject ${cases.c.number}` });
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.name)).toBe('reasonCode');
    // Tab moves through the form: reason, note, Reject, Cancel.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(`Reject ${cases.c.number}`);
    // The focus ring shows where the keyboard is.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Shift+Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).toBe('solid');
    expect((await caseOf(cases.c.caseId)).case.status).toBe('pending_review');
  });

  it('looks up an order by number, a customer by email, and a parcel that does not exist', async () => {
    await page.getByRole('link', { name: 'Lookup', exact: true }).click();
    await page.getByLabel('Order number').fill('#1001');
    await page.getByRole('form', { name: 'Order by number' }).getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: 'Order #1001' }).waitFor();
    const order = page.locator('section', { has: page.getByRole('heading', { name: 'Order #1001' }) });
    expect(await order.locator('.badge').first().textContent()).toBe('delivered');
    expect(await order.locator('table tbody tr').first().locator('td').nth(1).textContent()).toBe(
      '西湖龙井 500g',
    );
    expect(await order.textContent()).toContain('CN¥256.00');

    await page.getByLabel('Email').fill('li.lei@example.com');
    await page.getByRole('form', { name: 'Customer' }).getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: '李雷' }).waitFor();
    expect(await page.locator('.results').textContent()).toContain('l***@example.com');
    // Scored from the orders it holds, as of now.
    expect(await page.locator('.results').textContent()).toMatch(/Segment \(RFM\)\w[\w ]* \(R\d F\d M\d\)/);
    await page.getByRole('link', { name: `${ORDER_1002} (generic)` }).click();
    await page.getByRole('heading', { name: 'Order #1002' }).waitFor();

    await page.getByLabel('Tracking number').fill('NOSUCHPARCEL1');
    await page.getByRole('form', { name: 'Shipment' }).getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.locator('.results .form-error').textContent()).toContain('Nothing found');
  });

  it('shows operations, settings with a dry run, and the summary with its charts', async () => {
    await page.getByRole('link', { name: 'Operations', exact: true }).click();
    await page.getByRole('heading', { name: 'Dead-letter queues' }).waitFor();
    const dlq = page.locator('section', { has: page.getByRole('heading', { name: 'Dead-letter queues' }) });
    await dlq.getByRole('button', { name: 'Redrive inbound' }).waitFor();
    // Staff may look, not redrive.
    expect(await dlq.getByRole('button', { name: 'Redrive inbound' }).isDisabled()).toBe(true);
    expect(await dlq.textContent()).toContain('Only a manager may do this.');
    const log = page.locator('section', { has: page.getByRole('heading', { name: 'Notice log' }) });
    await expect.poll(() => log.textContent()).toContain('case.approved');
    expect(await page.locator('section', { hasText: 'Webhook inbox' }).textContent()).toContain(
      'No inbox item in this status.',
    );

    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    const json = page.getByLabel('Policy (JSON; docs/policy.md explains every field)');
    await expect.poll(() => json.inputValue()).toContain('"defaultAction": "review"');
    expect(await page.getByRole('button', { name: 'Publish' }).isDisabled()).toBe(true);
    // A draft that approves everything: the reviewed cases of the last 30 days would change.
    const draft = JSON.parse(await json.inputValue());
    draft.defaultAction = 'approve';
    await json.fill(JSON.stringify(draft, null, 2));
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.getByRole('heading', { name: 'Dry-run report' }).waitFor();
    const outcomes = page.locator('table.outcomes tbody tr');
    expect(await outcomes.first().locator('td').allTextContents()).toEqual(['approve', '0', '4', '+4']);
    expect(await page.locator('.dry-report').textContent()).toContain(
      '4 of 4 cases evaluated; 4 would be decided differently.',
    );
    // Broken JSON is caught before it is sent.
    await json.fill('{"defaultAction": ');
    await page.getByRole('button', { name: 'Dry run' }).click();
    await expect
      .poll(() => page.locator('.field-error:visible').first().textContent())
      .toContain('Not valid JSON');
    await expect.poll(() => page.getByLabel('Shop name').inputValue()).toBe('Admin Shop');
    expect(await page.getByLabel('Shop name').isDisabled()).toBe(true);

    await page.getByRole('link', { name: 'Summary', exact: true }).click();
    await page.getByRole('heading', { name: 'Open cases by age' }).waitFor();
    const tiles = await page.locator('.tile').allTextContents();
    // A, C and D are open (B was rejected); all four were opened in the period.
    expect(tiles[0]).toBe('Open now3');
    expect(tiles[1]).toBe('Opened in the period4');
    expect(await page.locator('svg.chart-svg rect.chart-bar').count()).toBeGreaterThan(3);
    expect(await page.locator('svg.chart-svg title').first().textContent()).toBe(
      'Open cases by age: under 1 day 3, 1–3 days 0, 3–7 days 0, over 7 days 0',
    );
  });

  it('sent the token only as a header, and nothing went wrong in the page', () => {
    expect(seen.urls.some((u) => u.includes(staffToken.slice(20, 60)))).toBe(false);
    expect(seen.problems).toEqual([]);
  });
});

describe('the admin page in Chinese, on a phone, signed in through Cognito, refused, and for a manager', () => {
  it('speaks Chinese when the browser does, and switches language on request', async () => {
    const context = await harness.context({ locale: 'zh-CN' });
    const page = await context.newPage();
    const seen = watch(page);
    await page.goto(`${harness.url}/admin`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('登录');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await signIn(page, staffToken, { field: '员工令牌', button: '登录' });
    await page.getByRole('heading', { name: '审核队列', level: 1 }).waitFor();
    await row(page, cases.c.number).waitFor();
    expect(await page.locator('table.queue thead th').allTextContents()).toEqual([
      '售后单',
      '类型',
      '状态',
      '订单',
      '申请时间',
      '金额',
      '处理人',
      '时限',
      '处理',
    ]);
    const c = row(page, cases.c.number);
    expect(await c.locator('td[data-label="状态"]').textContent()).toBe('待审核');
    expect(await c.locator('td[data-label="类型"]').textContent()).toBe('退货退款');
    expect(await c.locator('td[data-label="金额"]').textContent()).toBe('¥128.00');
    await c.getByRole('button', { name: `批准 ${cases.c.number}` }).waitFor();
    await harness.screenshot(page, 'admin-queue-zh');

    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: 'Review queue', level: 1 }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByRole('button', { name: '切换到中文' }).click();
    await page.getByRole('heading', { name: '审核队列', level: 1 }).waitFor();
    expect(seen.problems).toEqual([]);
    await context.close();
  });

  it('fits a phone: no horizontal scrolling on the queue, the case page and the dialog', async () => {
    const context = await harness.context({ phone: true, locale: 'en' });
    const page = await context.newPage();
    const seen = watch(page);
    await signIn(page, staffToken);
    await row(page, cases.c.number).waitFor();
    await noHorizontalScroll(page);
    await page.getByRole('link', { name: cases.c.number, exact: true }).click();
    await page.getByRole('heading', { name: `Case ${cases.c.number}`, level: 1 }).waitFor();
    await page.locator('table.trace').waitFor();
    await noHorizontalScroll(page);
    await harness.screenshot(page, 'admin-case-phone');
    await page.locator('.actions').getByRole('button', { name: 'Reject' }).click();
    const box = await page.getByRole('dialog').boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await noHorizontalScroll(page);
    await page.keyboard.press('Escape');
    const screens: Array<[string, string]> = [
      ['lookup?number=%231001', 'Order #1001'],
      ['operations', 'Notice log'],
      ['settings', 'Shop settings'],
      ['summary', 'Top reasons'],
    ];
    for (const [screen, heading] of screens) {
      await page.goto(`${harness.url}/admin#/${screen}`);
      await page.getByRole('heading', { name: heading }).waitFor();
      await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
      await noHorizontalScroll(page);
    }
    expect(seen.problems).toEqual([]);
    await context.close();
  });

  it('signs in on AWS with an email and password through Cognito, asking for a new password when told', async () => {
    const context = await harness.context({ locale: 'en' });
    const page = await context.newPage();
    const seen = watch(page);
    // An ID token as the stack's user pool issues it (Cognito's claims), signed with this runtime's key.
    const now = Math.floor(Date.now() / 1000);
    const idToken = await new SignJWT({
      'custom:shop_id': SHOP,
      'cognito:groups': ['staff'],
      email: 'li.ming@shop.example',
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('cognito-user-1')
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(new TextEncoder().encode(harness.runtime.jwtKey));
    await page.route('**/pages/config.json', (route) =>
      route.fulfill({
        json: {
          auth: { mode: 'cognito', region: 'ap-east-1', userPoolId: 'ap-east-1_Pool', clientId: 'client-1' },
        },
      }),
    );
    // Cognito's library, faked at its own address: it records what the page asks and answers as Cognito does.
    await page.route('**/assets/cognito.js', (route) =>
      route.fulfill({
        contentType: 'text/javascript',
        body: `
          const calls = (window.cognitoCalls = []);
          const session = { getIdToken: () => ({ getJwtToken: () => ${JSON.stringify(idToken)} }) };
          window.AmazonCognitoIdentity = {
            CognitoUserPool: class { constructor(o) { calls.push(['pool', o.UserPoolId, o.ClientId, o.Storage !== undefined && o.Storage !== window.localStorage]); } },
            AuthenticationDetails: class { constructor(o) { this.o = o; } },
            CognitoUser: class {
              constructor(o) { calls.push(['user', o.Username, o.Storage !== undefined && o.Storage !== window.localStorage]); }
              authenticateUser(details, cb) {
                calls.push(['authenticate', details.o.Username]);
                if (details.o.Password === 'wrong') cb.onFailure(new Error('Incorrect username or password.'));
                else if (details.o.Password === 'Temp-2026') cb.newPasswordRequired({}, []);
                else cb.onSuccess(session);
              }
              completeNewPasswordChallenge(password, attributes, cb) { calls.push(['newPassword', password]); cb.onSuccess(session); }
              signOut() { calls.push(['signOut']); }
            },
          };`,
      }),
    );
    await page.goto(`${harness.url}/admin`);
    await page.getByLabel('Email').fill('li.ming@shop.example');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect
      .poll(() => page.locator('.signin [role="alert"]').textContent())
      .toBe('Incorrect username or password.');

    await page.getByLabel('Password').fill('Temp-2026');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByLabel('New password', { exact: true }).fill('A-new-passw0rd');
    await page.getByLabel('New password again').fill('A-different-one');
    await page.getByRole('button', { name: 'Set the password and sign in' }).click();
    expect(await page.locator('.field-error:visible').textContent()).toBe('The two passwords differ.');
    await page.getByLabel('New password again').fill('A-new-passw0rd');
    await page.getByRole('button', { name: 'Set the password and sign in' }).click();

    await page.getByRole('heading', { name: 'Review queue', level: 1 }).waitFor();
    expect(await page.locator('.who').textContent()).toBe('Shop admin-shop · staff');
    expect(await page.evaluate('window.cognitoCalls')).toEqual([
      ['pool', 'ap-east-1_Pool', 'client-1', true],
      ['user', 'li.ming@shop.example', true],
      ['authenticate', 'li.ming@shop.example'],
      ['pool', 'ap-east-1_Pool', 'client-1', true],
      ['user', 'li.ming@shop.example', true],
      ['authenticate', 'li.ming@shop.example'],
      ['newPassword', 'A-new-passw0rd'],
    ]);
    // Cognito's library kept nothing in localStorage; the ID token is this tab's only.
    expect(await page.evaluate('localStorage.length')).toBe(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
    expect(await page.evaluate('window.cognitoCalls.at(-1)')).toEqual(['signOut']);
    expect(seen.problems).toEqual([]);
    await context.close();
  });

  it('returns to the sign-in when the API refuses the token (401)', async () => {
    const context = await harness.context({ locale: 'en' });
    const page = await context.newPage();
    // Signed with another key: well formed, but not this runtime's.
    const forged = await signLocalToken('not-the-runtime-key-0123456789abcdef', {
      shopId: SHOP,
      role: 'manager',
    });
    await signIn(page, forged);
    await expect
      .poll(() => page.locator('.signin [role="alert"]').textContent())
      .toBe('The API refused the token: the token is invalid or expired');
    // A session that the API stops accepting on a later call ends the same way.
    await page.evaluate((t) => sessionStorage.setItem('aftersale.admin.token', t), forged);
    await page.goto(`${harness.url}/admin#/summary`);
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
    expect(await page.locator('.signin .notice').textContent()).toContain('Your session has expired');
    expect(await page.evaluate(() => sessionStorage.getItem('aftersale.admin.token'))).toBeNull();
    await context.close();
  });

  it('lets a manager change the settings and publish the policy; staff then meet the approval limit', async () => {
    const context = await harness.context({ locale: 'en' });
    const page = await context.newPage();
    await signIn(page, await harness.token(SHOP, 'manager'));
    await page.getByRole('heading', { name: 'Review queue', level: 1 }).waitFor();
    expect(await page.locator('.who').textContent()).toBe('Shop admin-shop · manager');
    await page.getByRole('link', { name: 'Settings', exact: true }).click();

    // The manager lowers staff's approval limit to ¥100.00 (minor units) and saves.
    await expect.poll(() => page.getByLabel('Shop name').isDisabled()).toBe(false);
    await page.getByLabel('Staff approval limit').fill('10000');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.locator('#status p').textContent()).toBe('Settings saved.');
    expect((await call('GET', '/admin/settings')).json.cases.staffApprovalLimit).toBe(10000);

    const publish = page.getByRole('button', { name: 'Publish' });
    expect(await publish.isDisabled()).toBe(false);
    await publish.click();
    await page
      .getByRole('dialog', { name: 'Publish the policy' })
      .getByRole('button', { name: 'Publish' })
      .click();
    await expect.poll(() => page.locator('#status p').textContent()).toBe('Policy version 1 published.');
    await expect.poll(() => page.locator('.meta').first().textContent()).toBe('Version 1');
    const policy = await call('GET', '/admin/policy');
    expect(policy.json).toMatchObject({ version: 1, isDefault: false });

    // Staff decisions read the shop afresh: the lowered limit applies at once.
    // Case C is worth ¥128.00: staff are told a manager must approve it.
    const staff = await harness.context({ locale: 'en' });
    const clerk = await staff.newPage();
    await signIn(clerk, staffToken);
    await clerk.getByRole('button', { name: `Approve ${cases.c.number}` }).click();
    await expect
      .poll(() => clerk.locator('#alert p').textContent())
      .toMatch(
        new RegExp(`^Above your approval limit: a manager must approve ${cases.c.number}\\. \\(.+\\)$`),
      );
    expect((await caseOf(cases.c.caseId)).case.status).toBe('pending_review');
    await staff.close();

    // The manager may.
    await page.getByRole('link', { name: 'Queue', exact: true }).click();
    await page.getByRole('button', { name: `Approve ${cases.c.number}` }).click();
    await expect
      .poll(() => page.locator('#status p').textContent())
      .toBe(`${cases.c.number} approved: now awaiting return.`);
    const list = await call('GET', '/admin/cases?status=pending_review');
    expect(CaseListView.parse(list.json).cases).toEqual([]);
    await context.close();
  });
});

describe("the admin page's notification settings and the shop's own templates", () => {
  let managerToken: string;
  beforeAll(async () => {
    managerToken = await harness.token(SHOP, 'manager');
  });

  const editor = (page: Page) => page.locator('.tpl-editor');
  async function openSettings(page: Page, token: string, chinese = false) {
    await signIn(page, token, chinese ? { field: '员工令牌', button: '登录' } : undefined);
    await page.locator('#nav').waitFor();
    await page.goto(`${harness.url}/admin#/settings`);
    await page.locator('.tpl-item').first().waitFor();
  }
  async function openTemplate(page: Page, id: string, language: string) {
    await page.locator(`.tpl-item[data-template="${id}"]`).click();
    await editor(page).getByRole('heading', { name: id }).waitFor();
    await editor(page).getByLabel(language, { exact: true }).check();
  }
  const delivered = async () =>
    (await call('GET', '/admin/templates')).json.templates.find((t: Json) => t.id === 'shipment.delivered');
  const example = (tpl: Json, name: string) =>
    tpl.variables.find((v: Json) => v.name === name).example.en as string;
  const FIXED = 'Hi {{name}}, your parcel {{trackingNumber}} has arrived. Please check it.';

  it("lets a manager write the shop's English SMS: refused naming the unknown variable, previewed, saved, kept", async () => {
    const context = await harness.context({ locale: 'en' });
    const page = await context.newPage();
    const seen = watch(page);
    await openSettings(page, managerToken);
    // The templates by kind, each with its description.
    expect(await page.locator('.tpl-group h3').allTextContents()).toEqual([
      'Order, parcel and case updates',
      'Marketing and greetings',
      'Staff alerts',
    ]);
    const tpl = await delivered();
    expect(await page.locator('.tpl-item[data-template="shipment.delivered"] .tpl-desc').textContent()).toBe(
      tpl.description,
    );
    await openTemplate(page, 'shipment.delivered', 'English (en)');
    const sms = editor(page).getByLabel('SMS text');
    // Pre-filled with the built-in text; the email parts are there too (the template has both channels).
    expect(await sms.inputValue()).toBe(tpl.builtIn.en.sms);
    expect(await editor(page).getByLabel('Email subject').inputValue()).toBe(tpl.builtIn.en.email.subject);
    expect(await editor(page).locator('.tpl-status').textContent()).toBe('The built-in text is in use.');

    await sms.fill('Hi {{custmerName}}, your parcel {{trackingNumber}} has arrived.');
    // An unsaved edit survives a look at the other language.
    await editor(page).getByLabel('中文 (zh-CN)', { exact: true }).check();
    expect(await editor(page).getByLabel('SMS text').inputValue()).toBe(tpl.builtIn['zh-CN'].sms);
    await editor(page).getByLabel('English (en)', { exact: true }).check();
    expect(await sms.inputValue()).toBe('Hi {{custmerName}}, your parcel {{trackingNumber}} has arrived.');
    expect(await editor(page).locator('.tpl-draft').isVisible()).toBe(true);
    await editor(page).getByRole('button', { name: 'Save the template' }).click();
    const problems = editor(page).locator('.form-error[role="alert"]');
    await expect
      .poll(() => problems.textContent())
      .toContain('shipment.delivered (en) sms: unknown variable {{custmerName}}');
    expect((await call('GET', '/admin/settings')).json.notifications.templates).toEqual({});

    // Fixed with the variable inserted at the cursor from the list.
    await sms.fill(FIXED.replace('{{name}}', ''));
    await sms.evaluate((el) =>
      (el as unknown as { setSelectionRange(a: number, b: number): void }).setSelectionRange(3, 3),
    );
    await editor(page).getByRole('button', { name: 'Insert {{name}}', exact: true }).click();
    expect(await sms.inputValue()).toBe(FIXED);

    await editor(page).getByRole('button', { name: 'Preview' }).click();
    const bubble = editor(page).locator('.sms-bubble');
    await bubble.waitFor();
    expect(await problems.isHidden()).toBe(true);
    expect(await bubble.textContent()).toBe(
      `Admin Shop: Hi ${example(tpl, 'name')}, your parcel ${example(tpl, 'trackingNumber')} has arrived. Please check it.`,
    );
    expect(await editor(page).locator('.sms-meta').textContent()).toMatch(/^1 segment · \d+ characters$/);
    // The built-in email, rendered in a sandboxed frame.
    expect(await editor(page).locator('iframe.email-frame').getAttribute('sandbox')).toBe(
      'allow-same-origin',
    );
    await expect
      .poll(() => page.frameLocator('iframe.email-frame').locator('body').textContent())
      .toContain(example(tpl, 'name'));

    await editor(page).getByRole('button', { name: 'Save the template' }).click();
    await expect
      .poll(() => page.locator('#status p').textContent())
      .toBe('Template shipment.delivered (en) saved.');
    // Only the part that differs from the built-in text is kept: the email stays built in.
    expect((await call('GET', '/admin/settings')).json.notifications.templates).toEqual({
      'shipment.delivered': { en: { sms: FIXED } },
    });
    expect(await page.locator('.tpl-item[data-template="shipment.delivered"] .badge-own').isVisible()).toBe(
      true,
    );
    await editor(page).getByRole('button', { name: 'Preview' }).click();
    await bubble.waitFor();
    // The screenshot without the variables' table, to keep it small.
    await editor(page).locator('.tpl-vars summary').click();
    const shot = join(ARTIFACTS, 'admin-templates-en.png');
    await page
      .locator('section', { has: page.getByRole('heading', { name: 'Message templates' }) })
      .screenshot({
        path: shot,
      });
    copyFileSync(shot, join(root, 'docs', 'images', 'admin-templates.png'));
    expect(statSync(shot).size).toBeLessThan(300_000);
    await editor(page).locator('.tpl-vars summary').click();

    await page.reload();
    await page.locator('.tpl-item').first().waitFor();
    await openTemplate(page, 'shipment.delivered', 'English (en)');
    expect(await editor(page).getByLabel('SMS text').inputValue()).toBe(FIXED);
    expect(await editor(page).locator('.tpl-status').textContent()).toBe("The shop's own text is in use.");
    // The Chinese text is still the built-in one.
    await editor(page).getByLabel('中文 (zh-CN)', { exact: true }).check();
    expect(await editor(page).getByLabel('SMS text').inputValue()).toBe(tpl.builtIn['zh-CN'].sms);
    expect(await editor(page).getByRole('button', { name: 'Reset to built-in' }).isDisabled()).toBe(true);
    expect(seen.problems).toEqual([]);
    await context.close();
  });

  it('lets a manager change the quiet hours and caps, sending only those parts, and shows a refusal beside its field', async () => {
    const context = await harness.context({ locale: 'en' });
    const page = await context.newPage();
    const seen = watch(page);
    await openSettings(page, managerToken);
    expect(await page.getByLabel('From (24-hour)').inputValue()).toBe('21:00');
    await page.getByLabel('From (24-hour)').fill('22:30');
    await page.getByLabel('Until (24-hour)').fill('07:15');
    await page.getByLabel('At most per day').fill('3');
    await page.getByLabel('At most per week').fill('5');
    const sent = page.waitForRequest((r) => r.method() === 'PUT' && r.url().endsWith('/admin/settings'));
    await page.getByRole('button', { name: 'Save notifications' }).click();
    expect((await sent).postDataJSON()).toEqual({
      notifications: {
        quietHours: { start: '22:30', end: '07:15', exemptTransactional: false },
        caps: { perDay: 3, perWeek: 5 },
      },
    });
    await expect.poll(() => page.locator('#status p').textContent()).toBe('Notification settings saved.');
    const after = (await call('GET', '/admin/settings')).json.notifications;
    expect(after.quietHours).toEqual({ start: '22:30', end: '07:15', exemptTransactional: false });
    expect(after.caps).toEqual({ perDay: 3, perWeek: 5 });
    // The template saved before is untouched.
    expect(after.templates['shipment.delivered'].en.sms).toBe(FIXED);

    // SES without a From address: the API's words beside the field.
    await page.getByLabel('Send email through').selectOption('ses');
    await page.getByRole('button', { name: 'Save notifications' }).click();
    const fromField = page.locator('.field', { has: page.getByLabel('From address') });
    await expect.poll(() => fromField.locator('.field-error').textContent()).toBe('ses needs a From address');
    expect(await page.getByLabel('From address').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.notifications-form > .form-error').textContent()).toContain(
      'email.from ses needs a From address',
    );
    expect((await call('GET', '/admin/settings')).json.notifications.email.provider).toBe('outbox');
    await page.getByLabel('Send email through').selectOption('outbox');
    await page.getByRole('button', { name: 'Save notifications' }).click();
    await expect
      .poll(() => page.locator('#status p').textContent())
      .toBe('Nothing changed: nothing to save.');

    // A holiday on a date of the shop's own and a Slack group; a date the API refuses is marked.
    const holidays = page.getByRole('group', { name: 'Holiday greetings' });
    await holidays.getByLabel('On', { exact: true }).check();
    await page.getByRole('button', { name: 'Add a holiday' }).click();
    await holidays.getByLabel('Holiday name').fill('520');
    await holidays.getByLabel('Holiday', { exact: true }).selectOption('custom');
    await holidays.getByLabel('Date (MM-DD)').fill('5-20');
    await page.getByRole('button', { name: 'Add a chat group' }).click();
    await page.getByLabel('Chat', { exact: true }).selectOption('slack');
    await page.getByLabel("Group bot's webhook URL").fill('https://hooks.slack.com/services/T0/B0/abc');
    await page.getByRole('button', { name: 'Save notifications' }).click();
    const mmdd = holidays.locator('.field', { has: page.getByLabel('Date (MM-DD)') });
    await expect.poll(() => mmdd.locator('.field-error').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.name)).toBe('holidayMmdd');
    await holidays.getByLabel('Date (MM-DD)').fill('05-20');
    const second = page.waitForRequest((r) => r.method() === 'PUT' && r.url().endsWith('/admin/settings'));
    await page.getByRole('button', { name: 'Save notifications' }).click();
    expect(Object.keys((await second).postDataJSON().notifications).sort()).toEqual([
      'programs',
      'staffAlerts',
    ]);
    await expect.poll(() => page.locator('#status p').textContent()).toBe('Notification settings saved.');
    const saved = (await call('GET', '/admin/settings')).json.notifications;
    expect(saved.programs.holidays).toEqual({
      enabled: true,
      segments: [],
      dates: [{ name: '520', date: '05-20' }],
    });
    expect(saved.staffAlerts).toEqual([{ kind: 'slack', url: 'https://hooks.slack.com/services/T0/B0/abc' }]);

    await page.reload();
    await page.locator('.tpl-item').first().waitFor();
    expect(await holidays.getByLabel('Date (MM-DD)').inputValue()).toBe('05-20');
    expect(await page.getByLabel('From (24-hour)').inputValue()).toBe('22:30');
    await page
      .locator('section', { has: page.getByRole('heading', { name: 'Notifications', exact: true }) })
      .screenshot({ path: join(ARTIFACTS, 'admin-notifications-en.png') });
    expect(await page.getByLabel('Until (24-hour)').inputValue()).toBe('07:15');
    expect(await page.getByLabel('At most per day').inputValue()).toBe('3');
    expect(await page.getByLabel('At most per week').inputValue()).toBe('5');
    expect(seen.problems).toEqual([]);
    await context.close();
  });

  it('shows staff the notification settings and templates read-only, with a preview', async () => {
    const context = await harness.context({ locale: 'en' });
    const page = await context.newPage();
    const seen = watch(page);
    await openSettings(page, staffToken);
    expect(await page.getByLabel('From (24-hour)').inputValue()).toBe('22:30');
    expect(await page.getByLabel('From (24-hour)').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save notifications' }).isDisabled()).toBe(true);
    await openTemplate(page, 'shipment.delivered', 'English (en)');
    const sms = editor(page).getByLabel('SMS text');
    expect(await sms.inputValue()).toBe(FIXED);
    expect(await sms.isEditable()).toBe(false);
    expect(await editor(page).getByRole('button', { name: 'Save the template' }).isDisabled()).toBe(true);
    expect(await editor(page).getByRole('button', { name: 'Reset to built-in' }).isDisabled()).toBe(true);
    expect(
      await editor(page)
        .getByRole('button', { name: /^Insert / })
        .count(),
    ).toBe(0);
    await editor(page).getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => editor(page).locator('.sms-bubble').textContent()).toMatch(/^Admin Shop: Hi /);
    expect(seen.problems).toEqual([]);
    await context.close();
  });

  it('fits a phone in Chinese, and a manager resets the template to the built-in text', async () => {
    const context = await harness.context({ phone: true, locale: 'zh-CN' });
    const page = await context.newPage();
    const seen = watch(page);
    await openSettings(page, managerToken, true);
    await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
    await noHorizontalScroll(page);
    await openTemplate(page, 'shipment.delivered', 'English (en)');
    await editor(page).getByLabel('中文 (zh-CN)', { exact: true }).check();
    await editor(page).getByRole('button', { name: '预览' }).click();
    await editor(page).locator('.sms-bubble').waitFor();
    expect(await editor(page).locator('.sms-bubble').textContent()).toMatch(/^【Admin Shop】/);
    await noHorizontalScroll(page);
    await page
      .locator('section', { has: page.getByRole('heading', { name: '消息模板' }) })
      .screenshot({ path: join(ARTIFACTS, 'admin-templates-phone-zh.png') });

    await editor(page).getByLabel('English (en)', { exact: true }).check();
    await editor(page).getByRole('button', { name: '恢复内置文本' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: '恢复内置文本' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect
      .poll(() => page.locator('#status p').textContent())
      .toBe('模板 shipment.delivered(en)已恢复内置文本。');
    expect((await call('GET', '/admin/settings')).json.notifications.templates).toEqual({});
    const tpl = await delivered();
    expect(await editor(page).getByLabel('短信内容').inputValue()).toBe(tpl.builtIn.en.sms);
    expect(seen.problems).toEqual([]);
    await context.close();
  });
});
