import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { channelFor } from '../../../functions/adapters/channels/index.ts';
import { maskRecipient, type OutboxEntry, type OutboxStore } from '../../../functions/app/channels.ts';
import type { OutboundRequest, OutboundSender } from '../../../functions/app/ports.ts';
import { ChannelSettings } from '../../../schemas/channels.ts';
import { emailMessage, smsMessage, staffAlert } from './fixtures.ts';

const ses = mockClient(SESv2Client);
afterEach(() => ses.reset());

const clock = { now: () => '2026-11-25T08:00:00.000Z' };

function memoryOutbox(): OutboxStore & { entries: OutboxEntry[] } {
  const entries: OutboxEntry[] = [];
  return {
    entries,
    put: async (entry) => {
      if (entries.some((e) => e.shopId === entry.shopId && e.id === entry.id)) return false;
      entries.push(entry);
      return true;
    },
    list: async ({ shopId, limit }) =>
      entries
        .filter((e) => !shopId || e.shopId === shopId)
        .slice(-limit)
        .reverse(),
  };
}

/** Records the webhook channel's POSTs instead of making them. */
function recordingOutbound(): OutboundSender & { requests: OutboundRequest[] } {
  const requests: OutboundRequest[] = [];
  return {
    requests,
    post: async (request) => {
      requests.push(request);
      return { kind: 'answered', status: 200, excerpt: '' };
    },
  };
}

