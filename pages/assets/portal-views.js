import { h, pair, time } from './portal-dom.js';

/*
 * What each screen shows, from the state alone: render(state, t, act) returns the nodes, and
 * `act` holds what the controls do (portal.js). Rendering twice gives the same page, so a language
 * switch or a poll simply renders again; what the customer types lives in the state.
 */

/** The statuses' tones, for the badge colour (the words carry the meaning, never the colour alone). */
const TONE = {
  delivered: 'ok',
  refunded: 'ok',
  resolved: 'ok',
  approved: 'ok',
  closed: 'muted',
  cancelled: 'muted',
  expired: 'muted',
  pending: 'muted',
  failed_attempt: 'warn',
  exception: 'warn',
  available_for_pickup: 'warn',
  returning: 'warn',
  returned: 'bad',
  rejected: 'bad',
};

export function badge(status, words) {
  return h('span', { class: ['badge', `tone-${TONE[status] ?? 'progress'}`], 'data-status': status }, words);
}

/** The refund-carrying types: they take a resolution. */
const REFUND_TYPES = ['return_refund', 'refund_only'];

/** The steps of each type's normal course (docs/cases.md "The flow"), for the progress list. */
const STEPS = {
  return_refund: ['requested', 'awaiting_return', 'return_in_transit', 'return_received', 'refunded'],
  exchange: [
    'requested',
    'awaiting_return',
    'return_in_transit',
    'return_received',
    'replacement_shipped',
    'resolved',
  ],
  repair: [
    'requested',
    'awaiting_return',
    'return_in_transit',
    'return_received',
    'replacement_shipped',
    'resolved',
  ],
  refund_only: ['requested', 'approved', 'refunded'],
  reship: ['requested', 'approved', 'replacement_shipped', 'resolved'],
};
/** Where statuses off the main line sit on it. */
const STEP_OF = { pending_review: 'requested', inspected: 'return_received' };

function message(state) {
  const m = state.message;
  if (!m) return null;
  return h(
    'div',
    {
      id: 'message',
      class: ['message', m.kind === 'error' ? 'message-error' : 'message-info'],
      role: m.kind === 'error' ? 'alert' : 'status',
      tabindex: '-1',
    },
    m.title ? h('p', { class: 'message-title' }, m.title) : null,
    h('p', null, m.text),
    m.details?.length
      ? h(
          'ul',
          { class: 'message-details' },
          m.details.map((d) => h('li', null, d)),
        )
      : null,
    m.retry ? h('button', { type: 'button', class: 'secondary', onclick: m.retry }, m.retryLabel) : null,
  );
}

function heading(text) {
  return h('h2', { id: 'view-heading', tabindex: '-1' }, text);
}

function field({ id, label, hint, error, input }) {
  return h(
    'div',
    { class: ['field', error && 'field-invalid'] },
    h('label', { for: id }, label),
    hint ? h('p', { id: `${id}-hint`, class: 'hint' }, hint) : null,
    error ? h('p', { id: `${id}-error`, class: 'field-error' }, error) : null,
    input,
  );
}

