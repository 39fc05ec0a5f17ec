import { api, savedLanguage, tokens } from './portal-api.js';
import { h, replace } from './portal-dom.js';
import { pickLanguage, translator } from './portal-i18n.js';
import {
  caseView,
  header,
  lookupView,
  needsResolution,
  noticeView,
  offerFor,
  orderView,
  returnView,
} from './portal-views.js';

/*
 * The customer portal (/portal/{shopId}): find an order with its number and the customer's email
 * or phone, follow its parcels, file a return, exchange or other request and get the policy's
 * answer at once, then follow the case (return instructions, the return parcel, refunds).
 *
 * One state, one render: every change goes through the state and renders the page again (the
 * views are pure). Screens are addressed by the URL's fragment (#/order, #/return, #/case/<id>) so
 * Back works; the case token is never in it (sessionStorage, portal-api.js).
 */

/** How often an open case is asked for news (while the tab is visible). */
const POLL_MS = 10_000;
/** Statuses nothing moves out of: no need to ask again. */
const FINAL = ['rejected', 'cancelled', 'closed'];
/** Violation codes the portal has its own words for (portal-i18n.js `errors`). */
const KNOWN_CODES = [
  'outside_return_window',
  'not_returnable',
  'quantity_exceeds_purchased',
  'order_not_delivered',
  'resolution_not_allowed',
  'type_not_allowed',
  'reason_not_allowed',
  'too_many_cases',
  'order_cancelled',
  'unknown_line',
];

const shopId = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() ?? '');
const browserLanguages = navigator.languages?.length ? navigator.languages : [navigator.language];
const saved = savedLanguage.get();

const emptyReturnForm = () => ({
  picked: {},
  quantity: {},
  variant: {},
  reason: '',
  type: '',
  resolution: '',
  note: '',
});

const state = {
  shopId,
  shop: null,
  lang: pickLanguage(saved, browserLanguages, undefined),
  view: 'loading',
  lookupForm: { orderNumber: '', contact: '' },
  /** What the customer proved the order with: sent again with a request. Memory only. */
  lookup: null,
  order: null,
  returnForm: emptyReturnForm(),
  caseId: null,
  caseView: null,
  shipmentForm: { carrier: '', trackingNumber: '' },
  /** The answer of the request just filed, told once when its case opens. */
  justFiled: null,
  confirmWithdraw: false,
  busy: false,
  refreshing: false,
  checkedAt: null,
  /** {kind: 'error'|'info', title?, lines: [phrase], retry?, retryLabel?}; a phrase is {key, vars} | {group, key} | {raw}. */
  message: null,
  fieldErrors: null,
  noticeTitle: null,
};

const topEl = document.getElementById('top');
const appEl = document.getElementById('app');
const liveEl = document.getElementById('live');

// ---- Rendering ----------------------------------------------------------------------------------

const VIEWS = {
  lookup: lookupView,
  order: orderView,
  return: returnView,
  case: caseView,
  notice: noticeView,
};

function render(focus) {
  const t = translator(state.lang);
  document.documentElement.lang = state.lang;
  document.title = state.shop ? t('pageTitleShop', { shop: state.shop.name }) : t('pageTitle');
  const view = VIEWS[state.view];
  replace(topEl, header(state, t, act));
  replace(
    appEl,
    view
      ? view({ ...state, message: state.message && phrased(state.message, t) }, t, act)
      : h('p', { class: 'loading', role: 'status' }, t('loading')),
  );
  if (focus) document.querySelector(focus)?.focus();
}

/** A message's phrases in the current language (the policy's own words stay as they came). */
function phrased(m, t) {
  const say = (p) => (p.raw !== undefined ? p.raw : p.group ? t.words(p.group, p.key) : t(p.key, p.vars));
  return {
    kind: m.kind,
    title: m.title && say(m.title),
    text: m.lines.map(say)[0],
    details: m.lines.slice(1).map(say),
    retry: m.retry,
    retryLabel: m.retry && t('tryAgain'),
  };
}

/** Says something to screen readers without moving focus (status changes, saved forms). */
function announce(text) {
  liveEl.textContent = '';
  setTimeout(() => {
    liveEl.textContent = text;
  }, 60);
}

const error = (key, extra = {}) => ({ kind: 'error', lines: [{ key }], ...extra });
const info = (key) => ({ kind: 'info', lines: [{ key }] });

/** The message for an answer that went wrong in a way any call can go wrong. */
function failure(res) {
  if (res.status === 0) return error('network');
  if (res.status === 429) return error('rateLimited');
  if (res.status === 400) return error('invalid');
  return error('serverError');
}

