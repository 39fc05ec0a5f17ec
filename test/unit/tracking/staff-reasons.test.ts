import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staffReasonOf } from '../../../functions/core/tracking/staff-reasons.ts';
import { TrackingProblem } from '../../../schemas/events.ts';
import { ShipmentStatus, StaffReasonCode } from '../../../schemas/names.ts';

describe('staffReasonOf', () => {
  it('is the problem itself for every staff problem, whatever the status', () => {
    for (const problem of TrackingProblem.options.filter((p) => p !== 'address_problem')) {
      for (const status of ShipmentStatus.options) expect(staffReasonOf(status, problem)).toBe(problem);
      expect(StaffReasonCode.options).toContain(problem);
    }
  });

  it('is returned_to_sender for any returned status, problem or not', () => {
    expect(staffReasonOf('returned', undefined)).toBe('returned_to_sender');
    expect(staffReasonOf('returned', 'address_problem')).toBe('returned_to_sender');
  });

  it('is nothing for an address problem (the customer can fix it) or no problem at all', () => {
    expect(staffReasonOf('exception', 'address_problem')).toBeUndefined();
    for (const status of ShipmentStatus.options.filter((s) => s !== 'returned')) {
      expect(staffReasonOf(status, undefined)).toBeUndefined();
    }
  });
});

describe('the core speaks no provider', () => {
  const root = resolve(import.meta.dirname, '..', '..', '..');
  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sources(path);
      return path.endsWith('.ts') ? [path] : [];
    });
  // Comments may say where a rule comes from; code and strings may not name a tracking provider or
  // carry one of their codes.
  const code = (file: string) =>
    readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');

  it.each(sources(join(root, 'functions', 'core')).map((f) => relative(root, f)))('%s', (file) => {
    const text = code(join(root, file));
    expect(text).not.toMatch(/aftership|17track|kuaidi100|easypost/i);
    expect(text).not.toMatch(/exception_|deliveryfailure_|status_detail|subtag/i);
  });
});