const describedBy = (id, { hint, error }) =>
  [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;

// ---- The header ---------------------------------------------------------------------------------

export function header(state, t, act) {
  return h(
    'div',
    { class: 'top-inner' },
    h(
      'div',
      { class: 'brand' },
      h('h1', { class: 'shop-name' }, state.shop?.name ?? t('pageTitle')),
      h('p', { class: 'tagline' }, state.shop ? t('tagline') : ''),
    ),
    h(
      'button',
      {
        id: 'lang-switch',
        type: 'button',
        class: 'lang',
        lang: state.lang === 'en' ? 'zh-CN' : 'en',
        'aria-label': t('switchLabel'),
        onclick: act.switchLanguage,
      },
      t('switchTo'),
    ),
  );
}

// ---- Find the order -----------------------------------------------------------------------------

export function lookupView(state, t, act) {
  const f = state.lookupForm;
  const err = state.fieldErrors ?? {};
  return h(
    'section',
    { class: 'view', 'aria-labelledby': 'view-heading' },
    heading(t('lookupHeading')),
    h('p', { class: 'lead' }, t('lookupIntro')),
    message(state),
    h(
      'form',
      { id: 'lookup-form', class: 'card form', novalidate: true, onsubmit: act.lookup },
      field({
        id: 'order-number',
        label: t('orderNumber'),
        hint: t('orderNumberHint'),
        error: err.orderNumber && t(err.orderNumber),
        input: h('input', {
          id: 'order-number',
          name: 'orderNumber',
          autocomplete: 'off',
          autocapitalize: 'characters',
          spellcheck: 'false',
          required: true,
          maxlength: '65',
          value: f.orderNumber,
          'aria-invalid': err.orderNumber ? 'true' : undefined,
          'aria-describedby': describedBy('order-number', { hint: true, error: err.orderNumber }),
          oninput: (e) => {
            f.orderNumber = e.target.value;
          },
        }),
      }),
      field({
        id: 'contact',
        label: t('contact'),
        hint: t('contactHint'),
        error: err.contact && t(err.contact),
        input: h('input', {
          id: 'contact',
          name: 'contact',
          autocomplete: 'email',
          spellcheck: 'false',
          autocapitalize: 'off',
          required: true,
          maxlength: '320',
          value: f.contact,
          'aria-invalid': err.contact ? 'true' : undefined,
          'aria-describedby': describedBy('contact', { hint: true, error: err.contact }),
          oninput: (e) => {
            f.contact = e.target.value;
          },
        }),
      }),
      h(
        'button',
        { type: 'submit', class: 'primary', disabled: state.busy },
        state.busy ? t('working') : t('find'),
      ),
    ),
  );
}

// ---- The order: parcels, items, requests --------------------------------------------------------

function checkpoints(parcel, t) {
  const list = [...parcel.checkpoints].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  if (!list.length) return h('p', { class: 'muted' }, t('noCheckpoints'));
  return h(
    'ol',
    { class: 'checkpoints' },
    list.map((c, i) =>
      h(
        'li',
        { class: ['checkpoint', i === 0 && 'checkpoint-latest'] },
        h(
          'p',
          { class: 'checkpoint-head' },
          time(c.at, t.when(c.at)),
          ' · ',
          t.words('shipmentStatus', c.status),
        ),
        h('p', { class: 'checkpoint-message' }, c.message),
        c.location ? h('p', { class: 'checkpoint-location' }, c.location) : null,
      ),
    ),
  );
}

function parcelCard(parcel, n, t) {
  const title = parcel.direction === 'return' ? t('parcelReturn') : t('parcelOutbound', { n });
  const headingId = `parcel-${n}`;
  return h(
    'article',
    { class: 'card parcel', 'aria-labelledby': headingId, 'data-tracking': parcel.trackingNumber },
    h(
      'div',
      { class: 'card-head' },
      h('h3', { id: headingId }, title),
      badge(parcel.status, t.words('shipmentStatus', parcel.status)),
    ),
    h(
      'dl',
      { class: 'pairs' },
      pair(t('carrier'), parcel.carrier ? parcel.carrier.toUpperCase() : ''),
      pair(t('trackingNumber'), h('span', { class: 'code' }, parcel.trackingNumber)),
      pair(t('shipped'), parcel.shippedAt && time(parcel.shippedAt, t.when(parcel.shippedAt))),
      !parcel.deliveredAt && parcel.expectedDelivery
        ? pair(t('expected'), time(parcel.expectedDelivery, t.expectedDay(parcel.expectedDelivery)))
        : null,
      pair(t('delivered'), parcel.deliveredAt && time(parcel.deliveredAt, t.when(parcel.deliveredAt))),
    ),
    h('h4', null, t('history')),
    checkpoints(parcel, t),
  );
}

function lineTitle(line) {
  return line.variantTitle ? `${line.title} (${line.variantTitle})` : line.title;
}

export function orderView(state, t, act) {
  const o = state.order;
  const currency = o.currency;
  const outbound = o.parcels.filter((p) => p.direction !== 'return');
  const returns = o.parcels.filter((p) => p.direction === 'return');
  const canRequest = Boolean(state.shop?.reasons?.length) && o.lines.length > 0;
  return h(
    'section',
    { class: 'view', 'aria-labelledby': 'view-heading' },
    heading(t('orderHeading', { number: o.number ?? o.orderId })),
    message(state),
    h(
      'dl',
      { class: 'pairs summary' },
      pair(t('orderStatus'), badge(o.status, t.words('orderStatusWords', o.status))),
      pair(t('placedOn'), o.placedAt && time(o.placedAt, t.when(o.placedAt))),
      pair(t('deliveredOn'), o.deliveredAt && time(o.deliveredAt, t.when(o.deliveredAt))),
    ),
    canRequest
      ? h(
          'button',
          { type: 'button', id: 'start-return', class: 'primary wide', onclick: act.startReturn },
          t('startReturn'),
        )
      : null,
    o.cases.length
      ? h(
          'section',
          { class: 'block', 'aria-labelledby': 'cases-heading' },
          h('h3', { id: 'cases-heading' }, t('casesHeading')),
          h(
            'ul',
            { class: 'cases' },
            o.cases.map((c) =>
              h(
                'li',
                { class: 'card case-row' },
                h(
                  'div',
                  null,
                  h('p', { class: 'case-row-title' }, `${c.number ?? ''} · ${t.words('caseTypes', c.type)}`),
                  h('p', { class: 'muted' }, t('requestedOn', { date: t.day(c.requestedAt) })),
                  badge(c.status, t.words('caseStatusWords', c.status)),
                ),
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'secondary',
                    'aria-label': t('open', { number: c.number ?? '' }),
                    onclick: () => act.openCase(c),
                  },
                  t('openShort'),
                ),
              ),
            ),
          ),
        )
      : null,
    h(
      'section',
      { class: 'block', 'aria-labelledby': 'parcels-heading' },
      h('h3', { id: 'parcels-heading' }, t('parcelsHeading')),
      o.parcels.length
        ? [
            ...outbound.map((p, i) => parcelCard(p, i + 1, t)),
            ...returns.map((p, i) => parcelCard(p, outbound.length + i + 1, t)),
          ]
        : h('p', { class: 'muted' }, t('noParcels')),
    ),
    h(
      'section',
      { class: 'block', 'aria-labelledby': 'items-heading' },
      h('h3', { id: 'items-heading' }, t('itemsHeading')),
      h(
        'ul',
        { class: 'items' },
        o.lines.map((l) =>
          h(
            'li',
            { class: 'item' },
            h('p', { class: 'item-title' }, lineTitle(l)),
            h(
              'p',
              { class: 'muted' },
              t('quantityOf', { n: l.quantity }),
              ' · ',
              t('each', { price: t.money(l.unitPrice, currency) }),
            ),
            h('p', { class: 'item-total' }, t.money(l.total, currency)),
          ),
        ),
      ),
    ),
    h('button', { type: 'button', class: 'link', onclick: act.anotherOrder }, t('anotherOrder')),
  );
}

