import type * as z from 'zod';
import { CaseStatus } from '../../schemas/names.ts';
import type { DryRunReport } from '../../schemas/policy.ts';
import { Policy } from '../../schemas/policy.ts';
import { type DryRunSample, dryRun } from '../core/policy/dry-run.ts';
import { ForbiddenError, InvalidRequestError } from '../lib/errors.ts';
import { currentPolicy, policyInputForCase, shopSettingsOf } from './cases.ts';
import type { AppDeps, PolicyStore } from './ports.ts';

type PolicyDeps = Pick<AppDeps, 'shops' | 'reads' | 'clock'> & { policies: PolicyStore };

/** A draft as staff send it: validated against the policy schema, every issue named by its path. */
export function parsePolicy(document: unknown): Policy {
  const parsed = Policy.safeParse(document);
  if (!parsed.success) {
    throw new InvalidRequestError(
      'the policy is not valid',
      parsed.error.issues.map(({ path, message, code }) => ({ path, message, code })),
    );
  }
  return parsed.data;
}

/** The shop's policy as it applies now: its newest published version, or the default (version 0). */
export async function showPolicy(deps: PolicyDeps, shopId: string) {
  const shop = await shopSettingsOf(deps, shopId);
  const published = await deps.policies.current(shopId);
  const policy = await currentPolicy(deps, shop);
  return {
    version: policy.version,
    isDefault: !published,
    ...(published && { publishedAt: published.publishedAt, publishedBy: published.by }),
    policy,
  };
}

/*
 * Publish a policy (managers only).
 * 1. validate the draft (400 naming every invalid path)
 * 2. store it as the next version; every earlier version stays, and each case keeps the version
 *    that decided it
 */
export async function publishPolicy(
  deps: PolicyDeps,
  shopId: string,
  document: unknown,
  staff: { sub: string; roles: string[] },
): Promise<{ version: number }> {
  if (!staff.roles.includes('manager')) throw new ForbiddenError('only a manager may publish the policy');
  await shopSettingsOf(deps, shopId);
  const policy = parsePolicy(document);
  const { version: _ignored, ...body } = policy;
  const version = await deps.policies.publish(shopId, body, staff.sub, deps.clock.now());
  return { version };
}

/*
 * Dry-run a draft before publishing it.
 * 1. validate the draft
 * 2. gather the shop's cases of the last N days (every status, through the staff-queue index), and
 *    for each rebuild what the policy read when it was requested (the order, the customer's
 *    history, earlier cases), at the time it was requested
 * 3. evaluate the current policy and the draft on the same inputs and report per action how many
 *    would change, from what to what, and which rule of the draft decided
 */
export async function dryRunPolicy(
  deps: PolicyDeps,
  shopId: string,
  draftDocument: unknown,
  days: number,
): Promise<DryRunReport> {
  const shop = await shopSettingsOf(deps, shopId);
  const draft = { ...parsePolicy(draftDocument), version: -1 };
  const current = await currentPolicy(deps, shop);
  const since = new Date(Date.parse(deps.clock.now()) - days * 86_400_000).toISOString();
  const samples: DryRunSample[] = [];
  for (const status of CaseStatus.options) {
    let cursor: string | undefined;
    do {
      const page = await deps.reads.listCasesByStatus(shopId, status, {
        since,
        limit: 100,
        ...(cursor && { cursor }),
      });
      for (const stored of page.items) {
        const input = await policyInputForCase(deps, shop, stored.data);
        if (input) samples.push({ caseId: stored.data.caseId, input });
      }
      cursor = page.next;
    } while (cursor && samples.length < 2000);
  }
  return dryRun(current, draft, samples);
}

export type PolicyView = z.infer<typeof Policy>;
