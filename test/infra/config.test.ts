import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, DeployConfigError, parseDeployConfig } from '../../infra/config.ts';
import { cdkContext, configWith, synthUnbundled } from './helpers.ts';

// The deployment configuration: CDK context from cdk.json or `-c key=value` (always a string).

const minimal = { stage: 'prod', region: 'eu-west-1', alarmEmail: 'ops@shop.example' };
const parse = (context: Record<string, unknown>) => parseDeployConfig((key) => context[key]);
const failure = (context: Record<string, unknown>): string => {
  try {
    parse(context);
  } catch (error) {
    expect(error).toBeInstanceOf(DeployConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
};

describe('deployment configuration', () => {
  it('takes the minimal configuration and fills the documented defaults', () => {
    expect(parse(minimal)).toEqual({
      ...minimal,
      adminIdentity: 'cognito',
      retainData: true,
      webhookWaf: false,
      webhookWafLimit: 2000,
      apiRateLimit: 200,
      apiBurstLimit: 400,
      tableKey: 'aws-owned',
      logRetentionDays: 30,
    });
  });

  it('requires a region and never falls back to one (not even the profile default)', () => {
    const previous = process.env.CDK_DEFAULT_REGION;
    process.env.CDK_DEFAULT_REGION = 'us-west-2';
    try {
      const message = failure({ ...minimal, region: undefined });
      expect(message).toMatch(/region is required/);
      expect(message).toMatch(/no default is assumed/);
    } finally {
      if (previous === undefined) delete process.env.CDK_DEFAULT_REGION;
      else process.env.CDK_DEFAULT_REGION = previous;
    }
  });

  it('fails the synth itself with that message, before any resource is made', () => {
    expect(() => synthUnbundled('NoRegion', { region: undefined })).toThrow(/region is required/);
  });

  it.each([
    [{ region: 'Europe' }, /region must be an AWS region name/],
    [{ stage: 'Prod!' }, /stage must be lower-case/],
    [{ alarmEmail: 'not-an-address' }, /alarmEmail/],
    [{ adminOrigin: 'https://admin.example.com/' }, /adminOrigin must be an https origin/],
    [{ adminOrigin: '*' }, /adminOrigin/],
    [{ adminIdentity: 'ldap' }, /adminIdentity must be "cognito" or "oidc"/],
    [{ adminIdentity: 'oidc' }, /adminIssuer is required when adminIdentity is "oidc"/],
    [{ adminIssuer: 'https://login.example.com' }, /adminIssuer is only for adminIdentity "oidc"/],
    [{ adminIdentity: 'oidc', adminIssuer: 'http://login.example.com', adminAudience: 'a' }, /adminIssuer/],
    [{ smsSenderId: 'ThisIsTooLongAnId' }, /smsSenderId must be 1-11 letters/],
    [{ sesConfigurationSet: 'has spaces' }, /sesConfigurationSet/],
    [{ domainName: 'returns.shop.example' }, /certificateArn domainName and certificateArn go together/],
    [
      {
        domainName: 'returns.shop.example',
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555',
      },
      /certificateArn must be a certificate in eu-west-1/,
    ],
    [{ retainData: 'no' }, /retainData must be true or false/],
    [{ retainData: 0 }, /retainData must be true or false/],
    [{ webhookWaf: true }, /webhookWaf needs region us-east-1/],
    [{ apiRateLimit: '-5' }, /apiRateLimit must be a whole number/],
    [{ apiRateLimit: 500, apiBurstLimit: 100 }, /apiBurstLimit must be at least apiRateLimit/],
    [{ tableKey: 'mine' }, /tableKey must be "aws-owned" or "customer-managed"/],
    [{ logRetentionDays: 45 }, /logRetentionDays must be one of/],
  ])('refuses %j with a clear message', (override, message) => {
    expect(failure({ ...minimal, ...override })).toMatch(message);
  });

  it('names every bad key at once, and where to look', () => {
    const message = failure({ stage: 'prod' });
    expect(message).toMatch(/region is required/);
    expect(message).toMatch(/alarmEmail is required/);
    expect(message).toMatch(/docs\/deploy\.md/);
  });

  it.each([
    [false, false],
    ['false', false],
    [true, true],
    ['true', true],
  ])('reads retainData %j as %j', (value, expected) => {
    expect(parse({ ...minimal, retainData: value }).retainData).toBe(expected);
  });

  it('reads numbers given as -c strings, and lists as comma-separated strings', () => {
    const config = parse({
      ...minimal,
      apiRateLimit: '50',
      apiBurstLimit: '80',
      logRetentionDays: '90',
      adminIdentity: 'oidc',
      adminIssuer: 'https://login.example.com/tenant',
      adminAudience: 'aftersale, other',
    });
    expect(config).toMatchObject({
      apiRateLimit: 50,
      apiBurstLimit: 80,
      logRetentionDays: 90,
      adminAudience: ['aftersale', 'other'],
    });
  });

  it('treats an empty -c value as not set', () => {
    expect(parse({ ...minimal, adminOrigin: '' }).adminOrigin).toBeUndefined();
  });

  it('is what cdk.json holds: a complete configuration, every key of it known', () => {
    const config = configWith();
    expect(config.region).toBe(cdkContext.region);
    const ours = Object.keys(cdkContext).filter((k) => !k.startsWith('@aws-cdk') && !k.startsWith('aws:'));
    expect(ours.filter((k) => !(CONFIG_KEYS as string[]).includes(k))).toEqual([]);
  });
});

describe('feature flags', () => {
  it('sets every flag aws-cdk-lib recommends for a new project, as it recommends it', async () => {
    const { CURRENTLY_RECOMMENDED_FLAGS } = (await import('aws-cdk-lib/cx-api')) as unknown as {
      CURRENTLY_RECOMMENDED_FLAGS: Record<string, unknown>;
    };
    const recommended = Object.entries(CURRENTLY_RECOMMENDED_FLAGS);
    expect(recommended.length).toBeGreaterThan(50);
    for (const [flag, value] of recommended) expect(cdkContext[flag], flag).toEqual(value);
  });
});
