import type * as z from 'zod';
import { Policy } from '../../../schemas/policy.ts';
import { InvalidRequestError } from '../../lib/errors.ts';

/*
 * A policy document as the shop wrote it, checked before it is stored or evaluated. A bad one is a
 * 400 whose message names every offending path (`rules[0].when.all[1].op: ...`), and whose details
 * list them one by one.
 */

/** `rules[0].when.all[1].op` */
export function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    return text ? `${text}.${String(key)}` : String(key);
  }, '');
}

export function policyIssues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({ path: pathOf(issue.path) || '(document)', message: issue.message }));
}

export function parsePolicy(document: unknown): Policy {
  const parsed = Policy.safeParse(document);
  if (parsed.success) return parsed.data;
  const issues = policyIssues(parsed.error);
  throw new InvalidRequestError(
    `invalid policy: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    issues,
  );
}
