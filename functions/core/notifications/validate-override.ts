import type { TemplateId } from '../../../schemas/notifications.ts';
import { type Locale, TemplateOverride } from '../../../schemas/notifications.ts';
import { TEMPLATE_CATALOG, type TemplateSpec } from './catalog.ts';
import { smsSignature, unsubscribeText } from './render-parts.ts';
import { MAX_SMS_SEGMENTS, smsSegments } from './sms.ts';
import { longestRendering, parseTemplate, type TemplateNode, variablesOf } from './template-language.ts';
import { formatVariable } from './values.ts';
import type { TemplateChannel } from './variables.ts';

/*
 * What the settings API calls when a shop saves its own version of a template: every problem, in
 * words the shop can act on, so that a template that saves is one that renders. An unknown variable
 * is an error now rather than a blank in a customer's message later.
 */

export interface ValidateOptions {
  /** The locale the override is for (the SMS signature and the labels differ); both when not given. */
  locale?: Locale;
  /** The shop's name as the signature will show it; the catalog's 20-character example when not given. */
  shopName?: string;
}

export interface PartSource {
  /** `email.subject`, `email.html`, `email.text`, `sms`, `chat.title`, `chat.text`. */
  label: string;
  channel: TemplateChannel;
  source: string;
  html?: boolean;
}

export function partsOf(override: TemplateOverride): PartSource[] {
  const parts: PartSource[] = [];
  if (override.email) {
    parts.push({ label: 'email.subject', channel: 'email', source: override.email.subject });
    parts.push({ label: 'email.html', channel: 'email', source: override.email.html, html: true });
    parts.push({ label: 'email.text', channel: 'email', source: override.email.text });
  }
  if (override.sms !== undefined) parts.push({ label: 'sms', channel: 'sms', source: override.sms });
  if (override.chat) {
    parts.push({ label: 'chat.title', channel: 'chat', source: override.chat.title });
    parts.push({ label: 'chat.text', channel: 'chat', source: override.chat.text });
  }
  return parts;
}

const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'background', 'poster', 'cite']);

/**
 * Placeholders in an HTML part must sit in text or inside a quoted attribute value, where escaping
 * makes them safe; a link's target must be a URL variable (those are http(s) only), and nothing
 * goes inside <script> or <style>.
 */
function htmlContextProblems(label: string, source: string, spec: TemplateSpec): string[] {
  const problems: string[] = [];
  for (const m of source.matchAll(/\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g)) {
    const at = m.index;
    const name = m[1]!;
    const before = source.slice(0, at).toLowerCase();
    const rawOpen = Math.max(before.lastIndexOf('<script'), before.lastIndexOf('<style'));
    const rawClose = Math.max(before.lastIndexOf('</script'), before.lastIndexOf('</style'));
    if (rawOpen > rawClose) {
      problems.push(`${label}: {{${name}}} cannot be used inside <script> or <style>`);
      continue;
    }
    const lt = before.lastIndexOf('<');
    if (lt <= before.lastIndexOf('>')) continue; // in text
    const inTag = source.slice(lt, at);
    let quote = '';
    let quoteAt = -1;
    for (let i = 0; i < inTag.length; i++) {
      const c = inTag[i]!;
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === '"' || c === "'") {
        quote = c;
        quoteAt = i;
      }
    }
    if (!quote) {
      problems.push(
        `${label}: {{${name}}} inside a tag must be in a quoted attribute value, as in href="{{${name}}}"`,
      );
      continue;
    }
    const attribute = /([A-Za-z-]+)\s*=\s*$/.exec(inTag.slice(0, quoteAt))?.[1]?.toLowerCase();
    const atStart = inTag.slice(quoteAt + 1).trim() === '';
    if (attribute && URL_ATTRIBUTES.has(attribute) && atStart && spec.variables[name]?.type !== 'url') {
      problems.push(`${label}: ${attribute}="{{${name}}}" needs a link variable; {{${name}}} is not one`);
    }
  }
  return problems;
}