describe('ChannelSettings', () => {
  it('takes a full set of channels, and the rest of a shop’s notification settings untouched by it', () => {
    const parsed = ChannelSettings.parse({
      email: {
        provider: 'smtp',
        from: '小店 <service@shop.example>',
        replyTo: 'help@shop.example',
        smtp: { host: 'smtp.exmail.qq.com', port: 465, secure: true, user: 'service@shop.example' },
      },
      sms: { provider: 'webhook' },
      webhook: { url: 'https://gw.shop.example/sms' },
      staffAlerts: [
        { kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' },
        { kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=t' },
      ],
      quietHours: { start: '21:00', end: '08:00' },
    });
    expect(parsed.email?.provider).toBe('smtp');
    expect(parsed.staffAlerts).toHaveLength(2);
  });

  it.each([
    [{ email: { provider: 'ses' } }, ['email', 'from'], 'ses needs a From address'],
    [
      { email: { provider: 'smtp', from: 's@shop.example' } },
      ['email', 'smtp'],
      'smtp needs a host and a port',
    ],
    [{ sms: { provider: 'webhook' } }, ['webhook'], 'SMS through the webhook needs webhook.url'],
    [{ webhook: { url: 'http://gw.shop.example/sms' } }, ['webhook', 'url'], 'must be https'],
    [{ email: { provider: 'ses', from: 'not an address' } }, ['email', 'from'], 'must be an address'],
    [{ sms: { provider: 'sns', senderId: 'TOO-LONG-SENDER' } }, ['sms', 'senderId'], '1 to 11 letters'],
    [{ staffAlerts: [{ kind: 'teams', url: 'https://x.example' }] }, ['staffAlerts', 0, 'kind'], ''],
  ])('refuses %j at %j', (settings, path, message) => {
    const result = ChannelSettings.safeParse(settings);
    expect(result.success).toBe(false);
    const issue = result.error!.issues.find((i) => JSON.stringify(i.path) === JSON.stringify(path));
    expect(issue?.message).toContain(message);
  });

  it('allows plain http to this machine, for a receiver under test', () => {
    expect(ChannelSettings.safeParse({ webhook: { url: 'http://127.0.0.1:8080/sms' } }).success).toBe(true);
  });
});

describe('channelFor', () => {
  it('sends email, SMS and staff alerts to the outbox when the shop names no provider', async () => {
    const outbox = memoryOutbox();
    const channels = channelFor({}, { clock, outbox });

    expect(channels.providers).toEqual({
      email: 'outbox',
      sms: 'outbox',
      webhook: undefined,
      staff: ['outbox'],
    });
    expect(await channels.send(emailMessage())).toEqual({
      ok: true,
      providerMessageId: 'outbox:n-5f0c2a9e41b7',
    });
    expect(await channels.send(smsMessage())).toEqual({ ok: true, providerMessageId: 'outbox:n-sms-2c81' });
    expect(await channels.staff.send(staffAlert())).toEqual({
      ok: true,
      providerMessageId: 'outbox:a-sla-19',
    });
    expect(outbox.entries.map((e) => [e.channel, e.id, e.createdAt])).toEqual([
      ['email', 'n-5f0c2a9e41b7', clock.now()],
      ['sms', 'n-sms-2c81', clock.now()],
      ['staff', 'a-sla-19', clock.now()],
    ]);
    expect(outbox.entries[2]).toMatchObject({ subject: '售后超时: RMA-1042', to: 'staff' });
  });

  it('answers a permanent failure for the webhook channel of a shop without a webhook', async () => {
    const channels = channelFor({}, { clock, outbox: memoryOutbox() });

    expect(await channels.send({ ...smsMessage(), channel: 'webhook', to: 'cust-1' })).toEqual({
      ok: false,
      permanent: true,
      reason: 'the shop has no webhook channel set up',
    });
  });

  it('sends email through SES with the shop’s From and configuration set', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const channels = channelFor(
      { email: { provider: 'ses', from: 'service@shop.example', configurationSet: 'shop-a' } },
      { clock, outbox: memoryOutbox(), ses: new SESv2Client({ region: 'eu-west-1' }) },
    );

    expect(channels.providers.email).toBe('ses');
    expect(await channels.send(emailMessage())).toEqual({ ok: true, providerMessageId: 'ses-1' });
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input).toMatchObject({
      FromEmailAddress: 'service@shop.example',
      ConfigurationSetName: 'shop-a',
    });
  });

  it('sends SMS through the shop’s signed webhook when it says so', async () => {
    const outbound = recordingOutbound();
    const channels = channelFor(
      { sms: { provider: 'webhook' }, webhook: { url: 'https://gw.shop.example/sms' } },
      { clock, outbox: memoryOutbox(), outbound },
      { webhookSecret: 'gateway-secret-0123456789' },
    );

    expect(channels.providers).toMatchObject({ sms: 'webhook', webhook: 'webhook' });
    expect(await channels.send(smsMessage())).toEqual({ ok: true });
    expect(await channels.send({ ...smsMessage({ id: 'n-2' }), channel: 'webhook', to: 'cust-1' })).toEqual({
      ok: true,
    });
    expect(outbound.requests.map((r) => [r.url, r.headers['x-aftersale-notice-id']])).toEqual([
      ['https://gw.shop.example/sms', 'n-sms-2c81'],
      ['https://gw.shop.example/sms', 'n-2'],
    ]);
  });

  it.each([
    [{ email: { provider: 'ses' as const } }, {}, 'email', 'email through ses has no From address'],
    [
      { email: { provider: 'smtp' as const, from: 's@shop.example' } },
      {},
      'email',
      'email through smtp has no server (host, port)',
    ],
    [
      {
        email: {
          provider: 'smtp' as const,
          from: 's@shop.example',
          smtp: { host: 'smtp.shop.example', port: 587, secure: false, user: 's@shop.example' },
        },
      },
      {},
      'email',
      'email through smtp: no password for s@shop.example',
    ],
    [
      { sms: { provider: 'webhook' as const } },
      {},
      'sms',
      'SMS through the webhook, but no webhook URL is set',
    ],
    [
      { sms: { provider: 'webhook' as const }, webhook: { url: 'https://gw.shop.example/sms' } },
      {},
      'sms',
      'the webhook channel has no secret to sign with',
    ],
  ])('answers what is missing, permanently: %j', async (settings, secrets, channel, reason) => {
    const channels = channelFor(
      settings,
      { clock, outbox: memoryOutbox(), ses: new SESv2Client({}) },
      secrets,
    );
    const message = channel === 'email' ? emailMessage() : smsMessage();

    expect(await channels.send(message)).toEqual({ ok: false, permanent: true, reason });
  });

  it('throws when the function was not given the client a shop’s provider needs (a wiring mistake)', () => {
    expect(() => channelFor({}, { clock })).toThrow(/email through the outbox needs clients\.outbox/);
    expect(() =>
      channelFor({ email: { provider: 'ses', from: 's@shop.example' } }, { clock, outbox: memoryOutbox() }),
    ).toThrow(/email through SES needs clients\.ses/);
    expect(() => channelFor({ sms: { provider: 'sns' } }, { clock, outbox: memoryOutbox() })).toThrow(
      /SMS through SNS needs clients\.sns/,
    );
    expect(() =>
      channelFor({ sms: { provider: 'sns' } }, { clock, outbox: memoryOutbox(), sns: new SNSClient({}) }),
    ).not.toThrow();
  });

  it('fans staff alerts out to every chat group the shop lists', () => {
    const channels = channelFor(
      {
        staffAlerts: [
          { kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' },
          { kind: 'slack', url: 'https://hooks.slack.com/services/T/B/x' },
        ],
      },
      { clock, outbox: memoryOutbox() },
    );
    expect(channels.providers.staff).toEqual(['wecom', 'slack']);
  });
});

describe('maskRecipient', () => {
  it('masks addresses and numbers, and leaves a customer id or `staff` as it is', () => {
    expect(maskRecipient('email', 'chen.li@example.com')).toBe('c***@example.com');
    expect(maskRecipient('sms', '+8613812345678')).toBe('+86138****5678');
    expect(maskRecipient('webhook', 'cust-1')).toBe('cust-1');
    expect(maskRecipient('webhook', '+8613812345678')).toBe('+86138****5678');
    expect(maskRecipient('staff', 'staff')).toBe('staff');
  });
});
