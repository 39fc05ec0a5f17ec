import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { OutgoingMessage, SendResult } from '../../../schemas/notifications.ts';
import type { ChannelSender } from '../../app/channels.ts';
import { assertChannel, classifyAwsError, refusedRecipient } from './results.ts';

export interface SnsSmsOptions {
  /** An alphanumeric sender id, where the destination country supports one. */
  senderId?: string | undefined;
}

/**
 * Refusals no retry changes: a number SNS will not take (InvalidParameter, InvalidParameterValue,
 * Validation), a number that opted out of SMS (OptedOut: publishing again is refused again), an
 * account not allowed to send (AuthorizationError) or still in the sandbox with an unverified
 * number (Verification). Throttled, InternalError, KMS throttling and 5xx are transient.
 */
const PERMANENT = new Set([
  'InvalidParameterException',
  'InvalidParameterValueException',
  'ValidationException',
  'OptedOutException',
  'AuthorizationErrorException',
  'VerificationException',
  'EndpointDisabledException',
]);

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * SMS through Amazon SNS (Publish to a phone number). Marketing goes as `Promotional` (cheaper,
 * may be held back at night by carriers), everything else as `Transactional`.
 */
export class SnsSmsSender implements ChannelSender {
  constructor(
    private readonly client: SNSClient,
    private readonly options: SnsSmsOptions = {},
  ) {}

  async send(message: OutgoingMessage): Promise<SendResult> {
    assertChannel(message, 'sms', 'SnsSmsSender');
    // A stored number that is not E.164 is bad data, refused here without asking SNS.
    if (!E164.test(message.to)) return refusedRecipient('not an E.164 phone number');
    const command = new PublishCommand({
      PhoneNumber: message.to,
      Message: message.text,
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': {
          DataType: 'String',
          StringValue: message.kind === 'marketing' ? 'Promotional' : 'Transactional',
        },
        ...(this.options.senderId && {
          'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: this.options.senderId },
        }),
      },
    });
    try {
      const sent = await this.client.send(command);
      return { ok: true, ...(sent.MessageId && { providerMessageId: sent.MessageId }) };
    } catch (err) {
      const result = classifyAwsError(err, PERMANENT);
      // The number opted out of SMS at the carrier (回TD / STOP): the customer's number is marked.
      return !result.ok && (err as { name?: string }).name === 'OptedOutException'
        ? { ...result, recipient: true }
        : result;
    }
  }
}
