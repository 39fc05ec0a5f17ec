import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_CATALOG } from '../../../functions/core/notifications/catalog.ts';
import { TemplateId } from '../../../schemas/notifications.ts';

const doc = readFileSync(resolve(import.meta.dirname, '../../../docs/notifications.md'), 'utf8');

describe('docs/notifications.md', () => {
  it('has a row for every template, with its kind', () => {
    const missing = TemplateId.options.filter(
      (id) => !doc.includes(`| \`${id}\` | ${TEMPLATE_CATALOG[id].kind} |`),
    );
    expect(missing).toEqual([]);
  });

  it('names every variable of the catalog', () => {
    const names = new Set(Object.values(TEMPLATE_CATALOG).flatMap((s) => Object.keys(s.variables)));
    expect([...names].filter((n) => !doc.includes(`| \`${n}\` |`))).toEqual([]);
  });
});
