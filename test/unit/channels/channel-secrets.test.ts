import { describe, expect, it } from 'vitest';
import { CHANNEL_SECRET_ITEMS, channelSecretsOf } from '../../../functions/app/channels.ts';

/** A connector item whose secrets do not open (sealed with another key): reading them throws. */
const unreadable = () => ({
  get secrets(): string[] {
    throw new Error('does not open with this key');
  },
});

describe('channel secrets', () => {
  it('opens each secret only when a channel asks for it, so one that no longer opens stops only its channel', () => {
    const connectors = new Map<string, { secrets: string[] }>([
      [CHANNEL_SECRET_ITEMS.smtp, unreadable()],
      [CHANNEL_SECRET_ITEMS.webhook, { secrets: ['current-secret', 'previous-secret'] }],
    ]);
    const secrets = channelSecretsOf(connectors);
    expect(secrets.webhookSecret).toBe('current-secret');
    expect(secrets.dingtalkSecret).toBeUndefined();
    expect(() => secrets.smtpPassword).toThrow('does not open');
  });
});
