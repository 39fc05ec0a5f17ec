import { UnparseablePayloadError } from './errors.ts';

// ISO 4217 currencies whose minor unit is not 2 digits. Everything else has cents.
const ZERO_DECIMAL = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'ISK',
  'JPY',
  'KMF',
  'KRW',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);
const THREE_DECIMAL = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

/** How many digits the currency's minor unit has (CNY 2, JPY 0, KWD 3). */
export function minorUnitDigits(currency: string): number {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

const DECIMAL = /^([+-])?(\d+)(?:\.(\d*))?$/;

/**
 * A decimal amount in major units ("199.00" yuan, 12.5 dollars) as integer minor units, computed on the
 * digits so no float rounding can creep in. Extra fraction digits are accepted only when they are zeros
 * ("199.000" CNY): silently rounding money away is worse than refusing the payload.
 */
export function toMinorUnits(amount: string | number, currency: string): number {
  const text = typeof amount === 'number' ? numberText(amount) : amount.trim();
  const match = DECIMAL.exec(text);
  if (!match) throw new UnparseablePayloadError(`not a decimal amount: ${JSON.stringify(amount)}`);
  const [, sign, whole = '0', fraction = ''] = match;
  const digits = minorUnitDigits(currency);
  if (/[1-9]/.test(fraction.slice(digits))) {
    throw new UnparseablePayloadError(`${text} has more decimals than ${currency.toUpperCase()} allows`);
  }
  const minor = Number(whole + fraction.slice(0, digits).padEnd(digits, '0'));
  if (!Number.isSafeInteger(minor)) throw new UnparseablePayloadError(`amount out of range: ${text}`);
  return sign === '-' && minor !== 0 ? -minor : minor;
}

function numberText(n: number): string {
  // String(1e21) and String(1e-7) use exponents; such amounts are garbage for a shop anyway.
  if (!Number.isFinite(n)) throw new UnparseablePayloadError(`not a finite amount: ${n}`);
  return String(n);
}