// ---- The request form ---------------------------------------------------------------------------

/** What the policy offers for a reason: its types (among the shop's) and resolutions. */
export function offerFor(shop, reason) {
  const rule = shop?.reasons?.find((r) => r.reason === reason);
  if (!rule) return { types: [], resolutions: [] };
  return { types: rule.types.filter((type) => shop.caseTypes.includes(type)), resolutions: rule.resolutions };
}

export function needsResolution(type) {
  return REFUND_TYPES.includes(type);
}

function radios({ name, legend, options, value, error, onchange }) {
  return h(
    'fieldset',
    { class: ['field', 'choices', error && 'field-invalid'], id: `${name}-group` },
    h('legend', null, legend),
    error ? h('p', { class: 'field-error', id: `${name}-error` }, error) : null,
    options.map(([option, label]) =>
      h(
        'div',
        { class: 'choice' },
        h('input', {
          type: 'radio',
          id: `${name}-${option}`,
          name,
          value: option,
          checked: value === option,
          'aria-describedby': error ? `${name}-error` : undefined,
          onchange: () => onchange(option),
        }),
        h('label', { for: `${name}-${option}` }, label),
      ),
    ),
  );
}

export function returnView(state, t, act) {
  const o = state.order;
  const f = state.returnForm;
  const err = state.fieldErrors ?? {};
  const offer = offerFor(state.shop, f.reason);
  const reasons = state.shop.reasons;
  return h(
    'section',
    { class: 'view', 'aria-labelledby': 'view-heading' },
    heading(t('returnHeading')),
    h('p', { class: 'lead' }, t('returnIntro')),
    message(state),
    h(
      'form',
      { id: 'return-form', class: 'card form', novalidate: true, onsubmit: act.submitReturn },
      h(
        'fieldset',
        { class: ['field', err.lines && 'field-invalid'], id: 'lines-group' },
        h('legend', null, t('whichItems')),
        err.lines ? h('p', { class: 'field-error', id: 'lines-error' }, t(err.lines)) : null,
        o.lines.map((l, i) => {
          const picked = Boolean(f.picked[l.lineId]);
          const title = lineTitle(l);
          return h(
            'div',
            { class: ['line-choice', picked && 'line-picked'] },
            h(
              'div',
              { class: 'choice' },
              h('input', {
                type: 'checkbox',
                id: `pick-${i}`,
                checked: picked,
                'aria-describedby': err.lines ? 'lines-error' : undefined,
                onchange: (e) => act.pickLine(l.lineId, e.target.checked),
              }),
              h(
                'label',
                { for: `pick-${i}` },
                title,
                h('span', { class: 'muted' }, ` · ${t.money(l.unitPrice, o.currency)}`),
              ),
            ),
            picked && l.quantity > 1
              ? field({
                  id: `qty-${i}`,
                  label: t('howMany', { item: title }),
                  input: h(
                    'select',
                    {
                      id: `qty-${i}`,
                      value: f.quantity[l.lineId] ?? 1,
                      onchange: (e) => {
                        f.quantity[l.lineId] = Number(e.target.value);
                      },
                    },
                    Array.from({ length: l.quantity }, (_, k) =>
                      h('option', { value: k + 1 }, String(k + 1)),
                    ),
                  ),
                })
              : null,
            picked && f.type === 'exchange'
              ? field({
                  id: `variant-${i}`,
                  label: t('variant', { item: title }),
                  hint: t('variantHint'),
                  error: err[`variant-${i}`] && t(err[`variant-${i}`]),
                  input: h('input', {
                    id: `variant-${i}`,
                    maxlength: '128',
                    required: true,
                    value: f.variant[l.lineId] ?? '',
                    'aria-invalid': err[`variant-${i}`] ? 'true' : undefined,
                    'aria-describedby': describedBy(`variant-${i}`, {
                      hint: true,
                      error: err[`variant-${i}`],
                    }),
                    oninput: (e) => {
                      f.variant[l.lineId] = e.target.value;
                    },
                  }),
                })
              : null,
          );
        }),
      ),
      field({
        id: 'reason',
        label: t('reason'),
        error: err.reason && t(err.reason),
        input: h(
          'select',
          {
            id: 'reason',
            required: true,
            value: f.reason,
            'aria-invalid': err.reason ? 'true' : undefined,
            'aria-describedby': describedBy('reason', { error: err.reason }),
            onchange: (e) => act.chooseReason(e.target.value),
          },
          h('option', { value: '' }, t('choose')),
          reasons.map((r) => h('option', { value: r.reason }, t.words('reasons', r.reason))),
        ),
      }),
      f.reason && offer.types.length === 0 ? h('p', { class: 'field-error' }, t('noTypes')) : null,
      f.reason && offer.types.length
        ? radios({
            name: 'type',
            legend: t('type'),
            options: offer.types.map((type) => [type, t.words('caseTypes', type)]),
            value: f.type,
            error: err.type && t(err.type),
            onchange: act.chooseType,
          })
        : null,
      f.type && needsResolution(f.type) && offer.resolutions.length
        ? radios({
            name: 'resolution',
            legend: t('resolution'),
            options: offer.resolutions.map((r) => [r, t.words('resolutions', r)]),
            value: f.resolution,
            error: err.resolution && t(err.resolution),
            onchange: act.chooseResolution,
          })
        : null,
      field({
        id: 'note',
        label: t('note'),
        input: h('textarea', {
          id: 'note',
          rows: '3',
          maxlength: '2000',
          value: f.note,
          oninput: (e) => {
            f.note = e.target.value;
          },
        }),
      }),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          { type: 'submit', class: 'primary', disabled: state.busy },
          state.busy ? t('working') : t('send'),
        ),
        h('button', { type: 'button', class: 'secondary', onclick: act.backToOrder }, t('back')),
      ),
    ),
  );
}

