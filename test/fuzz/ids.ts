import { signCaseToken } from '../../functions/lib/customer-token.ts';
import { signers } from '../../infra/local/signers.ts';
import {
  EMAIL,
  type FuzzContext,
  freshClientAddress,
  ORDER,
  OTHER,
  OWN,
  type Probe,
  refusedByGatewayOrJson,
  SECRET,
  send,
  TRACKING,
} from './common.ts';
import { PROVIDERS } from './providers.ts';

/*
 * Ids beyond the documented limits (schemas/common.ts `bounds`, the path schemas of the handlers)
 * and ids with characters no id has: control characters, NUL, `#` (the table's key separator),
 * `/` (escaped, so it stays inside its segment), unicode. Every request is otherwise right (signed,
 * the right token) so that the id is what gets refused: a 4xx `{error:{code,message}}`, or the
 * gateway's own refusal (no route, a head over 16 KB), before any state change.
 */

/** Latin letters and a Cyrillic or Greek letter drawn the same, which NFKC leaves as it is. */
const HOMOGLYPHS: Record<string, string> = {
  A: '\u0410',
  C: '\u0421',
  E: '\u0415',
  F: '\u03dc',
  H: '\u041d',
  K: '\u041a',
  M: '\u041c',
  O: '\u041e',
  P: '\u0420',
  S: '\u0405',
  T: '\u0422',
  X: '\u0425',
  a: '\u0430',
  c: '\u0441',
  e: '\u0435',
  o: '\u043e',
  p: '\u0440',
  s: '\u0455',
  x: '\u0445',
  y: '\u0443',
};

/**
 * Values for an id whose limit is `limit` characters, built around a valid one. `fullWidth: false`
 * leaves out the full-width form where the schema folds it to ASCII by design (tracking numbers
 * are NFKC-normalised: `ＳF…` is the parcel `SF…`, not a hostile id).
 */
