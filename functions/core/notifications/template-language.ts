/*
 * The template language, deliberately tiny so a shop's template can be checked when it is saved and
 * can never run anything:
 *
 *   {{name}}                          a variable (HTML-escaped in an HTML part, as is elsewhere)
 *   {{#if name}} ... {{/if}}          kept when the variable has a value (a flag: when it is true)
 *   {{#if name}} ... {{else}} ... {{/if}}
 *   {{#unless name}} ... {{/unless}}  kept when it has none
 *
 * Names are letters, digits and `_`. There are no expressions, filters, partials or raw output:
 * formatting (money, dates, labels) belongs to the variable's type in the catalog, not the template.
 */

export type TemplateNode =
  | { kind: 'text'; text: string }
  | { kind: 'var'; name: string }
  | { kind: 'section'; op: 'if' | 'unless'; name: string; yes: TemplateNode[]; no: TemplateNode[] };

export interface ParsedTemplate {
  nodes: TemplateNode[];
  /** Syntax problems in words a shop can act on; a template with any is never rendered. */
  errors: string[];
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const TAG = /\{\{([\s\S]*?)\}\}/g;

interface Open {
  op: 'if' | 'unless';
  name: string;
  yes: TemplateNode[];
  no: TemplateNode[];
  inElse: boolean;
}

export function parseTemplate(source: string): ParsedTemplate {
  const errors: string[] = [];
  const root: TemplateNode[] = [];
  const stack: Open[] = [];
  const target = (): TemplateNode[] => {
    const top = stack.at(-1);
    if (!top) return root;
    return top.inElse ? top.no : top.yes;
  };
  const pushText = (text: string) => {
    if (!text) return;
    if (text.includes('{{'))
      errors.push(`"{{" without a closing "}}" near "${excerpt(text, text.indexOf('{{'))}"`);
    target().push({ kind: 'text', text });
  };

  let last = 0;
  for (const match of source.matchAll(TAG)) {
    pushText(source.slice(last, match.index));
    last = match.index + match[0].length;
    const inner = match[1]!.trim();
    const section = /^([#/])(\w+)(?:\s+(\S+))?$/.exec(inner);
    if (inner === 'else') {
      const top = stack.at(-1);
      if (!top) errors.push('{{else}} outside a {{#if}} or {{#unless}} section');
      else if (top.inElse) errors.push(`a second {{else}} in {{#${top.op} ${top.name}}}`);
      else top.inElse = true;
    } else if (NAME.test(inner)) {
      target().push({ kind: 'var', name: inner });
    } else if (section && section[1] === '#' && (section[2] === 'if' || section[2] === 'unless')) {
      const name = section[3];
      if (!name || !NAME.test(name)) {
        errors.push(`{{${inner}}} needs one variable name, as in {{#${section[2]} trackingUrl}}`);
      }
      stack.push({ op: section[2], name: name ?? '', yes: [], no: [], inElse: false });
    } else if (section && section[1] === '/' && !section[3]) {
      const top = stack.pop();
      if (!top) {
        errors.push(`{{/${section[2]}}} without a matching {{#${section[2]} ...}}`);
      } else {
        if (top.op !== section[2]) errors.push(`{{#${top.op} ${top.name}}} is closed by {{/${section[2]}}}`);
        target().push({ kind: 'section', op: top.op, name: top.name, yes: top.yes, no: top.no });
      }
    } else {
      errors.push(
        `{{${inner}}} is not a variable or a section (use {{name}}, {{#if name}}, {{#unless name}}, {{else}}, {{/if}}, {{/unless}})`,
      );
    }
  }
  pushText(source.slice(last));
  for (const open of stack.reverse()) errors.push(`{{#${open.op} ${open.name}}} is never closed`);
  return { nodes: root, errors };
}

function excerpt(text: string, at: number): string {
  return text.slice(Math.max(0, at - 10), at + 20).replace(/\s+/g, ' ');
}

/** Every variable a template names, in placeholders and in sections, with how it is used. */
export function variablesOf(nodes: TemplateNode[]): { values: Set<string>; conditions: Set<string> } {
  const values = new Set<string>();
  const conditions = new Set<string>();
  const walk = (list: TemplateNode[]) => {
    for (const node of list) {
      if (node.kind === 'var') values.add(node.name);
      if (node.kind === 'section') {
        if (node.name) conditions.add(node.name);
        walk(node.yes);
        walk(node.no);
      }
    }
  };
  walk(nodes);
  return { values, conditions };
}

export interface RenderScope {
  /** The variable's text, formatted for the locale; undefined when it has none. */
  value(name: string): string | undefined;
  /** Whether a section on the variable is kept. */
  present(name: string): boolean;
  /** Applied to every variable's text (HTML escaping in an HTML part, identity elsewhere). */
  escape(text: string): string;
}

export function renderNodes(nodes: TemplateNode[], scope: RenderScope): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'var') {
      const v = scope.value(node.name);
      if (v !== undefined) out += scope.escape(v);
    } else {
      const keep = scope.present(node.name) === (node.op === 'if');
      out += renderNodes(keep ? node.yes : node.no, scope);
    }
  }
  return out;
}

/**
 * The longest text a template can render, taking the longer branch of every section and the given
 * text for each variable: what an SMS is measured by when it is saved, before any real values exist.
 */
export function longestRendering(nodes: TemplateNode[], sample: (name: string) => string): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'var') out += sample(node.name);
    else {
      const a = longestRendering(node.yes, sample);
      const b = longestRendering(node.no, sample);
      out += a.length >= b.length ? a : b;
    }
  }
  return out;
}