// ---- A case -------------------------------------------------------------------------------------

function decisionPanel(c, t) {
  const d = c.decision;
  if (!d) return null;
  // A decision only says something while the case is where it put it; later the status speaks.
  if (d.action === 'review' && c.status !== 'pending_review') return null;
  const tone = { approve: 'approved', review: 'review', reject: 'rejected' }[d.action];
  const title = {
    approve: t('decisionApproved'),
    review: t('decisionReview'),
    reject: t('decisionRejected'),
  }[d.action];
  const text = {
    approve: t('decisionApprovedText'),
    review: t('decisionReviewText'),
    reject: t('decisionRejectedText'),
  }[d.action];
  return h(
    'div',
    { class: ['decision', `decision-${tone}`], id: 'decision', 'data-decision': d.action },
    h('p', { class: 'decision-title' }, title),
    h('p', null, text),
    // The reasons of a refusal are the shop's words to the customer; an approval's are its rule's.
    d.action === 'reject' && d.reasons.length
      ? h(
          'div',
          null,
          h('p', { class: 'decision-why' }, t('why')),
          h(
            'ul',
            null,
            d.reasons.map((r) => h('li', null, r)),
          ),
        )
      : null,
  );
}

function progress(c, t) {
  const steps = STEPS[c.type];
  if (!steps || ['rejected', 'cancelled'].includes(c.status)) return null;
  const at = c.status === 'closed' ? steps.length : steps.indexOf(STEP_OF[c.status] ?? c.status);
  if (at < 0 && c.status !== 'closed') return null;
  return h(
    'section',
    { class: 'block', 'aria-labelledby': 'progress-heading' },
    h('h3', { id: 'progress-heading', class: 'visually-hidden' }, t('progress')),
    h(
      'ol',
      { class: 'steps' },
      steps.map((s, i) =>
        h(
          'li',
          {
            class: ['step', i < at && 'step-done', i === at && 'step-current'],
            'aria-current': i === at ? 'step' : undefined,
          },
          h('span', { class: 'step-dot', 'aria-hidden': 'true' }, i < at ? '✓' : String(i + 1)),
          h('span', null, t.words('caseStatusWords', s)),
          h(
            'span',
            { class: 'visually-hidden' },
            i < at ? ` (${t('stepDone')})` : i === at ? ` (${t('stepCurrent')})` : '',
          ),
        ),
      ),
    ),
  );
}

