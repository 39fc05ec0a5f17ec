import { configureApi } from './admin-api.js';
import { currentToken, currentUser, forget, isManager, restore, signInView } from './admin-auth.js';
import { renderCase } from './admin-case.js';
import { button, h } from './admin-dom.js';
import { lang, setLang, t } from './admin-i18n.js';
import { renderLookup } from './admin-lookup.js';
import { renderOperations } from './admin-operations.js';
import { renderQueue } from './admin-queue.js';
import { renderSettings } from './admin-settings.js';
import { renderSummary } from './admin-summary.js';
import { clearFlash } from './admin-ui.js';

/*
 * The staff admin page: signs the clerk in, then routes the hash (#/queue, #/case/<id>, #/lookup,
 * #/operations, #/settings, #/summary; the token is never part of it) to one screen at a time.
 * Each screen gets a context: the route's params, the view to fill, `alive()` (false once the
 * clerk has moved on, so a late answer paints nothing), navigate and rerender.
 */

const SCREENS = {
  queue: renderQueue,
  case: renderCase,
  lookup: renderLookup,
  operations: renderOperations,
  settings: renderSettings,
  summary: renderSummary,
};
const NAV = ['queue', 'lookup', 'operations', 'settings', 'summary'];

let config = { auth: { mode: 'token' } };
let generation = 0;
let signInNotice;

const $ = (id) => document.getElementById(id);

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [pathPart, qs = ''] = raw.split('?');
  const [name, ...rest] = pathPart.split('/');
  let arg = '';
  try {
    arg = rest.map((p) => decodeURIComponent(p)).join('/');
  } catch {
    arg = rest.join('/');
  }
  return { name: name || 'queue', arg, params: new URLSearchParams(qs) };
}

function navigate(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

function chrome() {
  document.documentElement.lang = lang();
  $('skip').textContent = t('app.skip');
  $('brand').textContent = t('app.name');
  $('footer').textContent = t('app.footer');
  const langButton = $('lang');
  langButton.textContent = t('lang.switch');
  langButton.lang = lang() === 'zh-CN' ? 'en' : 'zh-CN';
  langButton.setAttribute('aria-label', t('lang.switchLabel'));

  const user = currentUser();
  const nav = $('nav');
  const session = $('session');
  nav.hidden = !user;
  session.replaceChildren();
  if (!user) {
    nav.replaceChildren();
    return;
  }
  nav.setAttribute('aria-label', t('nav.label'));
  const { name } = parseHash();
  const active = name === 'case' ? 'queue' : name;
  nav.replaceChildren(
    h(
      'ul',
      {},
      NAV.map((key) =>
        h(
          'li',
          {},
          h('a', { href: `#/${key}`, ...(key === active && { 'aria-current': 'page' }) }, t(`nav.${key}`)),
        ),
      ),
    ),
  );
  session.append(
    h(
      'span',
      { class: 'who' },
      t('auth.signedInAs', {
        shop: user.shop,
        role: user.roles.map((r) => t(`role.${r}`)).join(', '),
      }),
    ),
    button(t('auth.signOut'), signOut, 'btn btn-ghost btn-small'),
  );
  document.body.classList.toggle('is-manager', isManager());
}

function signOut() {
  forget();
  signInNotice = t('auth.signedOut');
  navigate('#/queue');
}

/** A 401 from any call: the token is no good any more; sign in again and come back here. */
function unauthorized(message) {
  forget();
  signInNotice = message ? `${t('auth.expired')} (${message})` : t('auth.expired');
  render();
}

function render({ focus = true } = {}) {
  generation += 1;
  const mine = generation;
  for (const d of document.querySelectorAll('dialog')) d.close();
  clearFlash();
  chrome();
  const view = $('view');
  if (!currentToken()) {
    const notice = signInNotice;
    signInNotice = undefined;
    document.title = `${t('auth.title')} · ${t('app.name')}`;
    view.replaceChildren(signInView(config, () => render(), notice));
    if (focus) view.querySelector('textarea, input')?.focus();
    return;
  }
  const route = parseHash();
  const screen = SCREENS[route.name];
  const ctx = {
    view,
    params: route.params,
    arg: route.arg,
    alive: () => mine === generation,
    navigate,
    rerender: () => render({ focus: false }),
    setTitle: (title) => {
      if (mine === generation) document.title = `${title} · ${t('app.name')}`;
    },
  };
  if (!screen) {
    navigate('#/queue');
    return;
  }
  screen(ctx);
  // Moving to a screen moves focus to its heading, so a screen reader says where the clerk is.
  if (focus) view.querySelector('h1')?.focus();
}

async function boot() {
  configureApi({ getToken: currentToken, onUnauthorized: unauthorized });
  if (restore() === 'expired') signInNotice = t('auth.expired');
  $('lang').addEventListener('click', () => {
    setLang(lang() === 'zh-CN' ? 'en' : 'zh-CN');
    render({ focus: false });
    $('lang').focus();
  });
  $('skip').addEventListener('click', (event) => {
    // The skip link must not change the route: focus the content instead.
    event.preventDefault();
    $('main').focus();
  });
  window.addEventListener('hashchange', () => render());
  try {
    const res = await fetch('/pages/config.json', { cache: 'no-store' });
    if (res.ok) config = await res.json();
  } catch {
    // Without the config the page offers the token sign-in, which works locally.
  }
  render({ focus: false });
}

boot();