/** A 422 from the policy: our line per code, then the policy's own words for each violation. */
function refusal(body) {
  const violations = body?.error?.details?.violations ?? [
    { code: body?.error?.code, message: body?.error?.message },
  ];
  const lines = [];
  for (const code of new Set(violations.map((v) => v.code))) {
    if (KNOWN_CODES.includes(code)) lines.push({ group: 'errors', key: code });
  }
  if (!lines.length) lines.push({ key: 'invalid' });
  for (const v of violations) if (v.message) lines.push({ raw: v.message });
  return { kind: 'error', title: { key: 'refusedHeading' }, lines, codes: violations.map((v) => v.code) };
}

// ---- Screens ------------------------------------------------------------------------------------

/** Shows a screen; `replace` when Back should skip the one left (a form already sent). */
function go(hash, { replace = false } = {}) {
  if (location.hash !== hash) {
    if (replace) history.replaceState(null, '', hash || location.pathname);
    else history.pushState(null, '', hash || location.pathname);
  }
  return route(true);
}

async function route(focus) {
  stopPolling();
  state.message = null;
  state.fieldErrors = null;
  state.confirmWithdraw = false;
  const hash = location.hash;
  const caseMatch = /^#\/case\/([\w-]{1,200})$/.exec(hash);
  if (caseMatch) return openCase(caseMatch[1], focus);
  if (hash === '#/return' && state.order && state.shop) state.view = 'return';
  else if ((hash === '#/order' || hash === '#/return') && state.order) state.view = 'order';
  else state.view = 'lookup';
  render(focus && '#view-heading');
  if (focus) window.scrollTo(0, 0);
}

function notice(titleKey, message) {
  const t = translator(state.lang);
  state.view = 'notice';
  state.noticeTitle = titleKey && t(titleKey, { number: '' }).trim();
  state.message = message;
  render('#view-heading');
}

async function openCase(caseId, focus) {
  const token = tokens.get(shopId, caseId);
  if (!token) return notice('caseHeading', error('caseUnavailable'));
  if (state.caseView?.caseId !== caseId) {
    state.caseView = null;
    state.shipmentForm = { carrier: '', trackingNumber: '' };
    state.view = 'loading';
    render();
  }
  state.caseId = caseId;
  const res = await api.getCase(caseId, token);
  if (state.caseId !== caseId) return; // the customer went elsewhere meanwhile
  if (res.status === 401 || res.status === 404) {
    tokens.drop(shopId, caseId);
    return notice('caseHeading', error('caseUnavailable'));
  }
  if (res.status !== 200) {
    return notice('caseHeading', { ...failure(res), retry: () => openCase(caseId, true) });
  }
  showCase(res.body);
  state.view = 'case';
  render(focus && '#view-heading');
  if (focus) window.scrollTo(0, 0);
  const t = translator(state.lang);
  if (state.justFiled?.caseId === caseId) {
    const d = state.justFiled.decision.action;
    announce(
      `${t({ approve: 'decisionApproved', review: 'decisionReview', reject: 'decisionRejected' }[d])}. ${t('statusNow', { status: t.words('caseStatusWords', res.body.status) })}`,
    );
    state.justFiled = null;
  }
  startPolling();
}

/** A fresh view of the case; the order's list of requests follows it. */
function showCase(view) {
  state.caseView = view;
  state.checkedAt = new Date();
  const listed = state.order?.cases.find((c) => c.caseId === view.caseId);
  if (listed) listed.status = view.status;
}

// ---- Following a case ---------------------------------------------------------------------------

let pollTimer;

function startPolling() {
  stopPolling();
  if (!state.caseView || FINAL.includes(state.caseView.status)) return;
  pollTimer = setInterval(() => {
    if (!document.hidden) refresh(false);
  }, POLL_MS);
}

function stopPolling() {
  clearInterval(pollTimer);
  pollTimer = undefined;
}

document.addEventListener('visibilitychange', () => {
  if (!document.hidden && state.view === 'case') refresh(false);
});

async function refresh(manual) {
  const caseId = state.caseId;
  const token = caseId && tokens.get(shopId, caseId);
  if (!token || state.view !== 'case' || state.refreshing) return;
  state.refreshing = true;
  const res = await api.getCase(caseId, token);
  state.refreshing = false;
  if (state.view !== 'case' || state.caseId !== caseId) return;
  const t = translator(state.lang);
  if (res.status !== 200) {
    // A poll that fails says nothing (the next one may work); a click deserves an answer.
    if (manual) {
      state.message = res.status === 401 ? error('caseUnavailable') : failure(res);
      render('#message');
    }
    return;
  }
  const before = state.caseView;
  showCase(res.body);
  const moved = before.status !== res.body.status;
  if (moved) announce(t('statusNow', { status: t.words('caseStatusWords', res.body.status) }));
  else if (manual) announce(t('updatedAt', { time: t.time(state.checkedAt) }));
  if (moved || manual || before.version !== res.body.version) render();
  else {
    const checked = document.getElementById('checked-at');
    if (checked) checked.textContent = t('updatedAt', { time: t.time(state.checkedAt) });
  }
  if (FINAL.includes(res.body.status)) stopPolling();
}