/** Problems of one part's source: syntax, unknown variables, variables the part cannot use. */
export function partProblems(
  spec: TemplateSpec,
  part: PartSource,
): { nodes: TemplateNode[]; problems: string[] } {
  const { nodes, errors } = parseTemplate(part.source);
  const problems = errors.map((e) => `${part.label}: ${e}`);
  const { values, conditions } = variablesOf(nodes);
  const known = Object.keys(spec.variables);
  for (const name of new Set([...values, ...conditions])) {
    if (!name) continue;
    const v = spec.variables[name];
    if (!v) {
      problems.push(`${part.label}: unknown variable {{${name}}} (${spec.id} has ${known.join(', ')})`);
    } else if (v.channels && !v.channels.includes(part.channel)) {
      problems.push(
        `${part.label}: {{${name}}} is for ${v.channels.join(', ')} only${name === 'unsubscribe' ? ' (in email use {{unsubscribeUrl}})' : ''}`,
      );
    }
  }
  for (const name of values) {
    if (spec.variables[name]?.type === 'flag') {
      problems.push(`${part.label}: {{${name}}} is a condition: use it as {{#if ${name}}}...{{/if}}`);
    }
  }
  if (part.html) problems.push(...htmlContextProblems(part.label, part.source, spec));
  return { nodes, problems };
}

/** The longest text each variable can show in a locale: its example, or for a code its longest label. */
function sampleOf(spec: TemplateSpec, locale: Locale): (name: string) => string {
  const vars = Object.fromEntries(Object.entries(spec.variables).map(([n, v]) => [n, v.example[locale]]));
  const ctx = {
    locale,
    timeZone: locale === 'zh-CN' ? 'Asia/Shanghai' : 'America/New_York',
    vars,
    variables: spec.variables,
  };
  return (name) => {
    const v = spec.variables[name];
    if (v?.type === 'enum' && v.labels) {
      return Object.values(v.labels)
        .map((l) => l[locale])
        .reduce((a, b) => (b.length > a.length ? b : a), '');
    }
    if (name === 'unsubscribe') return unsubscribeText(locale);
    return formatVariable(name, ctx).text ?? '';
  };
}

function smsProblems(
  spec: TemplateSpec,
  source: string,
  nodes: TemplateNode[],
  options: ValidateOptions,
): string[] {
  const problems: string[] = [];
  if (!source.trim()) return ['sms: the text is empty'];
  if (/^\s*【/.test(source))
    problems.push('sms: leave out the 【signature】: it is put in front of every SMS');
  const locales: Locale[] = options.locale ? [options.locale] : ['zh-CN', 'en'];
  for (const locale of locales) {
    let body = longestRendering(nodes, sampleOf(spec, locale));
    if (spec.kind === 'marketing' && !variablesOf(nodes).values.has('unsubscribe')) {
      body = `${body}${locale === 'en' ? ' ' : ''}${unsubscribeText(locale)}`;
    }
    const full =
      smsSignature(options.shopName ?? String(spec.variables.shopName!.example[locale]), locale) + body;
    const segments = smsSegments(full);
    if (segments > MAX_SMS_SEGMENTS) {
      problems.push(
        `sms: with the signature and long values it takes ${segments} segments (${full.length} characters), more than ${MAX_SMS_SEGMENTS}${options.locale ? '' : ` (${locale})`}`,
      );
    }
  }
  return problems;
}

export function validateOverride(
  id: TemplateId,
  override: TemplateOverride,
  options: ValidateOptions = {},
): string[] {
  const spec = TEMPLATE_CATALOG[id];
  if (!spec) return [`unknown template "${id}"`];
  const parsed = TemplateOverride.safeParse(override);
  if (!parsed.success) {
    return parsed.error.issues.map((i) => `${i.path.join('.') || 'override'}: ${i.message}`);
  }
  const problems: string[] = [];
  for (const part of partsOf(parsed.data)) {
    if (!spec.channels.includes(part.channel)) {
      if (part.label.endsWith('.title') || part.label === 'sms' || part.label === 'email.subject') {
        problems.push(
          `${part.label.split('.')[0]}: ${id} has no ${part.channel} message (it has ${spec.channels.join(', ')})`,
        );
      }
      continue;
    }
    const { nodes, problems: own } = partProblems(spec, part);
    problems.push(...own);
    if (part.label !== 'sms' && !part.source.trim()) problems.push(`${part.label}: the text is empty`);
    if (part.label === 'email.subject' && /[\r\n]/.test(part.source)) {
      problems.push('email.subject: a subject is one line');
    }
    if (part.label === 'sms' && !own.length) problems.push(...smsProblems(spec, part.source, nodes, options));
  }
  return problems;
}
