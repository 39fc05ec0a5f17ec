import * as z from 'zod';

/*
 * Kuaidi100 快递100 subscription pushes (订阅推送, https://api.kuaidi100.com/document/5f0ffb5ebc8da837cbd8aefc).
 * The POST is form-encoded: `param` (this JSON, as text) and `sign`. Every value is a string.
 */

const text = z.string().nullish();

export const Kuaidi100Checkpoint = z.looseObject({
  context: text,
  /** Raw time as the carrier gave it. */
  time: text,
  /** Formatted time, China local `yyyy-MM-dd HH:mm:ss` (UTC+8). */
  ftime: text,
  /** Status word for this checkpoint (`在途`, `签收`...), with resultv2 only. */
  status: text,
  /** Advanced status code for this checkpoint (`0`, `501`, `304`...), with resultv2=4 only. */
  statusCode: text,
  areaName: text,
  location: text,
});
export type Kuaidi100Checkpoint = z.infer<typeof Kuaidi100Checkpoint>;

export const Kuaidi100Result = z.looseObject({
  message: text,
  /** The tracking number. */
  nu: z.string().min(1),
  /** 1 when signed for. */
  ischeck: text,
  /** Kuaidi100 carrier code (`shunfeng`, `yuantong`...). */
  com: text,
  /** Parcel state code: 0 in transit, 1 picked up, 2 problem, 3 signed, ... or an advanced code. */
  state: text,
  data: z.array(Kuaidi100Checkpoint).nullish(),
});
export type Kuaidi100Result = z.infer<typeof Kuaidi100Result>;

export const Kuaidi100Param = z.looseObject({
  /** Monitoring state: `polling`, `shutdown` (ended), `abort` (gave up), `updateall`. */
  status: z.string(),
  billstatus: text,
  /** Why monitoring stopped, e.g. `3天查询无记录`, `60天无变化`. */
  message: text,
  /** `1` when Kuaidi100 corrected the carrier (comOld -> comNew). */
  autoCheck: text,
  comOld: text,
  comNew: text,
  lastResult: Kuaidi100Result.nullish(),
});
export type Kuaidi100Param = z.infer<typeof Kuaidi100Param>;
