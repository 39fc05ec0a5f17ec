import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DingTalkAlertSender,
  dingTalkSign,
  FanOutAlertSender,
  SlackAlertSender,
  WeComAlertSender,
} from '../../../functions/adapters/channels/staff.ts';
import { WebhookChannelSender } from '../../../functions/adapters/channels/webhook.ts';
import { HttpOutboundSender } from '../../../functions/adapters/outbound-http.ts';
import { emailMessage, smsMessage, staffAlert } from './fixtures.ts';
import { deadUrl, startReceiver } from './receiver.ts';

/*
 * The HTTP channels against real local receivers on 127.0.0.1: what each POSTs, byte for byte
 * where it matters (the signature), and what each makes of the answers the providers give.
 */
const SECRET = 'gateway-secret-0123456789';
const NOW = '2026-11-25T08:00:00.000Z';
const clock = { now: () => NOW };

let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());
beforeEach(() => receiver.reset());

const validSignature = (body: Buffer, header: unknown) => {
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`);
  const got = Buffer.from(String(header ?? ''));
  return got.length === expected.length && timingSafeEqual(got, expected);
};

describe('WebhookChannelSender', () => {
  const webhook = (url = `${receiver.base}/notify`) =>
    new WebhookChannelSender({ url, secret: SECRET, clock });

  it('POSTs the message as JSON, signed with our scheme, and answers ok on a 2xx', async () => {
    receiver.answer({ status: 202, body: '{"queued":true}' });

    const result = await webhook().send(
      emailMessage({ headers: { 'List-Unsubscribe': '<https://u.example/x>' } }),
    );

    expect(result).toEqual({ ok: true });
    const [got] = receiver.received;
    expect(got!.method).toBe('POST');
    expect(got!.url).toBe('/notify');
    expect(validSignature(got!.body, got!.headers['x-aftersale-signature'])).toBe(true);
    expect(got!.headers).toMatchObject({
      'content-type': 'application/json',
      'x-aftersale-notice-id': 'n-5f0c2a9e41b7',
      'x-aftersale-timestamp': NOW,
    });
    // Exactly these fields: the email headers (and the kind) are not the gateway's business.
    expect(receiver.json()).toEqual({
      id: 'n-5f0c2a9e41b7',
      shopId: 'shop-a',
      channel: 'email',
      to: 'chen.li@example.com',
      templateId: 'shipment.shipped',
      locale: 'zh-CN',
      subject: '您的包裹已发出',
      text: emailMessage().text,
      html: emailMessage().html,
    });
  });

  it('sends an SMS without subject or html, for a gateway in front of Aliyun or Tencent Cloud SMS', async () => {
    await webhook().send(smsMessage());

    expect(receiver.json()).toEqual({
      id: 'n-sms-2c81',
      shopId: 'shop-a',
      channel: 'sms',
      to: '+8613812345678',
      templateId: 'shipment.out_for_delivery',
      locale: 'zh-CN',
      text: smsMessage().text,
    });
  });

  it.each([
    [408, false],
    [429, false],
    [500, false],
    [503, false],
    [400, true],
    [401, true],
    [404, true],
    [422, true],
    [302, true],
  ])(
    'answers a %i as permanent=%s, with the status and the start of the answer',
    async (status, permanent) => {
      receiver.answer({ status, body: '{"error":"invalid mobile"}' });

      const result = await webhook().send(smsMessage());

      expect(result).toEqual({
        ok: false,
        permanent,
        reason: `answered ${status}: {"error":"invalid mobile"}`,
      });
    },
  );

  it('answers a refused connection and a timeout as transient', async () => {
    const refused = await webhook(await deadUrl()).send(smsMessage());
    expect(refused).toMatchObject({
      ok: false,
      permanent: false,
      reason: expect.stringContaining('ECONNREFUSED'),
    });

    receiver.answer('hang');
    const slow = new WebhookChannelSender({
      url: `${receiver.base}/notify`,
      secret: SECRET,
      clock,
      outbound: new HttpOutboundSender({ timeoutMs: 200 }),
    });
    expect(await slow.send(smsMessage())).toEqual({
      ok: false,
      permanent: false,
      reason: 'no answer within 200 ms',
    });
  });
});

describe('WeComAlertSender', () => {
  const wecom = () => new WeComAlertSender({ url: `${receiver.base}/cgi-bin/webhook/send?key=k-1` });

  it('POSTs a markdown message: the title in bold, the text, the case link', async () => {
    receiver.answer({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' });

    const result = await wecom().send(staffAlert());

    expect(result).toEqual({ ok: true });
    expect(receiver.received[0]!.url).toBe('/cgi-bin/webhook/send?key=k-1');
    expect(receiver.json()).toEqual({
      msgtype: 'markdown',
      markdown: {
        content:
          '**售后超时: RMA-1042**\n退货申请已等待 26 小时,超过 24 小时的处理时限。\n' +
          '[https://admin.shop.example/cases/c-1042](https://admin.shop.example/cases/c-1042)',
      },
    });
  });

  it('keeps the content within 4096 bytes, the link intact', async () => {
    receiver.answer({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' });

    await wecom().send(staffAlert({ text: '超时'.repeat(2000) }));

    const { content } = (receiver.json() as { markdown: { content: string } }).markdown;
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(4096);
    expect(content).toMatch(/…\n\[https:\/\/admin\.shop\.example\/cases\/c-1042\]\(.+\)$/);
  });

  it.each([
    ['{"errcode":45009,"errmsg":"api freq out of limit"}', false],
    ['{"errcode":-1,"errmsg":"system busy"}', false],
    ['{"errcode":93000,"errmsg":"invalid webhook url"}', true],
    ['{"errcode":40008,"errmsg":"invalid message type"}', true],
  ])('answers %s as permanent=%s', async (body, permanent) => {
    receiver.answer({ status: 200, body });

    const result = await wecom().send(staffAlert());

    const { errcode, errmsg } = JSON.parse(body);
    expect(result).toEqual({ ok: false, permanent, reason: `wecom errcode ${errcode}: ${errmsg}` });
  });

  it('answers an HTTP 502 and a 200 that is not the bot speaking as transient', async () => {
    receiver.answer(
      { status: 502, body: 'Bad Gateway' },
      { status: 200, body: '<html>', contentType: 'text/html' },
    );

    expect(await wecom().send(staffAlert())).toMatchObject({ ok: false, permanent: false });
    expect(await wecom().send(staffAlert())).toMatchObject({ ok: false, permanent: false });
  });
});

describe('DingTalkAlertSender', () => {
  const url = () => `${receiver.base}/robot/send?access_token=t-1`;

  it('POSTs markdown with a title and a text, signed with timestamp and sign when a secret is set', async () => {
    receiver.answer({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' });
    const secret = 'SEC0123456789abcdef';

    const result = await new DingTalkAlertSender({ url: url(), secret, clock }).send(staffAlert());

    expect(result).toEqual({ ok: true });
    const query = new URL(receiver.received[0]!.url, receiver.base).searchParams;
    expect(query.get('access_token')).toBe('t-1');
    expect(query.get('timestamp')).toBe(String(Date.parse(NOW)));
    // As DingTalk checks it: base64 HMAC-SHA256 keyed with the secret over "timestamp\nsecret".
    const expected = createHmac('sha256', secret)
      .update(`${Date.parse(NOW)}\n${secret}`)
      .digest('base64');
    expect(query.get('sign')).toBe(expected);
    expect(receiver.received[0]!.url).toContain(`sign=${encodeURIComponent(expected)}`);
    expect(receiver.json()).toEqual({
      msgtype: 'markdown',
      markdown: {
        title: '售后超时: RMA-1042',
        text:
          '#### 售后超时: RMA-1042\n\n退货申请已等待 26 小时,超过 24 小时的处理时限。\n\n' +
          '[https://admin.shop.example/cases/c-1042](https://admin.shop.example/cases/c-1042)',
      },
    });
  });

  it('adds nothing to the URL without a secret, and no link without a url', async () => {
    receiver.answer({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' });

    await new DingTalkAlertSender({ url: url(), clock }).send(staffAlert({ url: undefined }));

    expect(receiver.received[0]!.url).toBe('/robot/send?access_token=t-1');
    expect(receiver.json()).toMatchObject({
      markdown: { text: '#### 售后超时: RMA-1042\n\n退货申请已等待 26 小时,超过 24 小时的处理时限。' },
    });
  });

  it.each([
    ['{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}', false],
    ['{"errcode":310000,"errmsg":"sign not match"}', true],
    ['{"errcode":300001,"errmsg":"token is not exist"}', true],
  ])('answers %s as permanent=%s', async (body, permanent) => {
    receiver.answer({ status: 200, body });

    const result = await new DingTalkAlertSender({ url: url(), clock }).send(staffAlert());

    expect(result).toMatchObject({
      ok: false,
      permanent,
      reason: expect.stringMatching(/^dingtalk errcode \d+: /),
    });
  });

  it('signs as the Python sample of the DingTalk documentation does (hmac, base64, quote_plus)', () => {
    // python3: quote_plus(b64encode(hmac.new(b'SECabc', b'1700000000000\nSECabc', sha256).digest()))
    expect(dingTalkSign('SECabc', '1700000000000')).toBe('jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM=');
    const url = new URL('https://oapi.dingtalk.com/robot/send?access_token=t');
    url.searchParams.set('sign', dingTalkSign('SECabc', '1700000000000'));
    expect(url.search).toContain('sign=jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM%3D');
  });
});

describe('SlackAlertSender', () => {
  const slack = () => new SlackAlertSender({ url: `${receiver.base}/services/T0/B0/x` });

  it('POSTs {"text"} in mrkdwn: the title in bold, the text escaped, the link last', async () => {
    receiver.answer({ status: 200, body: 'ok', contentType: 'text/plain' });

    const result = await slack().send(
      staffAlert({ title: 'SLA breach: RMA-1042', text: 'Waiting 26 h <@here> & counting' }),
    );

    expect(result).toEqual({ ok: true });
    expect(receiver.json()).toEqual({
      text: '*SLA breach: RMA-1042*\nWaiting 26 h &lt;@here&gt; &amp; counting\n<https://admin.shop.example/cases/c-1042>',
    });
  });

  it.each([
    [400, 'invalid_payload', true],
    [403, 'action_prohibited', true],
    [404, 'channel_not_found', true],
    [410, 'channel_is_archived', true],
    [429, 'rate_limited', false],
    [500, 'rollup_error', false],
  ])('answers %i %s as permanent=%s', async (status, body, permanent) => {
    receiver.answer({ status, body, contentType: 'text/plain' });

    expect(await slack().send(staffAlert())).toEqual({
      ok: false,
      permanent,
      reason: `slack answered ${status}: ${body}`,
    });
  });
});

describe('FanOutAlertSender', () => {
  // A bot of its own that always takes the message, so the order of the parallel POSTs is moot.
  let wecomBot: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    wecomBot = await startReceiver({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' });
  });
  afterAll(() => wecomBot.close());
  const wecom = () => ({
    kind: 'wecom' as const,
    sender: new WeComAlertSender({ url: `${wecomBot.base}/w` }),
  });

  it('posts to every group and is ok when every group took it', async () => {
    const fanOut = new FanOutAlertSender([
      wecom(),
      { kind: 'slack', sender: new SlackAlertSender({ url: `${receiver.base}/s` }) },
    ]);

    expect(await fanOut.send(staffAlert())).toEqual({ ok: true });
    expect(wecomBot.received).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);
  });

  it('is transient, saying which group failed, when one is unreachable', async () => {
    const fanOut = new FanOutAlertSender([
      wecom(),
      { kind: 'slack', sender: new SlackAlertSender({ url: await deadUrl() }) },
    ]);

    expect(await fanOut.send(staffAlert())).toMatchObject({
      ok: false,
      permanent: false,
      reason: expect.stringMatching(/^1 of 2 groups took it; slack: /),
    });
  });

  it('is permanent only when no failed group is worth another try', async () => {
    const fanOut = new FanOutAlertSender([
      { kind: 'wecom', sender: new WeComAlertSender({ url: `${receiver.base}/wecom` }) },
    ]);
    receiver.answer({ status: 200, body: '{"errcode":93000,"errmsg":"invalid webhook url"}' });

    expect(await fanOut.send(staffAlert())).toEqual({
      ok: false,
      permanent: true,
      reason: 'wecom: wecom errcode 93000: invalid webhook url',
    });
  });
});
