import type { Checkpoint } from '../../../schemas/events.ts';
import type { ShipmentStatus } from '../../../schemas/names.ts';
import { type Kuaidi100Checkpoint, Kuaidi100Param } from '../../../schemas/providers/kuaidi100.ts';
import type { Connector, IngestReply, RawRequest } from '../../app/connectors.ts';
import { normalizeCarrier } from '../../core/tracking/carriers.ts';
import { md5 } from '../../lib/crypto.ts';
import { UnparseablePayloadError } from '../../lib/errors.ts';
import { readJson } from '../../lib/json.ts';
import { toInstant } from '../../lib/time.ts';
import { problemTable } from './problems.ts';
import { signedByAnySecret } from './signatures.ts';
import { bodyText } from './text.ts';
import { ZONE_LESS } from './times.ts';

/**
 * Kuaidi100 state codes (basic 0-14 and the advanced codes of resultv2=4) in our words.
 * docs/tracking.md has the table with Kuaidi100's own names.
 */
const stateStatus: Record<string, ShipmentStatus> = {
  // 揽收 picked up, and the advanced 已下单 / 待揽收 / 已揽收
  '1': 'info_received',
  '101': 'info_received',
  '102': 'info_received',
  '103': 'info_received',
  // 在途 in transit, 到达派件城市, 干线, 转递; 7 转投 (handed to another carrier)
  '0': 'in_transit',
  '1001': 'in_transit',
  '1002': 'in_transit',
  '1003': 'in_transit',
  '7': 'in_transit',
  // 清关 customs; 13 清关异常 is a customs problem, not progress
  '8': 'in_transit',
  '10': 'in_transit',
  '11': 'in_transit',
  '12': 'in_transit',
  '13': 'exception',
  // 派件 out for delivery; 501 投柜或驿站: in a locker or station, the customer must still collect it
  '5': 'out_for_delivery',
  '501': 'available_for_pickup',
  // 签收 signed, 本人签收, 派件异常后签收, 代签 (someone else), 投柜或站签收 (collected from locker/station)
  '3': 'delivered',
  '301': 'delivered',
  '302': 'delivered',
  '303': 'delivered',
  '304': 'delivered',
  // 退回 on its way back; 退签 back with the sender and signed
  '6': 'returning',
  '4': 'returned',
  // 已销单 the waybill was cancelled
  '401': 'exception',
  // 拒签 refused
  '14': 'exception',
  // 疑难 problem parcel and its kinds; 204 派件异常 and 206 无法联系 are failed delivery attempts
  '2': 'exception',
  '201': 'exception',
  '202': 'exception',
  '203': 'exception',
  '204': 'failed_attempt',
  '205': 'exception',
  '206': 'failed_attempt',
  '207': 'exception',
  '208': 'exception',
  '209': 'exception',
  '210': 'exception',
};

/** The per-checkpoint status words (resultv2), for pushes without per-checkpoint codes. */
const wordState: Record<string, string> = {
  揽收: '1',
  已下单: '101',
  待揽收: '102',
  已揽收: '103',
  在途: '0',
  到达派件城市: '1001',
  干线: '1002',
  转递: '1003',
  转投: '7',
  转单: '7',
  清关: '8',
  待清关: '10',
  清关中: '11',
  已清关: '12',
  清关异常: '13',
  派件: '5',
  投柜或驿站: '501',
  签收: '3',
  本人签收: '301',
  派件异常后签收: '302',
  代签: '303',
  投柜或站签收: '304',
  退回: '6',
  退签: '4',
  已销单: '401',
  拒签: '14',
  疑难: '2',
  超时未签收: '201',
  超时未更新: '202',
  拒收: '203',
  派件异常: '204',
  柜或驿站超时未取: '205',
  无法联系: '206',
  超区: '207',
  滞留: '208',
  破损: '209',
  销单: '210',
};

/**
 * State codes that are problems (Kuaidi100 state table, docs/tracking.md): 14 拒签 refused, 203 拒收
 * refused (advanced code), 209 破损 damaged, 4 退签 returned and signed by the sender. Kuaidi100 has
 * no code for a wrong address.
 */
export const kuaidi100Problem = problemTable({
  '14': 'delivery_refused',
  '203': 'delivery_refused',
  '209': 'parcel_damaged',
  '4': 'returned_to_sender',
});

/** Our status for a Kuaidi100 state code; undefined for a code Kuaidi100 has not documented. */
export function kuaidi100Status(state: string | null | undefined): ShipmentStatus | undefined {
  return state ? stateStatus[state.trim()] : undefined;
}

/** Exactly what Kuaidi100 expects; anything else and it pushes again (3 times, 30+ minutes apart). */
export const KUAIDI100_ACK = '{"result":true,"returnCode":"200","message":"成功"}';

interface FormBody {
  param: string;
  sign: string | undefined;
}

function readForm(req: RawRequest): FormBody {
  // URLSearchParams decodes `+` as a space and %XX as UTF-8, as a form POST encodes them.
  const form = new URLSearchParams(bodyText(req));
  const param = form.get('param');
  if (param === null) throw new UnparseablePayloadError('Kuaidi100 body has no form field "param"');
  return { param, sign: form.get('sign') ?? undefined };
}

/**
 * `sign` = uppercase hex MD5(param + salt), over the param text exactly as sent. The salt is the one
 * given when subscribing; a shop that subscribed without a salt stores none, and Kuaidi100 then
 * sends no sign, so there is nothing to check.
 */
export function verifyKuaidi100(req: RawRequest, salts: string[]): boolean {
  let form: FormBody;
  try {
    form = readForm(req);
  } catch {
    return false;
  }
  const configured = salts.filter((salt) => salt.length > 0);
  if (configured.length === 0) return true;
  return signedByAnySecret(configured, form.sign?.toUpperCase(), (salt) =>
    md5(form.param + salt).toUpperCase(),
  );
}

