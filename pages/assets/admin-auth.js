import { request } from './admin-api.js';
import { field, h, input } from './admin-dom.js';
import { t } from './admin-i18n.js';

/*
 * Who is signed in. The token lives in memory and in this tab's sessionStorage (so a reload keeps
 * the clerk signed in, closing the tab does not); never in localStorage, a cookie, the URL or a
 * log. Its payload is decoded only to show the shop and role: the API verifies it on every call.
 *
 * Sign-in comes in two kinds, as GET /pages/config.json says: locally a pasted token (`npx
 * aftersale token`), on AWS an email and password against the stack's Cognito user pool (SRP,
 * through Cognito's own browser library, loaded only then).
 */

const TOKEN_KEY = 'aftersale.admin.token';
let token;
let claims;

/** The payload of a JWT (base64url JSON), or undefined when it is not one. */
export function decodeToken(jwt) {
  const parts = String(jwt).split('.');
  if (parts.length !== 3) return undefined;
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(b64.padEnd(Math.ceil(b64.length / 4) * 4, '=')), (c) =>
      c.charCodeAt(0),
    );
    const payload = JSON.parse(new TextDecoder().decode(bytes));
    return payload && typeof payload === 'object' ? payload : undefined;
  } catch {
    return undefined;
  }
}

/** Shop, roles, subject and expiry as the API reads them (local claims or Cognito's). */
export function claimsOf(payload) {
  const shop = payload.shop_id ?? payload['custom:shop_id'];
  const raw = payload.roles ?? payload['cognito:groups'];
  const roles = (Array.isArray(raw) ? raw : []).filter((r) => r === 'staff' || r === 'manager');
  return {
    shop: typeof shop === 'string' ? shop : undefined,
    roles,
    sub: typeof payload.sub === 'string' ? payload.sub : undefined,
    name: payload.email ?? payload['cognito:username'] ?? payload.sub,
    exp: typeof payload.exp === 'number' ? payload.exp : undefined,
  };
}

function expired(c) {
  return c.exp !== undefined && c.exp * 1000 <= Date.now();
}

/** The session kept in this tab, if still valid. */
export function restore() {
  let saved;
  try {
    saved = sessionStorage.getItem(TOKEN_KEY);
  } catch {
    saved = null;
  }
  if (!saved) return undefined;
  const payload = decodeToken(saved);
  const c = payload && claimsOf(payload);
  if (!c?.shop || !c.roles.length || expired(c)) {
    forget();
    return c && expired(c) ? 'expired' : undefined;
  }
  token = saved;
  claims = c;
  return claims;
}

export function currentToken() {
  if (token && claims && expired(claims)) return undefined;
  return token;
}

export function currentUser() {
  return claims;
}

export function isManager() {
  return !!claims?.roles.includes('manager');
}

function keep(jwt, c) {
  token = jwt;
  claims = c;
  try {
    sessionStorage.setItem(TOKEN_KEY, jwt);
  } catch {
    // No sessionStorage: the token stays in memory for this page only.
  }
}

export function forget() {
  token = undefined;
  claims = undefined;
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Nothing kept.
  }
  cognitoUser?.signOut?.();
  cognitoUser = undefined;
}

/**
 * Checks a token (shape, claims, and one call the API must accept) and keeps it.
 * Throws an Error with the clerk's message when it will not do.
 */
async function accept(jwt) {
  const clean = String(jwt)
    .replace(/^\s*bearer\s+/i, '')
    .replace(/\s+/g, '');
  const payload = decodeToken(clean);
  if (!payload) throw new Error(t('auth.badToken'));
  const c = claimsOf(payload);
  if (!c.shop || !c.roles.length) throw new Error(t('auth.noShop'));
  if (expired(c)) throw new Error(t('auth.expired'));
  try {
    await request('GET', '/admin/cases', undefined, { limit: 1 }, clean);
  } catch (err) {
    if (err.status === 401 || err.status === 403)
      throw new Error(t('auth.refused', { message: err.message }));
    // Anything else (the queue failing) is not the token's fault: let the clerk in.
  }
  keep(clean, c);
  return c;
}

/** The sign-in form for the mode the deployment uses; calls `done(claims)` once signed in. */
export function signInView(config, done, notice) {
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const fail = (message) => {
    error.textContent = message;
    error.hidden = !message;
  };
  const wrap = h(
    'div',
    { class: 'signin card' },
    h('h1', { tabindex: '-1' }, t('auth.title')),
    notice ? h('p', { class: 'notice' }, notice) : null,
  );
  if (config.auth?.mode === 'cognito') wrap.append(cognitoForm(config.auth, done, fail, error));
  else wrap.append(tokenForm(done, fail, error));
  return wrap;
}

function tokenForm(done, fail, error) {
  const area = h('textarea', {
    rows: '5',
    spellcheck: 'false',
    autocomplete: 'off',
    autocapitalize: 'off',
    class: 'mono',
    name: 'token',
  });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('auth.submit'));
  const tokenField = field({
    label: t('auth.tokenLabel'),
    control: area,
    hint: t('auth.tokenHint'),
    required: true,
  });
  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    h('p', {}, t('auth.tokenIntro')),
    h('pre', { class: 'command' }, h('code', {}, 'npx aftersale token --shop <shop-id> --role staff')),
    tokenField,
    error,
    h('div', { class: 'buttons' }, submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    fail('');
    tokenField.setError('');
    if (!area.value.trim()) {
      tokenField.setError(t('error.fieldRequired'));
      area.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = t('auth.checking');
    try {
      const c = await accept(area.value);
      area.value = '';
      done(c);
    } catch (err) {
      fail(err.message);
      area.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = t('auth.submit');
    }
  });
  return form;
}

