import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../functions/lib/admin-auth.ts';
import { cors, routes } from '../../infra/topology.ts';
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
          [
            'https://cognito-idp.',
            { Ref: 'AWS::Region' },
            '.amazonaws.com/',
            ref(stack.onlyId('AWS::Cognito::UserPool')),
          ],
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

  it('false turns deletion protection off and lets the table and pool be deleted', () => {
    const disposable = synthUnbundled('Disposable', { retainData: false });
    const t = tableOf(disposable);
    expect(t.Properties.Replicas[0].DeletionProtectionEnabled ?? false).toBe(false);
    expect(t.DeletionPolicy).toBe('Delete');
    expect(t.UpdateReplacePolicy).toBe('Delete');
    const pool = Object.values(disposable.findResources('AWS::Cognito::UserPool'))[0] as CfnResource;
    expect(pool.DeletionPolicy).toBe('Delete');
  });

  it('is on when not given, so a bare deploy never drops data', () => {
    const bare = synthUnbundled('Bare', {});
    const t = tableOf(bare);
    expect(t.Properties.Replicas[0].DeletionProtectionEnabled).toBe(true);
    expect(t.DeletionPolicy).toBe('Retain');
  });
});