// ---- What the controls do -----------------------------------------------------------------------

function contactOf(text) {
  const value = text.trim();
  return value.includes('@') ? { email: value } : { phone: value };
}

const act = {
  switchLanguage() {
    state.lang = state.lang === 'en' ? 'zh-CN' : 'en';
    savedLanguage.put(state.lang);
    render('#lang-switch');
    announce(translator(state.lang)('pageTitle'));
  },

  async lookup(event) {
    event.preventDefault();
    if (state.busy) return;
    const f = state.lookupForm;
    const errors = {};
    if (!f.orderNumber.trim()) errors.orderNumber = 'needOrderNumber';
    if (!f.contact.trim()) errors.contact = 'needContact';
    state.message = null;
    state.fieldErrors = errors;
    if (Object.keys(errors).length) {
      render(errors.orderNumber ? '#order-number' : '#contact');
      return;
    }
    const request = { orderNumber: f.orderNumber.trim(), ...contactOf(f.contact) };
    state.busy = true;
    render();
    const res = await api.lookup(shopId, request);
    state.busy = false;
    if (res.status === 200) {
      state.order = res.body;
      state.lookup = request;
      state.returnForm = emptyReturnForm();
      await go('#/order');
      announce(translator(state.lang)('orderHeading', { number: res.body.number ?? res.body.orderId }));
      return;
    }
    state.message = res.status === 404 ? error('notFound') : failure(res);
    render('#message');
  },

  startReturn() {
    state.returnForm = emptyReturnForm();
    // One item bought: it is the one.
    if (state.order.lines.length === 1) act.pickLine(state.order.lines[0].lineId, true, false);
    return go('#/return');
  },

  pickLine(lineId, picked, again = true) {
    const f = state.returnForm;
    f.picked[lineId] = picked;
    if (picked && !f.quantity[lineId]) f.quantity[lineId] = 1;
    if (state.fieldErrors) delete state.fieldErrors.lines;
    if (again) render();
  },

  chooseReason(reason) {
    const f = state.returnForm;
    f.reason = reason;
    const offer = offerFor(state.shop, reason);
    if (!offer.types.includes(f.type)) f.type = offer.types.length === 1 ? offer.types[0] : '';
    act.fitResolution();
    if (state.fieldErrors) delete state.fieldErrors.reason;
    render();
  },

  chooseType(type) {
    state.returnForm.type = type;
    act.fitResolution();
    if (state.fieldErrors) delete state.fieldErrors.type;
    render();
  },

  chooseResolution(resolution) {
    state.returnForm.resolution = resolution;
    if (state.fieldErrors) delete state.fieldErrors.resolution;
  },

  /** Keeps the resolution among those the reason allows, the first one preselected. */
  fitResolution() {
    const f = state.returnForm;
    const { resolutions } = offerFor(state.shop, f.reason);
    if (!needsResolution(f.type)) f.resolution = '';
    else if (!resolutions.includes(f.resolution)) f.resolution = resolutions[0] ?? '';
  },

  async submitReturn(event) {
    event.preventDefault();
    if (state.busy) return;
    const f = state.returnForm;
    const lines = state.order.lines.filter((l) => f.picked[l.lineId]);
    const offer = offerFor(state.shop, f.reason);
    const errors = {};
    if (!lines.length) errors.lines = 'needItem';
    if (!f.reason) errors.reason = 'needReason';
    else if (!offer.types.includes(f.type)) errors.type = 'needType';
    else if (needsResolution(f.type) && offer.resolutions.length && !f.resolution)
      errors.resolution = 'needResolution';
    if (f.type === 'exchange') {
      state.order.lines.forEach((l, i) => {
        if (f.picked[l.lineId] && !f.variant[l.lineId]?.trim()) errors[`variant-${i}`] = 'needVariant';
      });
    }
    state.message = null;
    state.fieldErrors = errors;
    const first = Object.keys(errors)[0];
    if (first) {
      const target = {
        lines: '#pick-0',
        reason: '#reason',
        type: '#type-group input',
        resolution: '#resolution-group input',
      }[first];
      render(target ?? `#${first}`);
      return;
    }
    const note = f.note.trim();
    const body = {
      shopId,
      orderNumber: state.lookup.orderNumber,
      ...(state.lookup.email !== undefined ? { email: state.lookup.email } : { phone: state.lookup.phone }),
      type: f.type,
      lines: lines.map((l) => ({
        lineId: l.lineId,
        quantity: Math.min(f.quantity[l.lineId] ?? 1, l.quantity),
        reason: f.reason,
        ...(note && { note }),
        ...(f.type === 'exchange' && { exchangeFor: { variantId: f.variant[l.lineId].trim() } }),
      })),
      ...(needsResolution(f.type) && f.resolution && { resolution: f.resolution }),
    };
    state.busy = true;
    render();
    const res = await api.fileRequest(body);
    state.busy = false;
    if (res.status === 200 || res.status === 201) {
      const intake = res.body;
      tokens.put(shopId, intake.caseId, intake.customerToken);
      if (!state.order.cases.some((c) => c.caseId === intake.caseId)) {
        state.order.cases.push({
          caseId: intake.caseId,
          number: intake.number,
          type: f.type,
          status: intake.status,
          requestedAt: new Date().toISOString(),
          customerToken: intake.customerToken,
        });
      }
      state.returnForm = emptyReturnForm();
      state.justFiled = intake;
      return go(`#/case/${intake.caseId}`, { replace: true });
    }
    state.message =
      res.status === 422 ? refusal(res.body) : res.status === 404 ? error('notFound') : failure(res);
    render('#message');
  },

  openCase(c) {
    tokens.put(shopId, c.caseId, c.customerToken);
    return go(`#/case/${c.caseId}`);
  },

  async registerReturn(event) {
    event.preventDefault();
    if (state.busy) return;
    const f = state.shipmentForm;
    // Receipts print tracking numbers in groups: the spaces are not part of it.
    const trackingNumber = f.trackingNumber.replace(/\s+/g, '');
    state.message = null;
    state.fieldErrors = {};
    if (!trackingNumber) state.fieldErrors.trackingNumber = 'needTracking';
    else if (!/^[A-Za-z0-9-]{1,64}$/.test(trackingNumber)) state.fieldErrors.trackingNumber = 'badTracking';
    if (state.fieldErrors.trackingNumber) {
      render('#return-tracking');
      return;
    }
    const body = { trackingNumber, ...(f.carrier.trim() && { carrier: f.carrier.trim() }) };
    state.busy = true;
    render();
    const res = await api.registerReturn(state.caseId, tokens.get(shopId, state.caseId), body);
    state.busy = false;
    if (res.status === 200) {
      showCase(res.body);
      state.shipmentForm = { carrier: '', trackingNumber: '' };
      state.message = info('shipmentSaved');
      render('#message');
      startPolling();
      return;
    }
    if (res.status === 409) {
      state.message = error('tooLate');
      await refresh(false);
    } else if (res.status === 400) {
      state.fieldErrors.trackingNumber = 'badTracking';
      render('#return-tracking');
      return;
    } else state.message = res.status === 401 ? error('caseUnavailable') : failure(res);
    render('#message');
  },

  askWithdraw() {
    state.confirmWithdraw = true;
    render('#withdraw-no');
  },

  keepCase() {
    state.confirmWithdraw = false;
    render('#withdraw');
  },

  async withdraw() {
    if (state.busy) return;
    state.busy = true;
    render();
    const res = await api.cancel(state.caseId, tokens.get(shopId, state.caseId));
    state.busy = false;
    state.confirmWithdraw = false;
    if (res.status === 200) {
      showCase(res.body);
      state.message = info('withdrawn');
      stopPolling();
    } else if (res.status === 409) {
      state.message = error('tooLate');
      await refresh(false);
    } else state.message = res.status === 401 ? error('caseUnavailable') : failure(res);
    render('#message');
  },

  refresh: () => refresh(true),

  backToOrder: () => go('#/order'),

  anotherOrder() {
    state.order = null;
    state.lookup = null;
    state.lookupForm = { orderNumber: '', contact: '' };
    return go('');
  },
};

// ---- Start --------------------------------------------------------------------------------------

window.addEventListener('popstate', () => route(true));

async function start() {
  state.view = 'loading';
  render();
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(shopId)) return notice('pageTitle', error('shopUnavailable'));
  const res = await api.shop(shopId);
  if (res.status === 404) return notice('pageTitle', error('shopUnavailable'));
  if (res.status !== 200) return notice('pageTitle', { ...failure(res), retry: start });
  state.shop = res.body;
  // A language neither the browser nor the customer picked: the shop's.
  state.lang = pickLanguage(saved, browserLanguages, state.shop.locale);
  await route(false);
}

start();
