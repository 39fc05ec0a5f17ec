import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../functions/lib/admin-auth.ts';
import { DEAD_LETTER_OUTPUTS, OUTPUTS, QUEUE_OUTPUTS } from '../../infra/cli/stack.ts';
import { publicReason, ROUTE_THROTTLE } from '../../infra/stack.ts';
import { cors, queues, routes } from '../../infra/topology.ts';
import {
  arnOf,
  type CfnResource,
  productionStack,
  ref,
  resource,
  type SynthesizedStack,
  sameJson,
  synthUnbundled,
} from './helpers.ts';

// The HTTP API routes what the topology routes, admin routes behind the staff pool's JWTs, CORS only
// for a given admin origin; retainData decides whether the data survives the stack.

let stack: SynthesizedStack;

beforeAll(async () => {
  stack = await productionStack();
});

describe('HTTP API', () => {
  const integrationOf = (route: CfnResource) => {
    const join = route.Properties.Target['Fn::Join'];
    expect(join[1][0]).toBe('integrations/');
    return resource(stack.template, 'AWS::ApiGatewayV2::Integration', join[1][1].Ref);
  };

  it('is one HTTP API with one route per topology route and no others', () => {
    stack.template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    stack.template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    stack.template.resourceCountIs('AWS::ApiGatewayV2::Route', routes.length);
    const keys = stack.values('AWS::ApiGatewayV2::Route').map((r) => r.Properties.RouteKey);
    expect(keys.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('has admin routes to protect and open routes to leave open', () => {
    expect(routes.some((r) => r.path.startsWith('/admin/'))).toBe(true);
    expect(routes.some((r) => r.path.startsWith('/webhooks/'))).toBe(true);
    expect(routes.some((r) => r.path === '/health')).toBe(true);
  });

  it.each(routes)('$method $path reaches $function with the right authorization', (spec) => {
    const found = stack
      .values('AWS::ApiGatewayV2::Route')
      .filter((r) => r.Properties.RouteKey === `${spec.method} ${spec.path}`);
    expect(found).toHaveLength(1);
    const route = found[0]!;
    expect(integrationOf(route).Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: arnOf(stack.fnId(spec.function)),
    });
    if (spec.path.startsWith('/admin/')) {
      expect(route.Properties.AuthorizationType).toBe('JWT');
      expect(route.Properties.AuthorizerId).toEqual(ref(stack.onlyId('AWS::ApiGatewayV2::Authorizer')));
    } else {
      expect(route.Properties.AuthorizationType ?? 'NONE').toBe('NONE');
      expect(route.Properties.AuthorizerId).toBeUndefined();
    }
    const invokable = stack
      .values('AWS::Lambda::Permission')
      .filter(
        (p) =>
          p.Properties.Principal === 'apigateway.amazonaws.com' &&
          sameJson(p.Properties.FunctionName, arnOf(stack.fnId(spec.function))) &&
          JSON.stringify(p.Properties.SourceArn).includes(`/*/*${spec.path}"`),
      );
    // One permission per route; routes on one path (GET and POST /admin/cases) each bring theirs.
    const onPath = routes.filter((r) => r.path === spec.path && r.function === spec.function).length;
    expect(invokable).toHaveLength(onPath);
  });

  const stageOf = (t: Template) =>
    Object.values(t.findResources('AWS::ApiGatewayV2::Stage'))[0] as CfnResource;

  it('has one auto-deployed $default stage with default throttling from the config', () => {
    stack.template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    const stage = stageOf(stack.template).Properties;
    expect(stage.StageName).toBe('$default');
    expect(stage.AutoDeploy).toBe(true);
    expect(stage.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 });
  });

  it.each(routes)('$method $path has its own throttling, below the stage default', (spec) => {
    const settings = stageOf(stack.template).Properties.RouteSettings[`${spec.method} ${spec.path}`];
    const rule = ROUTE_THROTTLE.find((r) => spec.path.startsWith(r.prefix));
    if (rule) {
      expect(settings).toEqual({ ThrottlingRateLimit: rule.rate, ThrottlingBurstLimit: rule.burst });
      expect(rule.rate).toBeLessThanOrEqual(200);
    } else expect(settings).toBeUndefined();
  });

  it('throttles every webhook, portal and admin route on its own', () => {
    for (const prefix of ['/webhooks/', '/portal/', '/returns', '/admin/'])
      expect(routes.filter((r) => r.path.startsWith(prefix)).length, prefix).toBeGreaterThan(0);
    const keys = Object.keys(stageOf(stack.template).Properties.RouteSettings);
    expect(keys).toContain('POST /webhooks/{provider}/{shopId}');
    expect(keys).toContain('POST /portal/{shopId}/lookup');
  });

  it('writes a JSON access log line per request to a log group with retention', () => {
    const logs = stageOf(stack.template).Properties.AccessLogSettings;
    const format = JSON.parse(logs.Format);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      routeKey: '$context.routeKey',
    });
    // Never the query string or headers: they can carry tokens.
    expect(logs.Format).not.toMatch(/querystring|header|path\b/i);
    const groupId = logs.DestinationArn['Fn::GetAtt'][0];
    expect(resource(stack.template, 'AWS::Logs::LogGroup', groupId).Properties.RetentionInDays).toBe(30);
  });

  it.each(routes.filter((r) => !r.path.startsWith('/admin/')))(
    '$method $path is public for a stated reason',
    (spec) => {
      expect(publicReason(spec).length).toBeGreaterThan(30);
    },
  );

  it('refuses to leave an unknown route public without a reason', () => {
    expect(() => publicReason({ method: 'GET', path: '/secret', function: 'admin-api' })).toThrow(
      /public route/,
    );
  });

  it('has no WAF unless switched on; on, a per-IP rate rule scoped to /webhooks/ fronts the webhooks', () => {
    stack.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    const waf = synthUnbundled('Waf', { webhookWaf: 'true', webhookWafLimit: '500' });
    const acl = Object.values(waf.findResources('AWS::WAFv2::WebACL'))[0] as CfnResource;
    expect(acl.Properties.Scope).toBe('CLOUDFRONT');
    const rule = acl.Properties.Rules[0];
    expect(rule.Action).toEqual({ Block: {} });
    expect(rule.Statement.RateBasedStatement).toMatchObject({
      Limit: 500,
      AggregateKeyType: 'IP',
      ScopeDownStatement: {
        ByteMatchStatement: { SearchString: '/webhooks/', PositionalConstraint: 'STARTS_WITH' },
      },
    });
    const distribution = Object.values(waf.findResources('AWS::CloudFront::Distribution'))[0] as CfnResource;
    expect(distribution.Properties.DistributionConfig.WebACLId).toEqual({
      'Fn::GetAtt': [Object.keys(waf.findResources('AWS::WAFv2::WebACL'))[0], 'Arn'],
    });
    const pattern = waf.toJSON().Outputs.WebhookUrlPattern.Value;
    expect(JSON.stringify(pattern)).toContain('DomainName');
  });

  it('serves a custom domain when configured and switches the execute-api URL off', () => {
    const custom = synthUnbundled('Domain', {
      domainName: 'returns.shop.example',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555',
    });
    custom.hasResourceProperties('AWS::ApiGatewayV2::DomainName', { DomainName: 'returns.shop.example' });
    custom.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
    expect(apiOf(custom).Properties.DisableExecuteApiEndpoint).toBe(true);
    expect(custom.toJSON().Outputs.ApiUrl.Value).toBe('https://returns.shop.example');
  });

  const apiOf = (t: Template) => Object.values(t.findResources('AWS::ApiGatewayV2::Api'))[0] as CfnResource;

  it('has no CORS at all without adminOrigin (the admin page is served from the same origin)', () => {
    expect(apiOf(stack.template).Properties).not.toHaveProperty('CorsConfiguration');
  });

  it("allows exactly the admin origin with the topology's CORS rule when adminOrigin is given", () => {
    const withAdmin = synthUnbundled('Cors', { adminOrigin: 'https://admin.example.com' });
    expect(apiOf(withAdmin).Properties.CorsConfiguration).toEqual({
      AllowOrigins: ['https://admin.example.com'],
      AllowMethods: cors.allowMethods,
      AllowHeaders: cors.allowHeaders,
      MaxAge: cors.maxAgeSeconds,
    });
  });

  it.each(['*', 'https://admin.example.com/', 'admin.example.com'])('refuses adminOrigin %j', (origin) => {
    expect(() => synthUnbundled('Bad', { adminOrigin: origin })).toThrow(/adminOrigin/);
  });

  it('has one JWT authorizer trusting the Cognito staff pool and the admin client', () => {
    const authorizer = resource(
      stack.template,
      'AWS::ApiGatewayV2::Authorizer',
      stack.onlyId('AWS::ApiGatewayV2::Authorizer'),
    );
    expect(authorizer.Properties.AuthorizerType).toBe('JWT');
    expect(authorizer.Properties.IdentitySource).toEqual(['$request.header.Authorization']);
    expect(authorizer.Properties.JwtConfiguration).toEqual({
      Audience: [ref(stack.onlyId('AWS::Cognito::UserPoolClient'))],
      Issuer: {
        'Fn::Join': [
          '',
          ['https://cognito-idp.us-east-1.amazonaws.com/', ref(stack.onlyId('AWS::Cognito::UserPool'))],
        ],
      },
    });
  });
});

