import {
  InternalErrorException,
  InvalidParameterException,
  InvalidParameterValueException,
  OptedOutException,
  PublishCommand,
  SNSClient,
  ThrottledException,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SnsSmsSender } from '../../../functions/adapters/channels/sns.ts';
import { emailMessage, smsMessage } from './fixtures.ts';

/* SNS has no local stand-in: the client is mocked, with the SDK's own exception classes. */
const sns = mockClient(SNSClient);
afterEach(() => sns.reset());

const client = new SNSClient({ region: 'ap-southeast-1' });
const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });

describe('SnsSmsSender', () => {
  it('publishes to the number as Transactional, with the sender id, and returns the SNS message id', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-0001' });

    const result = await new SnsSmsSender(client, { senderId: 'SHOPA' }).send(smsMessage());

    expect(result).toEqual({ ok: true, providerMessageId: 'sns-0001' });
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input).toEqual({
      PhoneNumber: '+8613812345678',
      Message: smsMessage().text,
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'SHOPA' },
      },
    });
  });

  it('sends marketing as Promotional, and no SenderID attribute without one', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-0002' });

    await new SnsSmsSender(client).send(smsMessage({ kind: 'marketing', templateId: 'winback' }));

    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input.MessageAttributes).toEqual({
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Promotional' },
    });
  });

  it('refuses a number that is not E.164 without asking SNS', async () => {
    const result = await new SnsSmsSender(client).send(smsMessage({ to: '13812345678' }));

    // The address itself is wrong: the customer's number is marked (`recipient`).
    expect(result).toEqual({
      ok: false,
      permanent: true,
      recipient: true,
      reason: 'not an E.164 phone number',
    });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it.each([
    [
      'a bad number (InvalidParameter)',
      new InvalidParameterException({
        message: 'Invalid parameter: PhoneNumber Reason: +86000 is not valid to publish to',
        ...meta(400),
      }),
    ],
    [
      'InvalidParameterValue',
      new InvalidParameterValueException({ message: 'Invalid parameter value', ...meta(400) }),
    ],
    ['an opted-out number', new OptedOutException({ message: 'Phone number is opted out', ...meta(400) })],
  ])('answers %s as a permanent failure', async (_name, error) => {
    sns.on(PublishCommand).rejects(error);

    const result = await new SnsSmsSender(client).send(smsMessage());

    expect(result).toEqual({
      ok: false,
      permanent: true,
      reason: expect.stringContaining(error.name),
      // Only an opt-out at the carrier is about the number itself; a bad parameter may be ours.
      ...(error.name === 'OptedOutException' && { recipient: true }),
    });
  });

  it.each([
    ['throttling', new ThrottledException({ message: 'Rate exceeded', ...meta(400) })],
    ['a 5xx', new InternalErrorException({ message: 'Internal error', ...meta(500) })],
    [
      'a network error',
      Object.assign(new Error('getaddrinfo EAI_AGAIN sns.ap-southeast-1.amazonaws.com'), {
        code: 'EAI_AGAIN',
      }),
    ],
  ])('answers %s as a transient failure', async (_name, error) => {
    sns.on(PublishCommand).rejects(error);

    expect(await new SnsSmsSender(client).send(smsMessage())).toMatchObject({ ok: false, permanent: false });
  });

  it('throws for an email message (a wiring mistake), without publishing', async () => {
    await expect(new SnsSmsSender(client).send(emailMessage())).rejects.toThrow(
      /sends sms messages, not email/,
    );
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });
});
