import { t } from './admin-i18n.js';

/*
 * The staff API as the page calls it: every call with `Authorization: Bearer <token>`, JSON in and
 * out, errors as ApiError carrying the API's own `{error: {code, message}}`. A 401 signs the clerk
 * out (the session handler shows the sign-in again). The token never goes into a URL or a log.
 */

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

let tokenSource = () => undefined;
let unauthorized = () => undefined;

export function configureApi({ getToken, onUnauthorized }) {
  tokenSource = getToken;
  unauthorized = onUnauthorized;
}

/** `api('GET', '/admin/cases', undefined, {status: 'pending_review'})`: empty query values are left out. */
export async function api(method, path, body, query) {
  const token = tokenSource();
  if (!token) {
    unauthorized();
    throw new ApiError(401, 'unauthorized', t('auth.expired'));
  }
  return request(method, path, body, query, token);
}

/** One call with a token given here (the sign-in checks a pasted token before keeping it). */
export async function request(method, path, body, query, token) {
  let url = path;
  if (query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '' && value !== false) {
        params.set(key, String(value));
      }
    }
    const qs = params.toString();
    if (qs) url += `?${qs}`;
  }
  const headers = { accept: 'application/json', authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(url, {
      method,
      headers,
      cache: 'no-store',
      credentials: 'same-origin',
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'network', t('error.network'));
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const error = data?.error ?? {};
    const err = new ApiError(
      res.status,
      error.code ?? `http_${res.status}`,
      error.message ?? `HTTP ${res.status}`,
      error.details,
    );
    if (res.status === 401 && token === tokenSource()) unauthorized(err.message);
    throw err;
  }
  return data;
}

/** `/admin/cases/{id}` with each segment encoded. */
export function path(...segments) {
  return `/${segments.map((s, i) => (i === 0 ? s : encodeURIComponent(s))).join('/')}`;
}

/** The error a screen shows for a route that answers 404/500/501 (not built yet, or failing). */
export function isUnavailable(err) {
  return err instanceof ApiError && (err.status === 404 || err.status >= 500 || err.status === 0);
}
