import { describe, expect, it } from 'vitest';
import { meaningOf } from '../../../functions/app/sms-replies.ts';

describe('what an SMS reply means', () => {
  it.each([
    'TD',
    'td',
    ' Ｔｄ ',
    '退订',
    '回TD退订',
    'TD退订',
    '回T退订',
    'STOP',
    'stop!',
    'Unsubscribe.',
    'T',
  ])('%j opts out', (text) => expect(meaningOf(text)).toBe('opt_out'));
  it.each(['START', 'start', '订阅'])('%j opts back in', (text) => expect(meaningOf(text)).toBe('opt_in'));
  it.each(['', '什么时候发货', 'stop sending the wrong size', 'TDX', '谢谢'])(
    '%j is just a message',
    (text) => expect(meaningOf(text)).toBe('other'),
  );
});
