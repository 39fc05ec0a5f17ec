import {
  type Locale,
  type RenderedMessage,
  type TemplateId,
  TemplateId as TemplateIds,
  type TemplateOverride,
} from '../../../schemas/notifications.ts';
import { DomainError } from '../../lib/errors.ts';
import { isTimeZone } from '../zone.ts';
import { frameOf } from './built-in.ts';
import { TEMPLATE_CATALOG, type TemplateSpec } from './catalog.ts';
import { escapeHtml } from './format.ts';
import { oneLine, smsSignature, tidySms, tidyText, unsubscribeText } from './render-parts.ts';
import { smsSegments } from './sms.ts';
import {
  parseTemplate,
  type RenderScope,
  renderNodes,
  type TemplateNode,
  variablesOf,
} from './template-language.ts';
import { partProblems, partsOf } from './validate-override.ts';
import { type FormatContext, type Formatted, formatVariable } from './values.ts';
import type { TemplateChannel } from './variables.ts';

/**
 * A message that cannot be rendered: a required variable missing, a shop template that no longer
 * checks. Retrying cannot help (422: permanent), the data or the template must change.
 */
export class TemplateError extends DomainError {
  override readonly statusCode = 422;
  override readonly code = 'template_error';
  readonly templateId: string;
  constructor(templateId: string, message: string) {
    super(`template ${templateId}: ${message}`);
    this.templateId = templateId;
  }
}

export interface RenderInput {
  /** pickLocale(customer's locale, shop's locale). */
  locale: Locale;
  /** The customer's IANA zone (else the shop's): dates are shown in it. */
  timeZone: string;
  shopName: string;
  /** The notice's data, with what the pipeline adds (the customer's name, the order number, links). */
  vars: Record<string, unknown>;
  /** The shop's own version of this template in this locale; the parts it gives replace the built-in ones. */
  override?: TemplateOverride;
}

/*
 * 1. check the template, the zone and the shop name
 * 2. format every declared variable (a required one missing is an error naming it)
 * 3. take each part from the override where it gives one, else the built-in text
 * 4. render each part: HTML-escaped values in the HTML, plain elsewhere; the SMS with its
 *    signature and (marketing) its opt-out; marketing email with its unsubscribe link
 */
export function renderTemplate(id: TemplateId, input: RenderInput): RenderedMessage {
  if (!TemplateIds.safeParse(id).success) throw new TemplateError(id, 'unknown template');
  const spec = TEMPLATE_CATALOG[id];
  const { locale, timeZone } = input;
  if (locale !== 'zh-CN' && locale !== 'en') throw new TemplateError(id, `unsupported locale "${locale}"`);
  if (!isTimeZone(timeZone)) throw new TemplateError(id, `unknown time zone "${timeZone}"`);
  const shopName = input.shopName?.trim();
  if (!shopName) throw new TemplateError(id, 'required variable "shopName" is missing');

  const ctx: FormatContext = { locale, timeZone, vars: input.vars, variables: spec.variables };
  const values = new Map<string, Formatted>();
  for (const [name, v] of Object.entries(spec.variables)) {
    if (v.auto) continue;
    const f = formatVariable(name, ctx);
    if (v.required && !f.present) {
      throw new TemplateError(
        id,
        `required variable "${name}" is ${f.invalid ? `invalid: ${f.invalid}` : 'missing'}`,
      );
    }
    values.set(name, f);
  }
  values.set('shopName', { text: shopName, present: true });
  if (spec.kind === 'marketing') values.set('unsubscribe', { text: unsubscribeText(locale), present: true });

  const parts = chooseParts(spec, locale, input.override);
  const scope = (escapeValue: (s: string) => string): RenderScope => ({
    value: (name) => values.get(name)?.text,
    present: (name) => values.get(name)?.present ?? false,
    escape: escapeValue,
  });
  const plain = scope((s) => s);
  const html = scope(escapeHtml);
  const render = (nodes: TemplateNode[], s: RenderScope) => renderNodes(nodes, s);

  const message: RenderedMessage = { templateId: id, locale };
  const marketing = spec.kind === 'marketing';
  const unsubscribeUrl = values.get('unsubscribeUrl')?.text;

  if (parts.email) {
    const subject = oneLine(render(parts.email.subject, plain));
    let htmlBody = render(parts.email.html, html);
    let textBody = tidyText(render(parts.email.text, plain));
    if (marketing && unsubscribeUrl) {
      const label = frameOf(locale).unsubscribeLabel;
      if (!mentions(parts.email.html, 'unsubscribeUrl')) {
        htmlBody = appendToBody(
          htmlBody,
          `<p><a href="${escapeHtml(unsubscribeUrl)}">${escapeHtml(label)}</a></p>\n`,
        );
      }
      if (!mentions(parts.email.text, 'unsubscribeUrl')) {
        textBody = `${textBody}\n\n${label}${frameOf(locale).linkSeparator}${unsubscribeUrl}`;
      }
    }
    message.email = { subject, html: htmlBody, text: textBody };
  }
  if (parts.sms) {
    let body = tidySms(render(parts.sms, plain));
    if (marketing && !mentions(parts.sms, 'unsubscribe')) {
      body = `${body}${locale === 'en' ? ' ' : ''}${unsubscribeText(locale)}`;
    }
    const text = smsSignature(shopName, locale) + body;
    message.sms = { text, segments: smsSegments(text) };
  }
  if (parts.chat) {
    const caseUrl = values.get('caseUrl')?.text;
    message.chat = {
      title: oneLine(render(parts.chat.title, plain)),
      text: tidyText(render(parts.chat.text, plain)),
      ...(caseUrl && { url: caseUrl }),
    };
  }
  return message;
}

