import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signers } from '../../infra/local/signers.ts';
import { SECRET } from './common.ts';

const root = join(import.meta.dirname, '..', '..');

export interface ProviderCase {
  provider: string;
  fixture: Buffer;
  topic?: string;
  /** The request headers that carry the signature (dropped, duplicated, forged by the probes). */
  signatureHeaders: string[];
}

export function fixture(provider: string, file?: string): Buffer {
  const dir = join(root, 'events', provider);
  const name = file ?? readdirSync(dir).find((f) => f.endsWith('.json'));
  return readFileSync(join(dir, name!));
}

export const PROVIDERS: ProviderCase[] = [
  {
    provider: 'generic',
    fixture: fixture('generic', 'order-placed.json'),
    signatureHeaders: ['x-aftersale-signature'],
  },
  {
    provider: 'taobao',
    fixture: fixture('taobao', 'refund-created.json'),
    signatureHeaders: ['x-aftersale-signature'],
  },
  {
    provider: 'shopify',
    fixture: fixture('shopify', 'orders-create.json'),
    topic: 'orders/create',
    signatureHeaders: ['x-shopify-hmac-sha256'],
  },
  {
    provider: 'woocommerce',
    fixture: fixture('woocommerce', 'order-created.json'),
    topic: 'order.created',
    signatureHeaders: ['x-wc-webhook-signature'],
  },
  { provider: 'doudian', fixture: fixture('doudian', 'trade-create.json'), signatureHeaders: ['event-sign'] },
  { provider: 'aftership', fixture: fixture('aftership'), signatureHeaders: ['aftership-hmac-sha256'] },
  { provider: '17track', fixture: fixture('17track'), signatureHeaders: ['sign'] },
  {
    provider: 'kuaidi100',
    fixture: fixture('kuaidi100', 'param-polling-in-transit.json'),
    signatureHeaders: [],
  },
  {
    provider: 'easypost',
    fixture: fixture('easypost', 'tracker-updated.json'),
    signatureHeaders: ['x-hmac-signature'],
  },
];

let eventSeq = 0;
export function signed(p: ProviderCase, body: Buffer, secret = SECRET) {
  return signers[p.provider]!(body, {
    secret,
    eventId: `fuzz-${p.provider}-${eventSeq++}`,
    ...(p.topic && { topic: p.topic }),
  });
}
