import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { signers } from '../../infra/local/signers.ts';
import { signLocalToken } from '../../infra/local/tokens.ts';

/*
 * Real headless Chromium (Debian's `chromium` package, installed by .ci/run when missing; never a
 * downloaded browser) driven by playwright-core, against a local runtime started for the test.
 */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

/** Chromium as this sandbox needs it: no sandbox as root, no background network, a fresh profile. */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface Harness {
  runtime: LocalRuntime;
  browser: Browser;
  url: string;
  /** A staff token of the shop (HS256 with the runtime's local key). */
  token(shopId: string, role: 'staff' | 'manager'): Promise<string>;
  /** A new browser context: a phone (390×844) or a desktop (1280×900), in a language. */
  context(options?: { phone?: boolean; locale?: 'zh-CN' | 'en' }): Promise<BrowserContext>;
  /** Posts a webhook signed as the provider signs it. */
  webhook(
    provider: string,
    shopId: string,
    body: Buffer,
    options: { secret: string; topic?: string; eventId?: string },
  ): Promise<number>;
  screenshot(page: Page, name: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'aftersale-browser-'));
  const runtime = await startLocalRuntime({
    dataDir,
    inMemory: true,
    port: 0,
    retryDelaySeconds: 1,
    scheduleIntervalMs: 1000,
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  return {
    runtime,
    browser,
    url: runtime.url,
    token: (shopId, role) => signLocalToken(runtime.jwtKey, { shopId, role }),
    context: ({ phone = false, locale = 'en' } = {}) =>
      browser.newContext({
        locale,
        viewport: phone ? { width: 390, height: 844 } : { width: 1280, height: 900 },
        ...(phone && { isMobile: true, hasTouch: true, deviceScaleFactor: 2 }),
      }),
    webhook: async (provider, shopId, body, options) => {
      const signed = signers[provider]!(body, options);
      const res = await fetch(`${runtime.url}/webhooks/${provider}/${shopId}`, {
        method: 'POST',
        body: signed.body,
        headers: signed.headers,
      });
      return res.status;
    },
    screenshot: async (page, name) => {
      const path = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    stop: async () => {
      await browser.close().catch(() => undefined);
      await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