function readParam(req: RawRequest): Kuaidi100Param {
  return readJson(readForm(req).param, Kuaidi100Param, {
    notJson: 'Kuaidi100 param is not valid JSON',
    invalid: 'Kuaidi100 param lacks status',
  });
}

function checkpointState(c: Kuaidi100Checkpoint): string | undefined {
  if (c.statusCode && stateStatus[c.statusCode]) return c.statusCode;
  return c.status ? wordState[c.status.trim()] : undefined;
}

/** Newest first, as Kuaidi100 sends them; times are China time (times.ts). */
function checkpointsOf(param: Kuaidi100Param, overall: string | undefined): Checkpoint[] {
  const data = param.lastResult?.data ?? [];
  const out: Checkpoint[] = [];
  data.forEach((c, index) => {
    const local = c.ftime ?? c.time;
    if (!local) return;
    const state =
      checkpointState(c) ??
      // Without per-checkpoint codes only the newest checkpoint is known to carry the overall state.
      (index === 0 ? overall : '0');
    out.push({
      at: toInstant(local, ZONE_LESS.kuaidi100),
      status: kuaidi100Status(state) ?? 'in_transit',
      subStatus: state,
      problem: kuaidi100Problem(state),
      message: c.context ?? '',
      location: c.areaName ?? (c.location || undefined),
    });
  });
  return out.sort((a, b) => b.at.localeCompare(a.at));
}

/** "快件已由XX菜鸟驿站代收，请及时取件…取件码 3-2-1021": the station and the pickup code. */
function pickupOf(context: string | null | undefined): { point?: string; code?: string } | undefined {
  if (!context) return undefined;
  const point =
    /(?:已由|已放入|已存放至|已投递至|到达)\s*[【[]?([^，,。【】[\]]{2,60}?)[】\]]?\s*(?:代收|保管|自提)/.exec(
      context,
    )?.[1];
  const code = /取件码[:：\s]*([A-Za-z0-9-]{3,20})/.exec(context)?.[1];
  return point || code ? { point: point?.trim(), code } : undefined;
}

function deliveredToOf(state: string, context: string | null | undefined) {
  if (state === '301') return 'addressee' as const;
  if (state === '303') return 'other_person' as const;
  if (state === '304')
    return context && /柜|丰巢/.test(context) ? ('locker' as const) : ('pickup_point' as const);
  return undefined;
}

export const kuaidi100: Connector = {
  provider: 'kuaidi100',
  verify: (req, config) => verifyKuaidi100(req, config.secrets),
  // No event id: number + monitoring status + state + newest checkpoint time identify the fact, so
  // an `abort` with the same newest checkpoint as the last `polling` push is not taken for a retry.
  dedupeKey(req) {
    const param = readParam(req);
    const result = param.lastResult;
    if (!result) throw new UnparseablePayloadError('Kuaidi100 param has no lastResult');
    const newest = checkpointsOf(param, result.state ?? undefined)[0]?.at ?? 'none';
    return `${result.nu}|${param.status}|${result.state ?? ''}|${newest}`;
  },
  topic(req) {
    try {
      return readParam(req).status;
    } catch {
      return undefined;
    }
  },
  parse(req, ctx) {
    const param = readParam(req);
    const result = param.lastResult;
    if (!result) throw new UnparseablePayloadError('Kuaidi100 param has no lastResult (no tracking number)');
    const state = result.state?.trim() || undefined;
    const status = kuaidi100Status(state);
    if (!status || !state)
      return { kind: 'ignored', reason: `Kuaidi100 state ${state ?? '(none)'} is not documented` };

    const checkpoints = checkpointsOf(param, state);
    const newestContext = result.data?.[0]?.context;
    const ended = param.status === 'abort' || param.status === 'shutdown';
    // Kuaidi100 corrects a wrong carrier code on its own (autoCheck=1, comOld -> comNew).
    const com = param.autoCheck === '1' && param.comNew ? param.comNew : result.com;

    return {
      kind: 'events',
      events: [
        {
          type: 'TrackingUpdated',
          eventId: ctx.eventId(0),
          provider: 'kuaidi100',
          // An abort for a number without checkpoints carries no time of its own.
          occurredAt: checkpoints[0]?.at ?? ctx.receivedAt,
          carrier: normalizeCarrier(com ?? undefined),
          trackingNumber: result.nu,
          status,
          subStatus: state,
          problem: kuaidi100Problem(state),
          providerStatus: [param.status, state, param.message].filter(Boolean).join(' / '),
          checkpoints,
          deliveredTo: status === 'delivered' ? deliveredToOf(state, newestContext) : undefined,
          pickup: status === 'available_for_pickup' ? pickupOf(newestContext) : undefined,
          stopped:
            ended && status !== 'delivered' && status !== 'returned'
              ? { reason: `Kuaidi100 ${param.status}${param.message ? `: ${param.message}` : ''}` }
              : undefined,
        },
      ],
    };
  },
  reply(outcome): IngestReply {
    const headers = { 'content-type': 'application/json; charset=utf-8' };
    if (outcome.kind !== 'rejected') return { statusCode: 200, headers, body: KUAIDI100_ACK };
    // Kuaidi100 reads the body; the HTTP status stays the real one so our metrics and alarms see
    // rejections. Either way Kuaidi100 retries a failed push, which is harmless.
    return {
      statusCode: outcome.statusCode,
      headers,
      body: JSON.stringify({ result: false, returnCode: '500', message: outcome.message }),
    };
  },
};