function address(a) {
  const lines = [
    a.name,
    a.address1,
    a.address2,
    [a.district, a.city, a.province].filter(Boolean).join(', '),
    [a.postalCode, a.country].filter(Boolean).join(' '),
    a.phone,
  ].filter(Boolean);
  return h(
    'address',
    null,
    lines.map((l) => h('span', { class: 'address-line' }, l)),
  );
}

function instructionsPanel(c, t) {
  const r = c.returnInstructions;
  if (!r) return null;
  // Once the goods are on their way back, the how-to is history.
  const stillToSend = c.status === 'awaiting_return' && !c.returnParcel;
  return h(
    'section',
    {
      class: ['card', 'instructions', stillToSend && 'instructions-due'],
      'aria-labelledby': 'instructions-heading',
    },
    h('h3', { id: 'instructions-heading' }, t('instructionsHeading')),
    stillToSend && r.returnBy
      ? h(
          'p',
          { class: 'deadline', id: 'deadline' },
          h('span', { class: 'deadline-label' }, t('returnBy')),
          ' ',
          time(r.returnBy, h('strong', null, t.when(r.returnBy))),
        )
      : null,
    h(
      'dl',
      { class: 'pairs' },
      pair(t('rma'), r.rma && h('strong', { class: 'code rma' }, r.rma)),
      pair(t('returnAddress'), r.returnAddress && address(r.returnAddress)),
    ),
    r.instructions ? h('p', { class: 'shop-instructions' }, r.instructions) : null,
    h(
      'ul',
      { class: 'terms' },
      h('li', null, r.postagePaidBy === 'shop' ? t('postageShop') : t('postageBuyer')),
      r.mustBeIntact ? h('li', null, t('intact')) : null,
    ),
  );
}