describe('staff sign-in', () => {
  // Record<Role, …> makes tsc fail here when admin-auth learns a role the pool has no group for.
  const groups: Record<Role, true> = { staff: true, manager: true };

  it('is one Cognito pool, admin-created users only, with the custom shop_id the admin API reads', () => {
    const pool = resource(stack.template, 'AWS::Cognito::UserPool', stack.onlyId('AWS::Cognito::UserPool'));
    expect(pool.Properties.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: true });
    expect(pool.Properties.Schema).toEqual(
      expect.arrayContaining([expect.objectContaining({ Name: 'shop_id', AttributeDataType: 'String' })]),
    );
    expect(pool.DeletionPolicy).toBe('Retain');
  });

  it('keeps custom:shop_id immutable and out of what the app client may write', () => {
    const pool = resource(stack.template, 'AWS::Cognito::UserPool', stack.onlyId('AWS::Cognito::UserPool'));
    const shopId = pool.Properties.Schema.find((a: { Name: string }) => a.Name === 'shop_id');
    expect(shopId.Mutable).toBe(false);
    const client = resource(
      stack.template,
      'AWS::Cognito::UserPoolClient',
      stack.onlyId('AWS::Cognito::UserPoolClient'),
    );
    expect(client.Properties.WriteAttributes.length).toBeGreaterThan(0);
    expect(client.Properties.WriteAttributes).not.toContain('custom:shop_id');
    expect(client.Properties.WriteAttributes.filter((a: string) => a.startsWith('custom:'))).toEqual([]);
    expect(client.Properties.ReadAttributes).toContain('custom:shop_id');
    expect(client.Properties.ExplicitAuthFlows.sort()).toEqual([
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_SRP_AUTH',
    ]);
  });

  it('requires strong passwords and offers TOTP (not SMS) as a second factor', () => {
    const pool = resource(stack.template, 'AWS::Cognito::UserPool', stack.onlyId('AWS::Cognito::UserPool'));
    expect(pool.Properties.Policies.PasswordPolicy).toMatchObject({
      MinimumLength: 12,
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    expect(pool.Properties.MfaConfiguration).toBe('OPTIONAL');
    expect(pool.Properties.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
  });

  it('with an external OIDC issuer makes no pool and trusts that issuer and audience', () => {
    const oidc = synthUnbundled('Oidc', {
      adminIdentity: 'oidc',
      adminIssuer: 'https://login.example.com/tenant',
      adminAudience: 'aftersale-admin,other',
    });
    oidc.resourceCountIs('AWS::Cognito::UserPool', 0);
    const authorizer = Object.values(oidc.findResources('AWS::ApiGatewayV2::Authorizer'))[0] as CfnResource;
    expect(authorizer.Properties.JwtConfiguration).toEqual({
      Issuer: 'https://login.example.com/tenant',
      Audience: ['aftersale-admin', 'other'],
    });
    const admin = Object.values(oidc.findResources('AWS::Lambda::Function')).find((f) =>
      String((f as CfnResource).Properties.Description).startsWith('Staff API'),
    ) as CfnResource;
    expect(admin.Properties.Environment.Variables).toMatchObject({
      ADMIN_JWT_ISSUER: 'https://login.example.com/tenant',
      ADMIN_JWT_AUDIENCE: 'aftersale-admin',
    });
  });

  it('has a group per admin role in that pool', () => {
    const poolId = stack.onlyId('AWS::Cognito::UserPool');
    const found = stack.values('AWS::Cognito::UserPoolGroup');
    expect(found.map((g) => g.Properties.GroupName).sort()).toEqual(Object.keys(groups).sort());
    for (const group of found) expect(group.Properties.UserPoolId).toEqual(ref(poolId));
  });
});

describe('retainData', () => {
  const tableOf = (t: Template) =>
    Object.values(t.findResources('AWS::DynamoDB::GlobalTable'))[0] as CfnResource;

  it.each([false, 'false'])(
    '%j (cdk.json boolean or -c string) turns deletion protection off and lets the table and pool be deleted',
    (value) => {
      const disposable = synthUnbundled('Disposable', { retainData: value });
      const t = tableOf(disposable);
      expect(t.Properties.Replicas[0].DeletionProtectionEnabled ?? false).toBe(false);
      expect(t.DeletionPolicy).toBe('Delete');
      expect(t.UpdateReplacePolicy).toBe('Delete');
      const pool = Object.values(disposable.findResources('AWS::Cognito::UserPool'))[0] as CfnResource;
      expect(pool.DeletionPolicy).toBe('Delete');
    },
  );

  it('is on when not given, so a bare deploy never drops data', () => {
    const bare = synthUnbundled('Bare', { retainData: undefined });
    const t = tableOf(bare);
    expect(t.Properties.Replicas[0].DeletionProtectionEnabled).toBe(true);
    expect(t.DeletionPolicy).toBe('Retain');
  });
});

describe('outputs', () => {
  // The CLI (--stack) reads the stack by exactly these names.
  const names = [
    'ApiUrl',
    'AdminUrl',
    'PortalUrl',
    'WebhookUrlPattern',
    'StaffUserPoolId',
    'StaffClientId',
    'TableName',
    'AlarmTopicArn',
    'MailConfigurationSet',
    'SecretsKeyId',
    ...queues.flatMap((q) => {
      const name = q.name[0]!.toUpperCase() + q.name.slice(1);
      return [`QueueUrl${name}`, `DeadLetterUrl${name}`];
    }),
  ];

  it('has every output the CLI reads, under its exact name', () => {
    const outputs = stack.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs).sort()).toEqual(expect.arrayContaining([...names].sort()));
    expect(names).toContain('QueueUrlInbound');
    expect(names).toContain('DeadLetterUrlNotifications');
  });

  it('has every output the CLI asks for (infra/cli/stack.ts)', () => {
    const outputs = Object.keys(stack.template.toJSON().Outputs);
    const asked = [
      ...(Object.values(OUTPUTS).filter((v) => typeof v === 'string') as string[]),
      ...QUEUE_OUTPUTS,
      ...DEAD_LETTER_OUTPUTS,
    ];
    expect(asked.length).toBeGreaterThan(6);
    for (const name of asked) expect(outputs, name).toContain(name);
  });

  it.each(queues)('points QueueUrl and DeadLetterUrl of $name at its queue and DLQ', (spec) => {
    const outputs = stack.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const name = spec.name[0]!.toUpperCase() + spec.name.slice(1);
    expect(outputs[`QueueUrl${name}`]!.Value).toEqual(ref(stack.queueId(spec.name)));
    expect(outputs[`DeadLetterUrl${name}`]!.Value).toEqual(ref(stack.dlqId(spec.name)));
  });

  it('names the pages and the webhook pattern under the API URL', () => {
    const outputs = stack.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const api = { 'Fn::GetAtt': [stack.onlyId('AWS::ApiGatewayV2::Api'), 'ApiEndpoint'] };
    expect(outputs.ApiUrl!.Value).toEqual(api);
    expect(outputs.AdminUrl!.Value).toEqual({ 'Fn::Join': ['', [api, '/admin']] });
    expect(outputs.PortalUrl!.Value).toEqual({ 'Fn::Join': ['', [api, '/portal/{shopId}']] });
    expect(outputs.WebhookUrlPattern!.Value).toEqual({
      'Fn::Join': ['', [api, '/webhooks/{provider}/{shopId}']],
    });
    expect(outputs.StaffUserPoolId!.Value).toEqual(ref(stack.onlyId('AWS::Cognito::UserPool')));
    expect(outputs.TableName!.Value).toEqual(ref(stack.tableId()));
  });
});