let cognitoLoaded;
let cognitoUser;

/** Cognito's library, loaded on first use (a script file of our own origin, as the CSP wants). */
function loadCognito() {
  cognitoLoaded ??= new Promise((resolve, reject) => {
    if (globalThis.AmazonCognitoIdentity) return resolve(globalThis.AmazonCognitoIdentity);
    const script = document.createElement('script');
    script.src = '/assets/cognito.js';
    script.async = true;
    script.addEventListener('load', () =>
      globalThis.AmazonCognitoIdentity
        ? resolve(globalThis.AmazonCognitoIdentity)
        : reject(new Error(t('auth.cognitoMissing'))),
    );
    script.addEventListener('error', () => {
      cognitoLoaded = undefined;
      reject(new Error(t('auth.cognitoMissing')));
    });
    document.head.append(script);
  });
  return cognitoLoaded;
}

/** Cognito's library keeps tokens in localStorage unless told otherwise: here, only in memory. */
function memoryStorage() {
  const items = new Map();
  return {
    setItem: (key, value) => items.set(key, String(value)),
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    removeItem: (key) => items.delete(key),
    clear: () => items.clear(),
  };
}

function cognitoForm(auth, done, fail, error) {
  const email = input({ type: 'email', autocomplete: 'username', name: 'email' });
  const password = input({ type: 'password', autocomplete: 'current-password', name: 'password' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('auth.submit'));
  const emailField = field({ label: t('auth.emailLabel'), control: email, required: true });
  const passwordField = field({ label: t('auth.passwordLabel'), control: password, required: true });
  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    h('p', {}, t('auth.cognitoIntro')),
    emailField,
    passwordField,
    error,
    h('div', { class: 'buttons' }, submit),
  );
  const step = h('div', {}, form);
  // Loaded while the clerk types, so the first click does not wait for it.
  loadCognito().catch((err) => fail(err.message));

  const finish = async (session) => {
    try {
      const c = await accept(session.getIdToken().getJwtToken());
      done(c);
    } catch (err) {
      fail(err.message);
    }
  };
  const callbacks = (restart) => ({
    onSuccess: finish,
    onFailure: (err) => {
      fail(err?.message ?? String(err));
      restart?.();
    },
    newPasswordRequired: () => newPasswordStep(),
    mfaRequired: () => codeStep('SMS_MFA'),
    totpRequired: () => codeStep('SOFTWARE_TOKEN_MFA'),
  });

  const replace = (content) => {
    step.replaceChildren(content);
    content.querySelector('input')?.focus();
  };

  const newPasswordStep = () => {
    const first = input({ type: 'password', autocomplete: 'new-password' });
    const again = input({ type: 'password', autocomplete: 'new-password' });
    const firstField = field({ label: t('auth.newPasswordLabel'), control: first, required: true });
    const againField = field({ label: t('auth.newPasswordAgain'), control: again, required: true });
    const go = h('button', { type: 'submit', class: 'btn btn-primary' }, t('auth.newPasswordSubmit'));
    const f = h(
      'form',
      { class: 'stack', novalidate: true },
      h('p', {}, t('auth.newPasswordIntro')),
      firstField,
      againField,
      error,
      h('div', { class: 'buttons' }, go),
    );
    f.addEventListener('submit', (event) => {
      event.preventDefault();
      fail('');
      firstField.setError(first.value ? '' : t('error.fieldRequired'));
      if (!first.value) return first.focus();
      if (first.value !== again.value) {
        againField.setError(t('auth.passwordsDiffer'));
        return again.focus();
      }
      againField.setError('');
      cognitoUser.completeNewPasswordChallenge(first.value, {}, callbacks());
    });
    replace(f);
  };

  const codeStep = (kind) => {
    const codeInput = input({ inputmode: 'numeric', autocomplete: 'one-time-code' });
    const f = h(
      'form',
      { class: 'stack', novalidate: true },
      field({ label: t('auth.mfaLabel'), control: codeInput, required: true }),
      error,
      h(
        'div',
        { class: 'buttons' },
        h('button', { type: 'submit', class: 'btn btn-primary' }, t('auth.mfaSubmit')),
      ),
    );
    f.addEventListener('submit', (event) => {
      event.preventDefault();
      fail('');
      cognitoUser.sendMFACode(codeInput.value.trim(), callbacks(), kind);
    });
    replace(f);
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    fail('');
    emailField.setError(email.value.trim() ? '' : t('error.fieldRequired'));
    passwordField.setError(password.value ? '' : t('error.fieldRequired'));
    if (!email.value.trim()) return email.focus();
    if (!password.value) return password.focus();
    submit.disabled = true;
    try {
      const Cognito = await loadCognito();
      const storage = memoryStorage();
      const pool = new Cognito.CognitoUserPool({
        UserPoolId: auth.userPoolId,
        ClientId: auth.clientId,
        Storage: storage,
      });
      cognitoUser = new Cognito.CognitoUser({ Username: email.value.trim(), Pool: pool, Storage: storage });
      const details = new Cognito.AuthenticationDetails({
        Username: email.value.trim(),
        Password: password.value,
      });
      password.value = '';
      cognitoUser.authenticateUser(
        details,
        callbacks(() => password.focus()),
      );
    } catch (err) {
      fail(err.message);
    } finally {
      submit.disabled = false;
    }
  });
  return step;
}