function shipmentForm(state, t, act) {
  const f = state.shipmentForm;
  const err = state.fieldErrors ?? {};
  return h(
    'form',
    {
      id: 'shipment-form',
      class: 'card form',
      novalidate: true,
      onsubmit: act.registerReturn,
      'aria-labelledby': 'shipment-heading',
    },
    h('h3', { id: 'shipment-heading' }, t('shipmentHeading')),
    h('p', { class: 'muted' }, t('shipmentIntro')),
    field({
      id: 'return-carrier',
      label: t('returnCarrier'),
      input: h('input', {
        id: 'return-carrier',
        maxlength: '200',
        autocomplete: 'off',
        value: f.carrier,
        oninput: (e) => {
          f.carrier = e.target.value;
        },
      }),
    }),
    field({
      id: 'return-tracking',
      label: t('returnTracking'),
      error: err.trackingNumber && t(err.trackingNumber),
      input: h('input', {
        id: 'return-tracking',
        maxlength: '64',
        required: true,
        autocomplete: 'off',
        autocapitalize: 'characters',
        spellcheck: 'false',
        value: f.trackingNumber,
        'aria-invalid': err.trackingNumber ? 'true' : undefined,
        'aria-describedby': describedBy('return-tracking', { error: err.trackingNumber }),
        oninput: (e) => {
          f.trackingNumber = e.target.value;
        },
      }),
    }),
    h(
      'button',
      { type: 'submit', class: 'primary', disabled: state.busy },
      state.busy ? t('working') : t('saveShipment'),
    ),
  );
}

function parcelFacts(title, id, p, t) {
  if (!p) return null;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': id },
    h('h3', { id }, title),
    h(
      'dl',
      { class: 'pairs' },
      pair(t('carrier'), p.carrier),
      pair(t('trackingNumber'), h('span', { class: 'code' }, p.trackingNumber)),
      pair(t('registered'), time(p.registeredAt, t.when(p.registeredAt))),
      pair(t('firstScan'), p.scannedAt && time(p.scannedAt, t.when(p.scannedAt))),
      pair(t('delivered'), p.deliveredAt && time(p.deliveredAt, t.when(p.deliveredAt))),
    ),
  );
}

function withdraw(state, t, act) {
  if (!state.confirmWithdraw) {
    return h(
      'button',
      { type: 'button', id: 'withdraw', class: 'danger-outline', onclick: act.askWithdraw },
      t('withdraw'),
    );
  }
  return h(
    'div',
    { class: 'confirm', role: 'group', 'aria-labelledby': 'withdraw-question' },
    h('p', { id: 'withdraw-question' }, t('withdrawConfirm')),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        { type: 'button', id: 'withdraw-yes', class: 'danger', disabled: state.busy, onclick: act.withdraw },
        t('withdrawYes'),
      ),
      h(
        'button',
        { type: 'button', id: 'withdraw-no', class: 'secondary', onclick: act.keepCase },
        t('withdrawNo'),
      ),
    ),
  );
}