interface Parts {
  email?: { subject: TemplateNode[]; html: TemplateNode[]; text: TemplateNode[] };
  sms?: TemplateNode[];
  chat?: { title: TemplateNode[]; text: TemplateNode[] };
}

/** The built-in parts, each replaced by the override's where it gives one; an override is checked again here. */
function chooseParts(spec: TemplateSpec, locale: Locale, override: TemplateOverride | undefined): Parts {
  const builtIn = spec.builtIn[locale];
  const problems: string[] = [];
  const parse = (
    source: string,
    label: string,
    channel: TemplateChannel,
    fromOverride: boolean,
    html = false,
  ) => {
    if (!fromOverride) return parseTemplate(source).nodes;
    const checked = partProblems(spec, { label, channel, source, html });
    problems.push(...checked.problems);
    return checked.nodes;
  };
  const has = (c: TemplateChannel) => spec.channels.includes(c);
  if (override) {
    for (const part of partsOf(override)) {
      if (!has(part.channel)) problems.push(`${part.label}: ${spec.id} has no ${part.channel} message`);
    }
  }
  const email = has('email') ? (override?.email ?? builtIn.email) : undefined;
  const fromEmailOverride = Boolean(override?.email);
  const sms = has('sms') ? (override?.sms ?? builtIn.sms) : undefined;
  const chat = has('chat') ? (override?.chat ?? builtIn.chat) : undefined;
  const parts: Parts = {
    ...(email && {
      email: {
        subject: parse(email.subject, 'email.subject', 'email', fromEmailOverride),
        html: parse(email.html, 'email.html', 'email', fromEmailOverride, true),
        text: parse(email.text, 'email.text', 'email', fromEmailOverride),
      },
    }),
    ...(sms !== undefined && { sms: parse(sms, 'sms', 'sms', override?.sms !== undefined) }),
    ...(chat && {
      chat: {
        title: parse(chat.title, 'chat.title', 'chat', Boolean(override?.chat)),
        text: parse(chat.text, 'chat.text', 'chat', Boolean(override?.chat)),
      },
    }),
  };
  if (problems.length)
    throw new TemplateError(spec.id, `the shop's template does not check: ${problems.join('; ')}`);
  return parts;
}

const mentions = (nodes: TemplateNode[], name: string) => {
  const { values, conditions } = variablesOf(nodes);
  return values.has(name) || conditions.has(name);
};

function appendToBody(html: string, fragment: string): string {
  const at = html.toLowerCase().lastIndexOf('</body>');
  return at < 0 ? `${html}${fragment}` : `${html.slice(0, at)}${fragment}${html.slice(at)}`;
}
