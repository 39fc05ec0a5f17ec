import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HttpEvent, HttpResult } from '../lib/http.ts';
import { json } from '../lib/http.ts';

/*
 * The pages: the staff admin page (/admin) and the customer portal (/portal/{shopId}), their files
 * (/assets/{file}), how the admin page signs staff in (/pages/config.json) and the OpenAPI
 * document (/openapi.json). Plain files read once per instance; nothing is built at request time.
 */

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
};

/**
 * The pages load only their own files and talk only to this API (and, on AWS, Cognito to sign in:
 * the endpoint of the pool's region by name, since a wildcard in the host's middle is not valid CSP).
 */
function securityHeaders(cognitoRegion: string | undefined): Record<string, string> {
  const cognito = cognitoRegion ? ` https://cognito-idp.${cognitoRegion}.amazonaws.com` : '';
  return {
    'content-security-policy':
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; " +
      `connect-src 'self'${cognito}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
}

interface File {
  body: Buffer;
  type: string;
}

function loadFiles(dir: string): Map<string, File> {
  const files = new Map<string, File>();
  const walk = (sub: string) => {
    for (const name of readdirSync(join(dir, sub))) {
      const rel = sub ? `${sub}/${name}` : name;
      if (statSync(join(dir, rel)).isDirectory()) walk(rel);
      else
        files.set(rel, {
          body: readFileSync(join(dir, rel)),
          type: TYPES[extname(name)] ?? 'application/octet-stream',
        });
    }
  };
  walk('');
  return files;
}

export interface PagesOptions {
  /** The pages' folder; default: `pages/` of the repository. */
  dir?: string | undefined;
  /** Cognito sign-in for the admin page (AWS); without it staff paste a token (local). */
  staffSignIn?: { region: string; userPoolId: string; clientId: string } | undefined;
}

/** Cognito's own browser library (SRP sign-in), served as one of the pages' files. */
const COGNITO_LIBRARY = 'amazon-cognito-identity-js/dist/amazon-cognito-identity.min.js';

export function pagesHandler(options: PagesOptions) {
  const dir = options.dir ?? fileURLToPath(new URL('../../pages/', import.meta.url));
  const files = loadFiles(dir);
  // In a Lambda bundle the file was copied into assets/ (infra/stack.ts); here it is a dependency.
  if (!files.has('assets/cognito.js')) {
    try {
      const path = createRequire(import.meta.url).resolve(COGNITO_LIBRARY);
      files.set('assets/cognito.js', { body: readFileSync(path), type: TYPES['.js']! });
    } catch {
      // Not installed: the page signs in with a pasted token only.
    }
  }
  const headers = securityHeaders(options.staffSignIn?.region);
  const file = (name: string, cache: string): HttpResult => {
    const f = files.get(name);
    if (!f) return json(404, { error: { code: 'not_found', message: 'no such file' } });
    return {
      statusCode: 200,
      headers: { 'content-type': f.type, 'cache-control': cache, ...headers },
      body: f.body.toString('base64'),
      isBase64Encoded: true,
    };
  };
  return async (event: HttpEvent): Promise<HttpResult> => {
    switch (event.routeKey) {
      case 'GET /admin':
        return file('admin.html', 'no-cache');
      case 'GET /portal/{shopId}':
        return file('portal.html', 'no-cache');
      case 'GET /assets/{file}': {
        const name = event.pathParameters?.file ?? '';
        // Only the files that are there: no path, no traversal.
        if (!/^[\w][\w.-]*$/.test(name))
          return json(404, { error: { code: 'not_found', message: 'no such file' } });
        return file(`assets/${name}`, 'public, max-age=300');
      }
      case 'GET /pages/config.json':
        return json(
          200,
          { auth: options.staffSignIn ? { mode: 'cognito', ...options.staffSignIn } : { mode: 'token' } },
          { 'cache-control': 'no-cache' },
        );
      case 'GET /openapi.json':
        // Written from the schemas by `npm run openapi` (infra/openapi.ts); a test keeps it current.
        return file('openapi.json', 'public, max-age=300');
      default:
        return json(404, { error: { code: 'not_found', message: `no page ${event.routeKey}` } });
    }
  };
}
