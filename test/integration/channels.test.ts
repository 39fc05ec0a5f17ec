import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { channelFor } from '../../functions/adapters/channels/index.ts';
import { DynamoOutbox, outboxKeys } from '../../functions/adapters/channels/outbox.ts';
import { type SmtpEmailOptions, SmtpEmailSender } from '../../functions/adapters/channels/smtp.ts';
import type { OutboxEntry } from '../../functions/app/channels.ts';
import { decodeWords, parseMime, startSmtp } from '../support/smtp.ts';
import { emailMessage, marketingEmail, smsMessage, staffAlert } from '../unit/channels/fixtures.ts';
import { freshShop, useServices } from './env.ts';

const { services, db } = useServices();
const root = resolve(import.meta.dirname, '..', '..');

/*
 * The SMTP channel against a real SMTP server in this process (smtp-server): what arrives, and
 * what the sender makes of the server's refusals. The outbox on DynamoDB Local, and `outbox tail`
 * as a user runs it.
 */

const smtp = startSmtp();
let port: number;
beforeAll(async () => {
  port = await smtp.listen();
});
afterAll(() => smtp.close());
beforeEach(() => {
  smtp.delivered.length = 0;
});

const smtpSender = (options: Partial<SmtpEmailOptions> = {}) =>
  new SmtpEmailSender({
    host: '127.0.0.1',
    port,
    secure: false,
    user: 'service@shop.example',
    password: 'smtp-password',
    from: 'Kettle Shop <service@shop.example>',
    replyTo: 'help@shop.example',
    ...options,
  });

