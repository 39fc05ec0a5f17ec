import { api } from './admin-api.js';
import { append, busy, button, field, h, input, select, uid } from './admin-dom.js';
import { label, t } from './admin-i18n.js';
import { flash } from './admin-ui.js';

/*
 * The shop's notification settings (GET/PUT /admin/settings `notifications`): quiet hours, caps,
 * the programs, VIP, the channels and the links. Each part the API knows replaces the shop's whole
 * part, so the form sends only the parts that differ from what it loaded: a manager who changes
 * the quiet hours cannot overwrite templates or channels someone else saved meanwhile.
 */

export const SEGMENTS = ['champions', 'loyal', 'recent', 'needs_attention', 'at_risk', 'inactive'];
const PRESETS = ['spring_festival', 'mid_autumn', 'double_eleven', 'christmas'];
const ALERT_KINDS = ['wecom', 'dingtalk', 'slack'];
const MAX_ALERTS = 5;
const MAX_HOLIDAYS = 30;

/** JSON with object keys sorted, so two parts compare equal whatever order their keys came in. */
export function stable(value) {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * Where the API's words about a field go: its issues' paths (zod, `details`), or the
 * `→ at notifications.email.from` lines of a message that has no details (the merged shop's check).
 */
export function apiProblems(err) {
  if (Array.isArray(err.details)) {
    return err.details.map((i) => ({
      path: (Array.isArray(i.path) ? i.path : []).map(String),
      message: String(i.message ?? ''),
    }));
  }
  const found = [];
  const re = /✖\s*(.+?)\n\s*→ at (\S+)/g;
  for (let m = re.exec(err.message); m; m = re.exec(err.message)) {
    found.push({ path: m[2].split('.'), message: m[1] });
  }
  return found;
}

function checkbox(name, text, checked) {
  const el = h('input', { type: 'checkbox', name, id: uid('c'), checked: Boolean(checked) });
  return { el, wrap: h('div', { class: 'field checkbox' }, el, h('label', { for: el.id }, text)) };
}

/** A group of checkboxes with its own legend; `read()` gives the values ticked. */
function checks(legend, options, selected, hint) {
  const boxes = options.map(([value, text]) => ({
    value,
    ...checkbox(value, text, selected.includes(value)),
  }));
  const errorEl = h('p', { class: 'field-error', hidden: true });
  const wrap = h(
    'fieldset',
    { class: 'field checks' },
    h('legend', {}, legend),
    hint ? h('p', { class: 'hint' }, hint) : null,
    h(
      'div',
      { class: 'check-row' },
      boxes.map((b) => b.wrap),
    ),
    errorEl,
  );
  wrap.setError = (message) => {
    errorEl.textContent = message ?? '';
    errorEl.hidden = !message;
  };
  return { wrap, read: () => boxes.filter((b) => b.el.checked).map((b) => b.value) };
}

function group(legend, ...content) {
  return h('fieldset', { class: 'group' }, h('legend', {}, legend), ...content);
}

export function notificationsForm({ settings, manager, onSaved }) {
  let loaded = settings.notifications;
  const n = loaded;
  const wraps = new Map();
  const reg = (path, wrap) => {
    wraps.set(path, wrap);
    return wrap;
  };
  const numbers = [];
  const num = (path, text, value, min, max, hint) => {
    const control = input({
      name: path,
      type: 'number',
      min: String(min),
      max: String(max),
      step: '1',
      inputmode: 'numeric',
      value: String(value ?? ''),
      class: 'short',
    });
    const wrap = reg(path, field({ label: text, control, hint, optionalMark: false }));
    numbers.push({ path, control, wrap });
    return { control, wrap };
  };
  const text = (path, labelText, value, { optional = true, ...props } = {}, hint) => {
    const control = input({ name: path, value: value ?? '', ...props });
    const wrap = reg(path, field({ label: labelText, control, hint, optionalMark: optional }));
    return { control, wrap };
  };
  const segments = (selected) =>
    checks(
      t('notif.segments'),
      SEGMENTS.map((s) => [s, label('segment', s)]),
      selected ?? [],
      t('notif.segmentsHint'),
    );

  // Quiet hours and caps.
  const quietStart = text('quietHours.start', t('notif.quietStart'), n.quietHours.start, {
    type: 'time',
    step: '60',
    class: 'short',
    optional: false,
  });
  const quietEnd = text('quietHours.end', t('notif.quietEnd'), n.quietHours.end, {
    type: 'time',
    step: '60',
    class: 'short',
    optional: false,
  });
  const exempt = checkbox(
    'exemptTransactional',
    t('notif.exemptTransactional'),
    n.quietHours.exemptTransactional,
  );
  const perDay = num('caps.perDay', t('notif.perDay'), n.caps.perDay, 0, 50);
  const perWeek = num('caps.perWeek', t('notif.perWeek'), n.caps.perWeek, 0, 100);

  // Programs.
  const p = n.programs;
  const reminderOn = checkbox('paymentReminder', t('notif.enabled'), p.paymentReminder.enabled);
  const reminderMinutes = num(
    'programs.paymentReminder.afterMinutes',
    t('notif.afterMinutes'),
    p.paymentReminder.afterMinutes,
    5,
    1440,
  );
  const dayPrograms = ['checkin', 'review', 'winback'].map((key) => ({
    key,
    on: checkbox(key, t('notif.enabled'), p[key].enabled),
    days: num(`programs.${key}.afterDays`, t(`notif.afterDays.${key}`), p[key].afterDays, 1, 3650),
    segments: segments(p[key].segments),
  }));
  for (const d of dayPrograms) reg(`programs.${d.key}.segments`, d.segments.wrap);
  const birthdayOn = checkbox('birthday', t('notif.enabled'), p.birthday.enabled);
  const birthdaySegments = segments(p.birthday.segments);
  reg('programs.birthday.segments', birthdaySegments.wrap);
  const holidaysOn = checkbox('holidays', t('notif.enabled'), p.holidays.enabled);
  const holidaySegments = segments(p.holidays.segments);
  reg('programs.holidays.segments', holidaySegments.wrap);
  const holidayList = h('ol', { class: 'rows' });
  const holidays = [];
  const addHoliday = h('button', { type: 'button', class: 'btn btn-small' }, t('notif.addHoliday'));
  const renumber = (rows, key) => {
    rows.forEach((r, i) => {
      r.remove.setAttribute('aria-label', t(key, { n: i + 1 }));
    });
  };
  const holidayRow = (value = { name: '', date: 'spring_festival' }) => {
    const preset = PRESETS.includes(value.date);
    const name = input({ name: 'holidayName', value: value.name });
    const kind = select(
      [...PRESETS.map((d) => [d, label('holiday', d)]), ['custom', t('notif.holidayCustom')]],
      { name: 'holidayDate', value: preset ? value.date : 'custom' },
    );
    const mmdd = input({
      name: 'holidayMmdd',
      value: preset ? '' : value.date,
      placeholder: 'MM-DD',
      maxlength: '5',
      inputmode: 'numeric',
      class: 'short',
    });
    const nameWrap = field({ label: t('notif.holidayName'), control: name, optionalMark: false });
    const kindWrap = field({ label: t('notif.holidayDate'), control: kind, optionalMark: false });
    const mmddWrap = field({
      label: t('notif.holidayMmdd'),
      control: mmdd,
      hint: t('notif.holidayMmddHint'),
      optionalMark: false,
    });
    const showMmdd = () => {
      mmddWrap.hidden = kind.value !== 'custom';
    };
    kind.addEventListener('change', showMmdd);
    showMmdd();
    const row = {
      name,
      kind,
      mmdd,
      nameWrap,
      kindWrap,
      mmddWrap,
      remove: button(
        t('notif.remove'),
        () => {
          holidays.splice(holidays.indexOf(row), 1);
          row.el.remove();
          renumber(holidays, 'notif.removeHoliday');
          addHoliday.disabled = holidays.length >= MAX_HOLIDAYS;
          addHoliday.focus();
        },
        'btn btn-ghost btn-small',
      ),
    };
    row.el = h('li', { class: 'row-fields' }, nameWrap, kindWrap, mmddWrap, row.remove);
    return row;
  };
  const pushHoliday = (value) => {
    const row = holidayRow(value);
    holidays.push(row);
    holidayList.append(row.el);
    renumber(holidays, 'notif.removeHoliday');
    addHoliday.disabled = holidays.length >= MAX_HOLIDAYS;
    return row;
  };
  for (const d of p.holidays.dates) pushHoliday(d);
  addHoliday.addEventListener('click', () => pushHoliday().name.focus());

  // VIP.
  const vipSegments = segments(n.vip.segments);
  reg('vip.segments', vipSegments.wrap);
  const vipTags = text('vip.tags', t('notif.vipTags'), n.vip.tags.join(', '), {}, t('notif.vipTagsHint'));

  // Channels.
  const e = n.email;
  const emailProvider = select(
    ['outbox', 'ses', 'smtp'].map((v) => [v, t(`provider.email.${v}`)]),
    { name: 'email.provider', value: e.provider },
  );
  reg(
    'email.provider',
    field({ label: t('notif.emailProvider'), control: emailProvider, optionalMark: false }),
  );
  const from = text(
    'email.from',
    t('notif.from'),
    e.from,
    { autocapitalize: 'off', spellcheck: 'false' },
    t('notif.fromHint'),
  );
  const replyTo = text('email.replyTo', t('notif.replyTo'), e.replyTo, {
    type: 'email',
    autocapitalize: 'off',
  });
  const configurationSet = text('email.configurationSet', t('notif.configurationSet'), e.configurationSet, {
    autocapitalize: 'off',
    spellcheck: 'false',
  });
  const smtpHost = text('email.smtp.host', t('notif.smtpHost'), e.smtp?.host, {
    autocapitalize: 'off',
    spellcheck: 'false',
    optional: false,
  });
  wraps.set('email.smtp', smtpHost.wrap);
  const smtpPort = num(
    'email.smtp.port',
    t('notif.smtpPort'),
    e.smtp?.port ?? 587,
    1,
    65535,
    t('notif.smtpPortHint'),
  );
  const smtpSecure = checkbox('smtpSecure', t('notif.smtpSecure'), e.smtp?.secure);
  const smtpUser = text(
    'email.smtp.user',
    t('notif.smtpUser'),
    e.smtp?.user,
    { autocapitalize: 'off' },
    t('notif.smtpUserHint'),
  );
  const sesOnly = h('div', { class: 'form-grid' }, configurationSet.wrap);
  const smtpOnly = h(
    'div',
    { class: 'form-grid' },
    smtpHost.wrap,
    smtpPort.wrap,
    smtpUser.wrap,
    smtpSecure.wrap,
  );
  const showEmail = () => {
    sesOnly.hidden = emailProvider.value !== 'ses';
    smtpOnly.hidden = emailProvider.value !== 'smtp';
  };
  emailProvider.addEventListener('change', showEmail);
  showEmail();

  const smsProvider = select(
    ['outbox', 'sns', 'webhook'].map((v) => [v, t(`provider.sms.${v}`)]),
    { name: 'sms.provider', value: n.sms.provider },
  );
  reg(
    'sms.provider',
    field({
      label: t('notif.smsProvider'),
      control: smsProvider,
      hint: t('notif.signature', { name: settings.name ?? settings.shopId }),
      optionalMark: false,
    }),
  );
  const senderId = text(
    'sms.senderId',
    t('notif.senderId'),
    n.sms.senderId,
    { maxlength: '11' },
    t('notif.senderIdHint'),
  );
  const webhookUrl = text(
    'webhook.url',
    t('notif.webhookUrl'),
    n.webhook?.url,
    {
      type: 'url',
      autocapitalize: 'off',
      spellcheck: 'false',
    },
    t('notif.webhookUrlHint'),
  );
  wraps.set('webhook', webhookUrl.wrap);
  const snsOnly = h('div', { class: 'form-grid' }, senderId.wrap);
  const showSms = () => {
    snsOnly.hidden = smsProvider.value !== 'sns';
  };
  smsProvider.addEventListener('change', showSms);
  showSms();

  const alertList = h('ol', { class: 'rows' });
  const alerts = [];
  const addAlert = h('button', { type: 'button', class: 'btn btn-small' }, t('notif.addAlert'));
  const pushAlert = (value = { kind: 'wecom', url: '' }) => {
    const kind = select(
      ALERT_KINDS.map((k) => [k, t(`alertKind.${k}`)]),
      { name: 'alertKind', value: value.kind },
    );
    const url = input({
      name: 'alertUrl',
      type: 'url',
      value: value.url,
      autocapitalize: 'off',
      spellcheck: 'false',
    });
    const row = {
      kind,
      url,
      kindWrap: field({ label: t('notif.alertKind'), control: kind, optionalMark: false }),
      urlWrap: field({ label: t('notif.alertUrl'), control: url, optionalMark: false }),
      remove: button(
        t('notif.remove'),
        () => {
          alerts.splice(alerts.indexOf(row), 1);
          row.el.remove();
          renumber(alerts, 'notif.removeAlert');
          addAlert.disabled = alerts.length >= MAX_ALERTS;
          addAlert.focus();
        },
        'btn btn-ghost btn-small',
      ),
    };
    row.urlWrap.classList.add('field-grow');
    row.el = h('li', { class: 'row-fields' }, row.kindWrap, row.urlWrap, row.remove);
    alerts.push(row);
    alertList.append(row.el);
    renumber(alerts, 'notif.removeAlert');
    addAlert.disabled = alerts.length >= MAX_ALERTS;
    return row;
  };
  for (const a of n.staffAlerts) pushAlert(a);
  addAlert.addEventListener('click', () => pushAlert().url.focus());

  const adminUrl = text(
    'adminUrl',
    t('notif.adminUrl'),
    n.adminUrl,
    { type: 'url', autocapitalize: 'off' },
    t('notif.adminUrlHint'),
  );
  const portalUrl = text(
    'portalUrl',
    t('notif.portalUrl'),
    n.portalUrl,
    { type: 'url', autocapitalize: 'off' },
    t('notif.portalUrlHint'),
  );

  const fieldset = h(
    'fieldset',
    { class: 'settings-form', disabled: !manager },
    h('legend', { class: 'sr-only' }, t('settings.notifications')),
    group(
      t('notif.quietHours'),
      h('p', { class: 'hint' }, t('notif.quietHoursHint')),
      h('div', { class: 'form-grid' }, quietStart.wrap, quietEnd.wrap, exempt.wrap),
    ),
    group(
      t('notif.caps'),
      h('p', { class: 'hint' }, t('notif.capsHint')),
      h('div', { class: 'form-grid' }, perDay.wrap, perWeek.wrap),
    ),
    group(
      t('notif.programs'),
      group(
        t('program.paymentReminder'),
        h('div', { class: 'form-grid' }, reminderOn.wrap, reminderMinutes.wrap),
      ),
      dayPrograms.map((d) =>
        group(
          t(`program.${d.key}`),
          h('div', { class: 'form-grid' }, d.on.wrap, d.days.wrap),
          d.segments.wrap,
        ),
      ),
      group(t('program.birthday'), h('div', { class: 'form-grid' }, birthdayOn.wrap), birthdaySegments.wrap),
      group(
        t('program.holidays'),
        h('div', { class: 'form-grid' }, holidaysOn.wrap),
        holidaySegments.wrap,
        h('h4', {}, t('notif.holidayDates')),
        holidayList,
        h('div', { class: 'buttons' }, addHoliday),
      ),
    ),
    group(t('notif.vip'), h('p', { class: 'hint' }, t('notif.vipHint')), vipSegments.wrap, vipTags.wrap),
    group(
      t('notif.channels'),
      h('p', { class: 'hint' }, t('notif.secretsHint')),
      group(
        t('notif.email'),
        h('div', { class: 'form-grid' }, wraps.get('email.provider'), from.wrap, replyTo.wrap),
        sesOnly,
        smtpOnly,
      ),
      group(
        t('notif.sms'),
        h('div', { class: 'form-grid' }, wraps.get('sms.provider')),
        snsOnly,
        h('div', { class: 'form-grid' }, webhookUrl.wrap),
      ),
      group(t('notif.staffAlerts'), alertList, h('div', { class: 'buttons' }, addAlert)),
    ),
    group(t('notif.links'), h('div', { class: 'form-grid' }, adminUrl.wrap, portalUrl.wrap)),
  );

  const problem = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', disabled: !manager }, t('notif.save'));
  const form = h(
    'form',
    { class: 'stack notifications-form', novalidate: true, 'aria-label': t('settings.notifications') },
    manager ? null : h('p', { class: 'notice' }, t('settings.managerOnly')),
    fieldset,
    problem,
    h('div', { class: 'buttons' }, save),
  );

  const clearErrors = () => {
    for (const w of wraps.values()) w.setError?.('');
    for (const r of holidays) for (const w of [r.nameWrap, r.kindWrap, r.mmddWrap]) w.setError('');
    for (const r of alerts) for (const w of [r.kindWrap, r.urlWrap]) w.setError('');
    problem.hidden = true;
    problem.replaceChildren();
  };

  /** The parts as the form has them now; undefined where a number is not one (marked). */
  const read = () => {
    let bad;
    const int = (entry) => {
      const raw = entry.control.value.trim();
      if (!/^\d+$/.test(raw)) {
        entry.wrap.setError(t('error.number'));
        bad ??= entry.control;
        return undefined;
      }
      return Number(raw);
    };
    const opt = (control) => control.value.trim() || undefined;
    const drop = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
    const parts = {
      quietHours: {
        start: quietStart.control.value,
        end: quietEnd.control.value,
        exemptTransactional: exempt.el.checked,
      },
      caps: { perDay: int(perDay), perWeek: int(perWeek) },
      programs: {
        paymentReminder: { enabled: reminderOn.el.checked, afterMinutes: int(reminderMinutes) },
        ...Object.fromEntries(
          dayPrograms.map((d) => [
            d.key,
            { enabled: d.on.el.checked, afterDays: int(d.days), segments: d.segments.read() },
          ]),
        ),
        birthday: { enabled: birthdayOn.el.checked, segments: birthdaySegments.read() },
        holidays: {
          enabled: holidaysOn.el.checked,
          segments: holidaySegments.read(),
          dates: holidays.map((r) => ({
            name: r.name.value.trim(),
            date: r.kind.value === 'custom' ? r.mmdd.value.trim() : r.kind.value,
          })),
        },
      },
      vip: {
        segments: vipSegments.read(),
        tags: vipTags.control.value
          .split(/[,，]/)
          .map((s) => s.trim())
          .filter(Boolean),
      },
      email: drop({
        provider: emailProvider.value,
        from: opt(from.control),
        replyTo: opt(replyTo.control),
        configurationSet: opt(configurationSet.control),
        // Kept whatever the provider, so switching to SES and back does not lose the SMTP server.
        smtp: smtpHost.control.value.trim()
          ? drop({
              host: smtpHost.control.value.trim(),
              port: int(smtpPort),
              secure: smtpSecure.el.checked,
              user: opt(smtpUser.control),
            })
          : undefined,
      }),
      sms: drop({ provider: smsProvider.value, senderId: opt(senderId.control) }),
      webhook: opt(webhookUrl.control) ? { url: opt(webhookUrl.control) } : undefined,
      staffAlerts: alerts.map((r) => ({ kind: r.kind.value, url: r.url.value.trim() })),
      adminUrl: opt(adminUrl.control),
      portalUrl: opt(portalUrl.control),
    };
    // The API cannot remove a link or the gateway once set (a part left out stays): say so here.
    for (const [key, wrap] of [
      ['webhook', webhookUrl.wrap],
      ['adminUrl', adminUrl.wrap],
      ['portalUrl', portalUrl.wrap],
    ]) {
      if (parts[key] === undefined && loaded[key] !== undefined) {
        wrap.setError(t('notif.cannotClear'));
        bad ??= wrap.querySelector('input');
      }
    }
    return { parts, bad };
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    const { parts, bad } = read();
    if (bad) return bad.focus();
    const changed = Object.fromEntries(
      Object.entries(parts).filter(
        ([key, value]) => value !== undefined && stable(value) !== stable(loaded[key]),
      ),
    );
    if (!Object.keys(changed).length) {
      flash(t('notif.unchanged'));
      return;
    }
    await busy(save, async () => {
      try {
        const saved = await api('PUT', '/admin/settings', { notifications: changed });
        loaded = saved.notifications;
        onSaved?.(saved);
        flash(t('notif.saved'));
      } catch (err) {
        if (err.status === 403) {
          flash(t('error.forbidden', { message: err.message }), 'error');
          return;
        }
        showProblems(err);
      }
    });
    if (!manager) save.disabled = true;
  });

  const showProblems = (err) => {
    const found = err.code === 'invalid_request' ? apiProblems(err) : [];
    let first;
    for (const { path, message } of found) {
      const at = path[0] === 'notifications' ? path.slice(1) : path;
      const wrap = wrapAt(at);
      if (wrap) {
        wrap.setError(message);
        first ??= wrap.querySelector('input, select, textarea');
      }
    }
    problem.replaceChildren();
    append(problem, [
      h('p', {}, found.length ? t('notif.invalid') : err.message),
      found.length
        ? h(
            'ul',
            {},
            found.map((f) => h('li', {}, h('code', {}, f.path.join('.') || '(root)'), ` ${f.message}`)),
          )
        : null,
    ]);
    problem.hidden = false;
    first?.focus();
  };

  /** The field an issue's path names, or the nearest one above it. */
  const wrapAt = (path) => {
    const [head, index, leaf] = [path.slice(0, 3).join('.'), Number(path[3]), path[4]];
    if (head === 'programs.holidays.dates' && holidays[index]) {
      const r = holidays[index];
      return leaf === 'name' ? r.nameWrap : r.kind.value === 'custom' ? r.mmddWrap : r.kindWrap;
    }
    if (path[0] === 'staffAlerts' && alerts[Number(path[1])]) {
      const r = alerts[Number(path[1])];
      return path[2] === 'kind' ? r.kindWrap : r.urlWrap;
    }
    for (let i = path.length; i > 0; i--) {
      const wrap = wraps.get(path.slice(0, i).join('.'));
      if (wrap) return wrap;
    }
    return undefined;
  };

  return form;
}
