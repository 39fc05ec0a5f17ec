import {
  AccountSuspendedException,
  BadRequestException,
  InternalServiceErrorException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  SESv2Client,
  SendEmailCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SesEmailSender } from '../../../functions/adapters/channels/ses.ts';
import { emailMessage, marketingEmail, smsMessage } from './fixtures.ts';

/*
 * SES has no local stand-in, so the client is mocked: what we ask SES for, and what we make of
 * each of its refusals (the SDK's own exception classes, as the client throws them).
 */
const ses = mockClient(SESv2Client);
afterEach(() => ses.reset());

const sender = (options: Partial<ConstructorParameters<typeof SesEmailSender>[1]> = {}) =>
  new SesEmailSender(new SESv2Client({ region: 'eu-west-1' }), { from: 'service@shop.example', ...options });

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });

describe('SesEmailSender', () => {
  it('sends a simple message: subject, text and html in UTF-8, the notice id header, tags, the SES id back', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: '0102018f-ses-id' });

    const result = await sender({ replyTo: 'help@shop.example', configurationSet: 'aftersale' }).send(
      emailMessage(),
    );

    expect(result).toEqual({ ok: true, providerMessageId: '0102018f-ses-id' });
    const [call] = ses.commandCalls(SendEmailCommand);
    expect(call!.args[0].input).toEqual({
      FromEmailAddress: 'service@shop.example',
      Destination: { ToAddresses: ['chen.li@example.com'] },
      ReplyToAddresses: ['help@shop.example'],
      ConfigurationSetName: 'aftersale',
      Content: {
        Simple: {
          Subject: { Data: '您的包裹已发出', Charset: 'UTF-8' },
          Body: {
            Text: { Data: emailMessage().text, Charset: 'UTF-8' },
            Html: { Data: emailMessage().html, Charset: 'UTF-8' },
          },
          Headers: [{ Name: 'X-Aftersale-Notice-Id', Value: 'n-5f0c2a9e41b7' }],
        },
      },
      EmailTags: [
        { Name: 'shop', Value: 'shop-a' },
        { Name: 'template', Value: 'shipment_shipped' },
      ],
    });
  });

  it('passes List-Unsubscribe and List-Unsubscribe-Post of a marketing email as headers (RFC 8058)', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });

    await sender().send(marketingEmail());

    const headers = ses.commandCalls(SendEmailCommand)[0]!.args[0].input.Content?.Simple?.Headers;
    expect(headers).toEqual([
      { Name: 'List-Unsubscribe', Value: marketingEmail().headers!['List-Unsubscribe'] },
      { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
      { Name: 'X-Aftersale-Notice-Id', Value: 'n-review-77' },
    ]);
  });

  it('encodes a display name SES cannot take raw (RFC 2047) and quotes an ASCII one', async () => {
    ses.on(SendEmailCommand).resolves({});

    await sender({ from: '小店客服 <service@shop.example>' }).send(emailMessage());
    await sender({ from: 'Shop, Inc. <service@shop.example>' }).send(emailMessage());

    const froms = ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input.FromEmailAddress);
    expect(froms).toEqual([
      `=?UTF-8?B?${Buffer.from('小店客服').toString('base64')}?= <service@shop.example>`,
      '"Shop, Inc." <service@shop.example>',
    ]);
  });

  it.each([
    ['MessageRejected', new MessageRejected({ message: 'Email address is not verified.', ...meta(400) })],
    [
      'MailFromDomainNotVerified',
      new MailFromDomainNotVerifiedException({ message: 'MAIL FROM domain not verified', ...meta(400) }),
    ],
    ['AccountSuspended', new AccountSuspendedException({ message: 'account suspended', ...meta(400) })],
    [
      'an invalid address (BadRequest)',
      new BadRequestException({ message: 'Missing final @domain', ...meta(400) }),
    ],
  ])('answers %s as a permanent failure', async (_name, error) => {
    ses.on(SendEmailCommand).rejects(error);

    const result = await sender().send(emailMessage());

    expect(result).toEqual({ ok: false, permanent: true, reason: expect.stringContaining(error.name) });
    expect(result.ok === false && result.reason).toContain(error.message);
  });

  it.each([
    ['throttling', new TooManyRequestsException({ message: 'Maximum sending rate exceeded.', ...meta(429) })],
    ['a 5xx', new InternalServiceErrorException({ message: 'internal failure', ...meta(500) })],
    ['a network error', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a timeout', Object.assign(new Error('Connection timed out after 5000 ms'), { name: 'TimeoutError' })],
  ])('answers %s as a transient failure', async (_name, error) => {
    ses.on(SendEmailCommand).rejects(error);

    const result = await sender().send(emailMessage());

    expect(result).toMatchObject({ ok: false, permanent: false });
  });

  it('throws for a message it should never have been given, and sends nothing', async () => {
    const ses1 = sender();
    await expect(ses1.send(smsMessage())).rejects.toThrow(/sends email messages, not sms/);
    await expect(ses1.send(emailMessage({ subject: undefined }))).rejects.toThrow(/has no subject/);
    await expect(ses1.send(marketingEmail({ headers: {} }))).rejects.toThrow(/no List-Unsubscribe/);
    await expect(
      ses1.send(
        marketingEmail({
          headers: {
            'List-Unsubscribe': '<mailto:u@shop.example>',
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
        }),
      ),
    ).rejects.toThrow(/https URI/);
    await expect(
      ses1.send(emailMessage({ headers: { 'X-Evil': 'a\r\nBcc: everyone@example.com' } })),
    ).rejects.toThrow(/single-line/);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });
});
