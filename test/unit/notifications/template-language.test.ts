import { describe, expect, it } from 'vitest';
import {
  longestRendering,
  parseTemplate,
  type RenderScope,
  renderNodes,
  variablesOf,
} from '../../../functions/core/notifications/template-language.ts';

const scope = (values: Record<string, string | boolean>): RenderScope => ({
  value: (n) => (typeof values[n] === 'string' ? (values[n] as string) : undefined),
  present: (n) => values[n] !== undefined && values[n] !== false && values[n] !== '',
  escape: (s) => s.toUpperCase(),
});

const render = (source: string, values: Record<string, string | boolean>) => {
  const { nodes, errors } = parseTemplate(source);
  expect(errors).toEqual([]);
  return renderNodes(nodes, scope(values));
};

describe('the template language', () => {
  it('fills placeholders through the part escape, and leaves absent ones empty', () => {
    expect(render('Hi {{ name }}, {{missing}}#{{n}}', { name: 'li', n: '1' })).toBe('Hi LI, #1');
  });

  it('keeps an if section when the variable has a value, else its else branch', () => {
    const source = '{{#if a}}A{{#if b}}B{{/if}}{{else}}none{{/if}}';
    expect(render(source, { a: 'x', b: 'y' })).toBe('AB');
    expect(render(source, { a: 'x' })).toBe('A');
    expect(render(source, {})).toBe('none');
    expect(render(source, { a: false, b: 'y' })).toBe('none');
  });

  it('keeps an unless section when the variable has no value', () => {
    expect(render('{{#unless a}}no a{{else}}a{{/unless}}', {})).toBe('no a');
    expect(render('{{#unless a}}no a{{else}}a{{/unless}}', { a: true })).toBe('a');
  });

  it('leaves text without tags alone, braces included', () => {
    expect(render('{ single } and }} closing', {})).toBe('{ single } and }} closing');
  });

  it('lists the variables a template uses as values and as conditions', () => {
    const { nodes } = parseTemplate('{{a}}{{#if b}}{{c}}{{else}}{{#unless d}}{{/unless}}{{/if}}');
    const { values, conditions } = variablesOf(nodes);
    expect([...values].sort()).toEqual(['a', 'c']);
    expect([...conditions].sort()).toEqual(['b', 'd']);
  });

  it('measures the longest rendering by the longer branch of each section', () => {
    const { nodes } = parseTemplate('x{{#if a}}{{v}}{{else}}shorter but long{{/if}}');
    expect(longestRendering(nodes, () => 'ab')).toBe('xshorter but long');
    expect(longestRendering(nodes, () => 'a much longer value')).toBe('xa much longer value');
  });
});