function hostileIds(
  valid: string,
  limit: number,
  options: { fullWidth?: boolean } = {},
): Array<[string, string]> {
  const pad = 'a';
  const values: Array<[string, string]> = [
    [`limit+1 (${limit + 1})`, pad.repeat(limit + 1)],
    ['8 KB', pad.repeat(8000)],
    ['20 KB (past the head limit)', pad.repeat(20_000)],
    ['control characters', `${valid.slice(0, 2)}\u0001\u001b[2J\r\n${valid.slice(2)}`],
    ['NUL', `${valid.slice(0, 2)}\u0000${valid.slice(2)}`],
    ['# and another shop', `${valid}#SHOP#${OTHER}`],
    ['escaped / and ..', `${valid}/../${OTHER}`],
    // One letter swapped for a Cyrillic or Greek one drawn the same (Ѕ for S, о for o).
    ['homoglyph', swapFirst(valid)],
    ['right-to-left override', `${valid}\u202e`],
  ];
  // The first letter in its full-width form (ｆ for f, Ｆ for F).
  if (options.fullWidth !== false)
    values.push([
      'full-width letter',
      valid.replace(/[A-Za-z]/, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
    ]);
  return values;
}

/** The id with the first of its letters that has a homoglyph swapped for it. */
function swapFirst(valid: string): string {
  const at = [...valid].findIndex((c) => c in HOMOGLYPHS);
  if (at < 0) return `${valid}\u0430`; // none has one (a hex id of digits and b, d, f): add a Cyrillic а
  return valid.slice(0, at) + HOMOGLYPHS[valid[at]!] + valid.slice(at + 1);
}

const enc = encodeURIComponent;

export async function idProbes(ctx: FuzzContext): Promise<Probe[]> {
  const json = { 'content-type': 'application/json' };
  const admin = { ...json, authorization: `Bearer ${ctx.manager}` };
  const probes: Probe[] = [];
  const add = (
    cls: string,
    name: string,
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ) =>
    probes.push({
      cls,
      name,
      run: () =>
        send(
          ctx.url,
          method,
          path,
          headers,
          body === undefined ? undefined : Buffer.from(JSON.stringify(body)),
          freshClientAddress(),
        ),
      accept: refusedByGatewayOrJson,
    });
  // Quick: the limit + 1 and NUL of each id (the first and fifth values).
  const keep = <T>(list: T[]) => (ctx.quick ? list.filter((_, i) => i === 0 || i === 4) : list);

  // Path ids.
  const generic = PROVIDERS[0]!;
  const webhookHeaders = (eventId: string) =>
    signers.generic!(generic.fixture, { secret: SECRET, eventId }).headers;
  let n = 0;
  for (const [label, id] of keep(hostileIds(OWN, 63)))
    add(
      'ids: path',
      `webhook shopId (${label})`,
      'POST',
      `/webhooks/generic/${enc(id)}`,
      webhookHeaders(`ids-${n++}`),
    );
  for (const [label, id] of keep(hostileIds('generic', 16)))
    probes.push({
      cls: 'ids: path',
      name: `webhook provider (${label})`,
      run: () =>
        send(
          ctx.url,
          'POST',
          `/webhooks/${enc(id)}/${OWN}`,
          webhookHeaders(`ids-${n++}`),
          generic.fixture,
          freshClientAddress(),
        ),
      accept: refusedByGatewayOrJson,
    });
  const adminPaths: Array<[string, string, number, (id: string) => string, unknown?]> = [
    ['orderId', 'GET', 128, (id) => `/admin/orders/${id}`],
    ['shipmentId', 'GET', 64, (id) => `/admin/shipments/${id}`],
    ['caseId', 'GET', 200, (id) => `/admin/cases/${id}`],
    ['caseId', 'POST', 200, (id) => `/admin/cases/${id}/notes`, { text: 'fuzz note' }],
    ['inboxId', 'POST', 64, (id) => `/admin/inbox/${id}/replay`, {}],
    ['templateId', 'POST', 100, (id) => `/admin/templates/${id}/preview`, { locale: 'en' }],
    ['queue', 'POST', 13, (id) => `/admin/dlq/${id}/redrive`, {}],
  ];
  const validOf: Record<string, string> = {
    orderId: ORDER,
    shipmentId: TRACKING,
    caseId: ctx.ids.caseId,
    inboxId: ctx.ids.inboxId,
    templateId: 'shipment.delivered',
    queue: 'inbound',
  };
  for (const [param, method, limit, path, body] of adminPaths)
    for (const [label, id] of keep(hostileIds(validOf[param]!, limit, { fullWidth: param !== 'shipmentId' })))
      add('ids: path', `${method} admin ${param} (${label})`, method, path(enc(id)), admin, body);
  for (const [label, id] of keep(hostileIds(OWN, 63))) {
    add('ids: path', `GET /portal/{shopId}/shop (${label})`, 'GET', `/portal/${enc(id)}/shop`, {});
    add('ids: path', `POST /portal/{shopId}/lookup (${label})`, 'POST', `/portal/${enc(id)}/lookup`, json, {
      orderNumber: ORDER,
      email: EMAIL,
    });
  }
  // A case token whose subject is exactly the hostile id (real key): the id check must refuse it.
  for (const [label, id] of keep(hostileIds(ctx.ids.caseId, 200))) {
    const token = await signCaseToken(ctx.customerKey, { shopId: OWN, caseId: id });
    add('ids: path', `GET /returns/{caseId}, token for it (${label})`, 'GET', `/returns/${enc(id)}`, {
      authorization: `Bearer ${token}`,
    });
  }
  // `#` to reach the first shop from the second: the key always starts with the caller's shop.
  for (const [route, path] of [
    ['GET /admin/orders/{orderId}', `/admin/orders/${enc(`x#SHOP#${OWN}#ORDER#generic:${ORDER}`)}`],
    ['GET /admin/cases/{caseId}', `/admin/cases/${enc(`x#SHOP#${OWN}#CASE#${ctx.ids.caseId}`)}`],
    ['GET /admin/cases/{caseId}', `/admin/cases/${enc(`#${OWN}#CASE#${ctx.ids.caseId}`)}`],
    [
      'POST /admin/inbox/{inboxId}/replay',
      `/admin/inbox/${enc(`x#SHOP#${OWN}#IN#${ctx.ids.inboxId}`)}/replay`,
    ],
  ] as const)
    probes.push({
      cls: 'ids: # towards another shop',
      name: `${route} (second shop's manager)`,
      run: () =>
        send(
          ctx.url,
          route.split(' ')[0]!,
          path,
          { ...json, authorization: `Bearer ${ctx.otherManager}` },
          route.startsWith('POST') ? Buffer.from('{}') : undefined,
          freshClientAddress(),
        ),
      accept: refusedByGatewayOrJson,
      mustNotLeak: [EMAIL, TRACKING, `"${OWN}"`],
    });
  for (const [label, shop] of [
    ['second shop, #', `${OTHER}#`],
    ['first shop after #', `${OTHER}#SHOP#${OWN}`],
  ] as const) {
    const token = await signCaseToken(ctx.customerKey, { shopId: shop, caseId: ctx.ids.caseId });
    probes.push({
      cls: 'ids: # towards another shop',
      name: `GET /returns/{caseId}, token's shop "${label}"`,
      run: () =>
        send(
          ctx.url,
          'GET',
          `/returns/${ctx.ids.caseId}`,
          { authorization: `Bearer ${token}` },
          undefined,
          freshClientAddress(),
        ),
      accept: refusedByGatewayOrJson,
      mustNotLeak: [EMAIL, TRACKING, ORDER],
    });
  }

  // Body and query ids.
  const returnBody = (over: Record<string, unknown>) => ({
    shopId: OWN,
    orderNumber: ORDER,
    email: EMAIL,
    type: 'exchange',
    lines: [{ lineId: '1', quantity: 1, reason: 'size_too_small' }],
    ...over,
  });
  for (const [label, id] of keep(hostileIds(OWN, 63)))
    add(
      'ids: body and query',
      `POST /returns shopId (${label})`,
      'POST',
      '/returns',
      json,
      returnBody({ shopId: id }),
    );
  for (const [label, id] of keep(hostileIds(ORDER, 65))) {
    add(
      'ids: body and query',
      `POST /returns orderNumber (${label})`,
      'POST',
      '/returns',
      json,
      returnBody({ orderNumber: id }),
    );
    add(
      'ids: body and query',
      `POST /portal/{shopId}/lookup orderNumber (${label})`,
      'POST',
      `/portal/${OWN}/lookup`,
      json,
      {
        orderNumber: id,
        email: EMAIL,
      },
    );
    add(
      'ids: body and query',
      `GET /admin/orders?number= (${label})`,
      'GET',
      `/admin/orders?number=${enc(id)}`,
      admin,
    );
  }
  for (const [label, id] of keep(hostileIds(ORDER, 128))) {
    const { orderNumber: _, ...byId } = returnBody({ orderId: id });
    add('ids: body and query', `POST /returns orderId (${label})`, 'POST', '/returns', json, byId);
    add('ids: body and query', `POST /admin/cases orderId (${label})`, 'POST', '/admin/cases', admin, {
      orderId: id,
      type: 'complaint',
      lines: [{ lineId: '1', quantity: 1, reason: 'other' }],
    });
  }
  // The reads first: a tracking number the write below let through would make them answer 200.
  for (const [label, id] of keep(hostileIds(TRACKING, 64, { fullWidth: false })))
    add(
      'ids: body and query',
      `GET /admin/shipments?trackingNumber= (${label})`,
      'GET',
      `/admin/shipments?trackingNumber=${enc(id)}`,
      admin,
    );
  for (const [label, id] of keep(hostileIds(TRACKING, 64, { fullWidth: false })))
    add(
      'ids: body and query',
      `POST /returns/{caseId}/shipment trackingNumber (${label})`,
      'POST',
      `/returns/${ctx.ids.caseId}/shipment`,
      {
        ...json,
        authorization: `Bearer ${ctx.ids.customerToken}`,
      },
      { carrier: 'sf-express', trackingNumber: id },
    );
  for (const [label, id] of keep(hostileIds(EMAIL, 320)))
    add(
      'ids: body and query',
      `POST /portal/{shopId}/lookup email (${label})`,
      'POST',
      `/portal/${OWN}/lookup`,
      json,
      {
        orderNumber: ORDER,
        email: id,
      },
    );
  return probes;
}