export function caseView(state, t, act) {
  const c = state.caseView;
  const titles = new Map((state.order?.lines ?? []).map((l) => [l.lineId, lineTitle(l)]));
  const timeline = [...c.timeline].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  return h(
    'section',
    { class: 'view', 'aria-labelledby': 'view-heading' },
    heading(t('caseHeading', { number: c.number ?? '' })),
    message(state),
    h(
      'p',
      { class: 'case-status', id: 'case-status' },
      h('span', { class: 'case-status-label' }, t('caseStatus')),
      ' ',
      badge(c.status, t.words('caseStatusWords', c.status)),
    ),
    decisionPanel(c, t),
    progress(c, t),
    instructionsPanel(c, t),
    c.actions.includes('register_return') ? shipmentForm(state, t, act) : null,
    parcelFacts(t('returnParcelHeading'), 'return-parcel-heading', c.returnParcel, t),
    parcelFacts(t('replacementHeading'), 'replacement-heading', c.replacement, t),
    c.refunds.length
      ? h(
          'section',
          { class: 'card', 'aria-labelledby': 'refunds-heading' },
          h('h3', { id: 'refunds-heading' }, t('refundsHeading')),
          h(
            'ul',
            null,
            c.refunds.map((r) =>
              h('li', null, t('refundLine', { amount: t.money(r.amount, r.currency), date: t.day(r.at) })),
            ),
          ),
        )
      : null,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'details-heading' },
      h('h3', { id: 'details-heading', class: 'visually-hidden' }, t('requestType')),
      h(
        'dl',
        { class: 'pairs' },
        pair(t('requestType'), t.words('caseTypes', c.type)),
        pair(t('requestedAt'), time(c.requestedAt, t.when(c.requestedAt))),
        pair(t('value'), c.amount !== undefined ? t.money(c.amount, c.currency) : ''),
        pair(t('refundTo'), c.resolution && t.words('resolutions', c.resolution)),
      ),
      h(
        'ul',
        { class: 'items' },
        c.lines.map((l) =>
          h(
            'li',
            { class: 'item' },
            h('p', { class: 'item-title' }, titles.get(l.lineId) ?? `#${l.lineId}`),
            h(
              'p',
              { class: 'muted' },
              t('quantityOf', { n: l.quantity }),
              l.reason ? ` · ${t.words('reasons', l.reason)}` : '',
              l.exchangeFor ? ` → ${l.exchangeFor.variantId}` : '',
            ),
          ),
        ),
      ),
    ),
    h(
      'section',
      { class: 'block', 'aria-labelledby': 'timeline-heading' },
      h('h3', { id: 'timeline-heading' }, t('timelineHeading')),
      h(
        'ol',
        { class: 'timeline' },
        timeline.map((e) =>
          h(
            'li',
            null,
            time(e.at, t.when(e.at)),
            h('span', { class: 'timeline-event' }, t.words('events', e.event)),
          ),
        ),
      ),
    ),
    h(
      'div',
      { class: 'refresh' },
      h(
        'button',
        {
          type: 'button',
          id: 'refresh',
          class: 'secondary',
          // Never disabled: a disabled button drops the keyboard's focus. A second click waits.
          'aria-busy': state.refreshing ? 'true' : undefined,
          onclick: act.refresh,
        },
        t('refresh'),
      ),
      state.checkedAt
        ? h('p', { class: 'muted', id: 'checked-at' }, t('updatedAt', { time: t.time(state.checkedAt) }))
        : null,
    ),
    c.actions.includes('cancel') ? withdraw(state, t, act) : null,
    state.order
      ? h('button', { type: 'button', class: 'link', onclick: act.backToOrder }, t('back'))
      : h('button', { type: 'button', class: 'link', onclick: act.anotherOrder }, t('backToLookup')),
  );
}

/** A screen with a message only: the shop is not there, or a case cannot be opened. */
export function noticeView(state, t, act) {
  return h(
    'section',
    { class: 'view', 'aria-labelledby': 'view-heading' },
    heading(state.noticeTitle ?? t('pageTitle')),
    message(state),
    state.shop
      ? h('button', { type: 'button', class: 'link', onclick: act.anotherOrder }, t('backToLookup'))
      : null,
  );
}
