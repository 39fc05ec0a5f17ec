import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openapiDocument, operations } from '../../functions/app/openapi.ts';
import { pagesHandler } from '../../functions/handlers/pages.ts';
import { OPENAPI_FILE, openapiText } from '../../infra/openapi.ts';
import { routes } from '../../infra/topology.ts';
import { checkResponse } from '../support/openapi.ts';

describe('the OpenAPI document', () => {
  it('documents exactly the routes the topology serves', () => {
    const documented = operations.map((o) => `${o.method} ${o.path}`).sort();
    const served = routes.map((r) => `${r.method} ${r.path}`).sort();
    expect(documented).toEqual(served);
  });

  it('is OpenAPI 3.1 with bodies and views as JSON Schema, and every admin route needs a staff token', () => {
    const doc = openapiDocument() as {
      openapi: string;
      paths: Record<string, Record<string, { security: unknown[] }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const op of Object.values(methods)) {
        if (path.startsWith('/admin/')) expect(op.security, path).toEqual([{ staffJwt: [] }]);
      }
    }
  });

  it('catches a response that does not match its view', () => {
    expect(() => checkResponse('GET', '/admin/cases', 200, { cases: [], next: 'x' })).not.toThrow();
    expect(() => checkResponse('GET', '/admin/cases', 200, { cases: [{ caseId: 1 }] })).toThrow(
      /does not match/,
    );
    expect(() => checkResponse('GET', '/admin/cases', 418, {})).toThrow(/does not document status 418/);
    expect(() =>
      checkResponse('GET', '/admin/cases/abc', 404, { error: { code: 'not_found', message: 'no' } }),
    ).not.toThrow();
  });

  it('pages/openapi.json is the document the schemas give (else: npm run openapi)', () => {
    const served = readFileSync(OPENAPI_FILE, 'utf8');
    expect(served.length).toBeGreaterThan(10_000);
    expect(served, 'pages/openapi.json is stale: run npm run openapi').toBe(openapiText());
  });

  it('is served by the pages function, with the pages and their files', async () => {
    const handler = pagesHandler({});
    const event = (routeKey: string, pathParameters?: Record<string, string>) =>
      ({ routeKey, ...(pathParameters && { pathParameters }) }) as never;
    const doc = await handler(event('GET /openapi.json'));
    expect(doc.statusCode).toBe(200);
    expect(doc.headers?.['content-type']).toMatch(/application\/json/);
    expect(JSON.parse(Buffer.from(String(doc.body), 'base64').toString('utf8'))).toEqual(openapiDocument());
    const page = await handler(event('GET /admin'));
    expect(page.headers?.['content-type']).toMatch(/text\/html/);
    expect(page.headers?.['content-security-policy']).toMatch(/script-src 'self'/);
    expect(Buffer.from(String(page.body), 'base64').toString('utf8')).toMatch(/<html/);
    expect((await handler(event('GET /assets/{file}', { file: '../package.json' }))).statusCode).toBe(404);
    expect((await handler(event('GET /assets/{file}', { file: 'cognito.js' }))).statusCode).toBe(200);
    const config = await handler(event('GET /pages/config.json'));
    expect(JSON.parse(String(config.body))).toEqual({ auth: { mode: 'token' } });
    const onAws = pagesHandler({
      staffSignIn: { region: 'eu-west-1', userPoolId: 'eu-west-1_abc', clientId: 'client' },
    });
    expect(JSON.parse(String((await onAws(event('GET /pages/config.json'))).body)).auth.mode).toBe('cognito');
    // Sign-in may reach the pool's own Cognito endpoint, named (CSP has no wildcard in a host's middle).
    const csp = (await onAws(event('GET /admin'))).headers?.['content-security-policy'];
    expect(csp).toContain("connect-src 'self' https://cognito-idp.eu-west-1.amazonaws.com;");
    expect(csp).not.toContain('*');
    expect(page.headers?.['content-security-policy']).toContain("connect-src 'self';");
  });
});
