import type { HttpResult } from './lib/http.ts';
import { json } from './lib/http.ts';

/** GET /health: the process is up. Touches nothing, so it says nothing about dependencies. */
export const handler = async (): Promise<HttpResult> => json(200, { ok: true, service: 'aftersale' });
