import type { SNSEvent } from 'aws-lambda';
import { recordMailFeedback } from '../app/mail-feedback.ts';
import type { AppDeps } from '../app/ports.ts';

/** SNS (SES bounces and complaints) → contact reports on the inbound queue. A failure is retried by Lambda. */
export function mailFeedbackHandler(deps: Pick<AppDeps, 'reads' | 'queues' | 'clock'>) {
  return async (event: SNSEvent): Promise<{ reported: number }> => {
    let reported = 0;
    for (const record of event.Records) reported += await recordMailFeedback(deps, record.Sns.Message);
    return { reported };
  };
}
