/*
 * The customer API as the portal calls it, and where case tokens live. Every answer comes back as
 * {status, body}: the views never see an exception, only a status (0: the network failed) and the
 * API's JSON ({"error":{"code","message"}} for errors).
 */

async function call(method, path, { body, token } = {}) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    return { status: 0, body: null };
  }
  let json = null;
  try {
    json = await res.json();
  } catch {
    // Not JSON (a gateway's HTML error page): the status says enough.
  }
  return { status: res.status, body: json };
}

const segment = encodeURIComponent;

export const api = {
  shop: (shopId) => call('GET', `/portal/${segment(shopId)}/shop`),
  lookup: (shopId, body) => call('POST', `/portal/${segment(shopId)}/lookup`, { body }),
  fileRequest: (body) => call('POST', '/returns', { body }),
  getCase: (caseId, token) => call('GET', `/returns/${segment(caseId)}`, { token }),
  registerReturn: (caseId, token, body) =>
    call('POST', `/returns/${segment(caseId)}/shipment`, { token, body }),
  cancel: (caseId, token) => call('POST', `/returns/${segment(caseId)}/cancel`, { token, body: {} }),
};

/*
 * A case's token opens that case only. It is kept in this tab's sessionStorage (gone when the tab
 * closes), never in the URL, where it would reach history, bookmarks and screenshots.
 */
const tokenKey = (shopId, caseId) => `aftersale.portal.${shopId}.case.${caseId}`;
/** Where storage is refused (some private modes): the case stays open for this page's life only. */
const inMemory = new Map();

export const tokens = {
  get(shopId, caseId) {
    const key = tokenKey(shopId, caseId);
    try {
      return sessionStorage.getItem(key) ?? inMemory.get(key) ?? null;
    } catch {
      return inMemory.get(key) ?? null;
    }
  },
  put(shopId, caseId, token) {
    const key = tokenKey(shopId, caseId);
    inMemory.set(key, token);
    try {
      sessionStorage.setItem(key, token);
    } catch {
      // Kept in memory only.
    }
  },
  drop(shopId, caseId) {
    const key = tokenKey(shopId, caseId);
    inMemory.delete(key);
    try {
      sessionStorage.removeItem(key);
    } catch {
      // Nothing stored.
    }
  },
};

/** The language the customer chose here, for the next page they open. */
export const savedLanguage = {
  get() {
    try {
      return localStorage.getItem('aftersale.portal.lang');
    } catch {
      return null;
    }
  },
  put(lang) {
    try {
      localStorage.setItem('aftersale.portal.lang', lang);
    } catch {
      // Not kept: the browser's language decides next time.
    }
  },
};
