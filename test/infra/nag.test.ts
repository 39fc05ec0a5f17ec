import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { applyNag } from '../../infra/nag.ts';
import { AftersaleStack } from '../../infra/stack.ts';
import { configWith, stackProps, withApp } from './helpers.ts';

// cdk-nag's AwsSolutions and Serverless packs over the stack, as `npm run synth` runs them: a
// finding nobody acknowledged with a reason interrupts the synth.

function nagged(build: (app: Parameters<Parameters<typeof withApp>[1]>[0]) => void): string | undefined {
  return withApp(false, (app) => {
    build(app);
    applyNag(app);
    try {
      app.synth();
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  });
}

describe('cdk-nag', () => {
  it.each([
    ['as in cdk.json', {}],
    ['with data not retained', { retainData: 'false' }],
    [
      'with the WAF, a custom domain and a customer-managed table key',
      {
        webhookWaf: true,
        tableKey: 'customer-managed',
        domainName: 'returns.shop.example',
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555',
        adminOrigin: 'https://admin.shop.example',
        sesIdentity: 'shop.example',
      },
    ],
    [
      'with an external OIDC issuer',
      {
        adminIdentity: 'oidc',
        adminIssuer: 'https://login.example.com/tenant',
        adminAudience: 'aftersale',
      },
    ],
  ])('finds nothing unacknowledged in the stack %s', (_, overrides) => {
    expect(
      nagged((app) => new AftersaleStack(app, 'Nag', stackProps(configWith(overrides)))),
    ).toBeUndefined();
  });

  it('interrupts the synth on a finding nobody acknowledged (so the test above can fail)', () => {
    const message = nagged((app) => {
      const stack = new Stack(app, 'Careless', { env: { region: 'us-east-1', account: '123456789012' } });
      new Queue(stack, 'NoDlqNoTls');
    });
    expect(message).toMatch(/AwsSolutions-SQS3|AwsSolutions-SQS4/);
  });

  it('gives a reason with every acknowledgement in the stack code', () => {
    const source = readFileSync(join(import.meta.dirname, '..', '..', 'infra', 'stack.ts'), 'utf8');
    const blocks = [...source.matchAll(/suppress\([^,]+, \{([\s\S]*?)\n\s*\}\);/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThan(5);
    for (const block of blocks) {
      for (const [, reason] of block.matchAll(/'[\w-]+(?:\[[^\]]+\])?'\]?:\s*(?:\n\s*)?(['"`])/g))
        expect(reason).toBeTruthy();
    }
  });
});