describe('SmtpEmailSender', () => {
  it('delivers one multipart message: text and html, List-Unsubscribe, the notice id as Message-ID', async () => {
    const message = marketingEmail();

    const result = await smtpSender().send(message);

    expect(result).toEqual({ ok: true, providerMessageId: '<n-review-77@shop.example>' });
    expect(smtp.delivered).toHaveLength(1);
    const [got] = smtp.delivered;
    expect(got).toMatchObject({
      from: 'service@shop.example',
      to: ['chen.li@example.com'],
      user: 'service@shop.example',
    });
    const mail = parseMime(got!.raw);
    expect(mail.headers.get('content-type')).toMatch(/^multipart\/alternative;/);
    expect(mail.headers.get('from')).toBe('Kettle Shop <service@shop.example>');
    expect(mail.headers.get('to')).toBe('chen.li@example.com');
    expect(mail.headers.get('reply-to')).toBe('help@shop.example');
    expect(mail.headers.get('subject')).toBe('How is your new kettle?');
    expect(mail.headers.get('message-id')).toBe('<n-review-77@shop.example>');
    expect(mail.headers.get('x-aftersale-notice-id')).toBe('n-review-77');
    expect(mail.headers.get('list-unsubscribe')).toBe(message.headers!['List-Unsubscribe']);
    expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.parts).toEqual([
      { type: 'text/plain', text: 'Tell us how it is going.' },
      { type: 'text/html', text: '<p>Tell us how it is going.</p>' },
    ]);
  });

  it('keeps a Chinese subject and body intact through the encodings', async () => {
    await smtpSender().send(emailMessage());

    const mail = parseMime(smtp.delivered[0]!.raw);
    expect(mail.headers.get('subject')).toMatch(/^=\?UTF-8\?/);
    expect(decodeWords(mail.headers.get('subject')!)).toBe('您的包裹已发出');
    expect(mail.parts.map((p) => p.text)).toEqual([emailMessage().text, emailMessage().html]);
  });

  it.each([
    ['gone@example.com', 550],
    ['not-allowed@example.com', 553],
  ])('answers a %s refused with %i at RCPT as a permanent failure of the address', async (to, code) => {
    const result = await smtpSender().send(emailMessage({ to }));

    // The mailbox itself is refused: the customer's address is marked (`recipient`).
    expect(result).toMatchObject({ ok: false, permanent: true, recipient: true });
    expect(result.ok === false && result.reason).toMatch(new RegExp(`^EENVELOPE at RCPT TO: ${code} `));
    expect(smtp.delivered).toEqual([]);
  });

  it.each([
    ['busy@example.com', 451],
    ['full@example.com', 452],
  ])('answers a %s deferred with %i as a transient failure', async (to, code) => {
    const result = await smtpSender().send(emailMessage({ to }));

    expect(result).toMatchObject({
      ok: false,
      permanent: false,
      reason: expect.stringContaining(`${code} `),
    });
    expect(smtp.delivered).toEqual([]);
  });

  it('answers bad credentials (535) as permanent: no retry fixes a password', async () => {
    const result = await smtpSender({ password: 'wrong' }).send(emailMessage());

    expect(result).toMatchObject({
      ok: false,
      permanent: true,
      reason: expect.stringMatching(/^EAUTH.*535/),
    });
  });

  describe('without a server to talk to', () => {
    let silent: Server;
    let silentPort: number;
    beforeAll(async () => {
      // Accepts the connection and never greets: a server hanging at the greeting.
      silent = createTcpServer(() => undefined);
      await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
      silentPort = (silent.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((done) => silent.close(() => done())));

    it('answers a refused connection as transient', async () => {
      const closed = createTcpServer();
      await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
      const closedPort = (closed.address() as AddressInfo).port;
      await new Promise<void>((done) => closed.close(() => done()));

      const result = await smtpSender({ port: closedPort }).send(emailMessage());

      expect(result).toMatchObject({
        ok: false,
        permanent: false,
        reason: expect.stringMatching(/ECONNREFUSED|ESOCKET|ECONNECTION/),
      });
    });

    it('answers a server that never greets as transient, after the deadline', async () => {
      const started = Date.now();
      const result = await smtpSender({ port: silentPort, timeoutMs: 300 }).send(emailMessage());

      expect(result).toMatchObject({
        ok: false,
        permanent: false,
        reason: expect.stringMatching(/^ETIMEDOUT/),
      });
      expect(Date.now() - started).toBeLessThan(5000);
    });
  });
});

describe('DynamoOutbox', () => {
  const outbox = new DynamoOutbox(db);

  it('lists a shop’s messages newest first, and each once however often it is put', async () => {
    const shopId = await freshShop();
    const first = entry(shopId, 'n-1', '2026-11-25T08:00:00.000Z');
    const second = entry(shopId, 'n-2', '2026-11-25T09:00:00.000Z');

    expect(await outbox.put(first)).toBe(true);
    expect(await outbox.put(second)).toBe(true);
    // A redelivered notice, put again later: nothing changes.
    expect(await outbox.put({ ...first, createdAt: '2026-11-25T10:00:00.000Z', text: 'again' })).toBe(false);

    expect(await outbox.list({ shopId, limit: 10 })).toEqual([second, first]);
    expect(await outbox.list({ shopId, limit: 1 })).toEqual([second]);
  });

  it('lists every shop’s messages together without a shop, and keeps them 30 days', async () => {
    const [a, b] = [await freshShop(), await freshShop()];
    // Far ahead, so these are the newest in the one partition every test file shares.
    await outbox.put(entry(a, 'n-a', '2099-01-01T00:00:01.000Z'));
    await outbox.put(entry(b, 'n-b', '2099-01-01T00:00:02.000Z'));

    const all = await outbox.list({ limit: 100 });
    const ours = all.filter((e) => e.shopId === a || e.shopId === b).map((e) => [e.shopId, e.id]);
    expect(ours).toEqual([
      [b, 'n-b'],
      [a, 'n-a'],
    ]);

    const stored = await db.client.send(
      new GetCommand({ TableName: db.table, Key: outboxKeys.shop(a, '2099-01-01T00:00:01.000Z', 'n-a') }),
    );
    expect(stored.Item?.expiresAt).toBe(Date.parse('2099-01-01T00:00:01.000Z') / 1000 + 30 * 86_400);
  });

  it('is where a shop without providers sends, through channelFor', async () => {
    const shopId = await freshShop();
    let tick = 0;
    const clock = { now: () => new Date(Date.UTC(2026, 10, 25, 8, 0, tick++)).toISOString() };
    const channels = channelFor(
      { email: { provider: 'outbox', from: 'service@shop.example' } },
      { clock, outbox },
    );

    await channels.send(emailMessage({ shopId }));
    await channels.send(smsMessage({ shopId }));
    await channels.staff.send(staffAlert({ shopId }));

    const listed = await outbox.list({ shopId, limit: 10 });
    expect(listed.map((e) => [e.channel, e.id, e.to])).toEqual([
      ['staff', 'a-sla-19', 'staff'],
      ['sms', 'n-sms-2c81', '+8613812345678'],
      ['email', 'n-5f0c2a9e41b7', 'chen.li@example.com'],
    ]);
    expect(listed[2]).toMatchObject({
      from: 'service@shop.example',
      subject: '您的包裹已发出',
      html: emailMessage().html,
    });
  });
});

describe('aftersale outbox tail', () => {
  let dataDir: string;
  beforeAll(() => {
    // The CLI finds "the running stack" through runtime.json: here, this run's DynamoDB Local.
    dataDir = mkdtempSync(join(tmpdir(), 'aftersale-outbox-'));
    writeFileSync(
      join(dataDir, 'runtime.json'),
      JSON.stringify({
        pid: process.pid,
        url: 'http://127.0.0.1:0',
        dynamoEndpoint: services.dynamoEndpoint,
        sqsEndpoint: services.sqsEndpoint,
        tableName: services.tableName,
        queueUrls: services.queueUrls,
        dlqUrls: services.dlqUrls,
      }),
    );
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const cli = async (...args: string[]) => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(root, 'bin', 'aftersale.mjs'), ...args],
      {
        env: { ...process.env, AFTERSALE_DATA_DIR: dataDir },
      },
    );
    return stdout;
  };

  it('prints the shop’s messages newest last: recipient masked, subject, text', async () => {
    const shopId = await freshShop();
    const outbox = new DynamoOutbox(db);
    await outbox.put({
      ...entry(shopId, 'n-old', '2026-11-25T08:00:00.000Z'),
      subject: '您的包裹已发出',
      text: '第一封',
    });
    await outbox.put({
      ...entry(shopId, 'n-new', '2026-11-25T09:00:00.000Z'),
      channel: 'sms',
      to: '+8613812345678',
      subject: undefined,
      html: undefined,
      text: '【小店】您的包裹今天派送',
    });

    const out = await cli('outbox', 'tail', '--shop', shopId, '--limit', '20');

    expect(out).not.toContain('chen.li@example.com');
    expect(out).not.toContain('+8613812345678');
    const lines = out.trimEnd().split('\n');
    expect(lines).toEqual([
      `── 2026-11-25T08:00:00.000Z  ${shopId}  email to c***@example.com  shipment.shipped (zh-CN)  n-old`,
      'Subject: 您的包裹已发出',
      '第一封',
      '',
      `── 2026-11-25T09:00:00.000Z  ${shopId}  sms to +86138****5678  shipment.shipped (zh-CN)  n-new`,
      '【小店】您的包裹今天派送',
    ]);
    expect(await cli('outbox', 'tail', '--shop', shopId, '--limit', '1')).toContain('n-new');
    expect(await cli('outbox', 'tail', '--shop', shopId, '--limit', '1')).not.toContain('n-old');
  });

  it('says so when a shop’s outbox is empty', async () => {
    const shopId = await freshShop();
    expect(await cli('outbox', 'tail', '--shop', shopId)).toBe(`the outbox of ${shopId} is empty\n`);
  });
});

function entry(shopId: string, id: string, createdAt: string): OutboxEntry {
  return {
    id,
    shopId,
    channel: 'email',
    to: 'chen.li@example.com',
    templateId: 'shipment.shipped',
    locale: 'zh-CN',
    subject: `subject ${id}`,
    text: `text ${id}`,
    html: `<p>${id}</p>`,
    createdAt,
  };
}
