/**
 * Byte-level fast paths for the cell grammar in ../cell-values.ts, used on ASCII cells that are already trimmed.
 * Each accepts a subset of what its string twin accepts and gives the same value; NaN means "not on the fast
 * path", and the caller asks the string twin before concluding anything.
 */

const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const COLON = 0x3a;
const DAY_MS = 86_400_000;
// Powers of ten that a double holds exactly, so mantissa × or ÷ them rounds once, as Number() does.
const EXACT_POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const TWO_53 = 2 ** 53;

const isDigit = (c: number) => c >= ZERO && c <= ZERO + 9;

/** Number-parse result: whether the cell was written as an integer a float64 holds exactly. */
export const numberShape = { integral: false };

/** A cell matching `[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?`, or NaN. Sets numberShape.integral. */
export function numberFromBytes(b: Uint8Array, s: number, e: number): number {
  let i = s;
  const negative = b[i] === MINUS;
  if (negative || b[i] === PLUS) i++;
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  while (i < e && isDigit(b[i])) {
    mantissa = mantissa * 10 + (b[i++] - ZERO);
    digits++;
  }
  const dotted = i < e && b[i] === DOT;
  if (dotted) {
    i++;
    while (i < e && isDigit(b[i])) {
      mantissa = mantissa * 10 + (b[i++] - ZERO);
      digits++;
      fraction++;
    }
  }
  if (digits === 0) return NaN;
  let exponent = 0;
  const hasExponent = i < e && (b[i] | 0x20) === 0x65;
  if (hasExponent) {
    i++;
    const expNegative = b[i] === MINUS;
    if (expNegative || b[i] === PLUS) i++;
    const start = i;
    while (i < e && isDigit(b[i])) exponent = Math.min(exponent * 10 + (b[i++] - ZERO), 1e6);
    if (i === start) return NaN;
    if (expNegative) exponent = -exponent;
  }
  if (i !== e) return NaN;
  const power = exponent - fraction;
  if (mantissa >= TWO_53 || power < -22 || power > 22) return slowNumber(b, s, e);
  numberShape.integral = !dotted && !hasExponent;
  const magnitude = power < 0 ? mantissa / EXACT_POW10[-power] : mantissa * EXACT_POW10[power];
  return negative ? -magnitude : magnitude;
}

/** Grammar already checked; lets Number() do the rounding for long mantissas and large exponents. */
export function slowNumber(b: Uint8Array, s: number, e: number): number {
  const text = String.fromCharCode(...b.subarray(s, e));
  const value = Number(text);
  numberShape.integral = /^[+-]?\d+$/.test(text) && Number.isSafeInteger(value);
  return value;
}

/** 1 for true/TRUE/True, 0 for false/FALSE/False, NaN otherwise. */
export function booleanFromBytes(b: Uint8Array, s: number, e: number): number {
  const n = e - s;
  if (n === 4 && (b[s] === 0x74 || b[s] === 0x54)) {
    const rest = b[s] === 0x54 && b[s + 1] === 0x52 ? 'RUE' : 'rue';
    return matches(b, s + 1, rest) ? 1 : NaN;
  }
  if (n === 5 && (b[s] === 0x66 || b[s] === 0x46)) {
    const rest = b[s] === 0x46 && b[s + 1] === 0x41 ? 'ALSE' : 'alse';
    return matches(b, s + 1, rest) ? 0 : NaN;
  }
  return NaN;
}

function matches(b: Uint8Array, s: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (b[s + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** The missing-value tokens of cell-values.ts: '', NA, N/A, null, NULL, Null, NaN, nan. */
export function isMissingBytes(b: Uint8Array, s: number, e: number): boolean {
  if (e === s) return true;
  // Every other token starts with N or n, which most text does not.
  if ((b[s] | 0x20) !== 0x6e) return false;
  switch (e - s) {
    case 2:
      return b[s] === 0x4e && b[s + 1] === 0x41;
    case 3:
      return matches(b, s, 'N/A') || matches(b, s, 'NaN') || matches(b, s, 'nan');
    case 4:
      return matches(b, s, 'null') || matches(b, s, 'NULL') || matches(b, s, 'Null');
    default:
      return false;
  }
}

/**
 * Epoch ms of `YYYY-MM-DD`, `YYYY-MM-DD[T ]HH:MM` or `YYYY-MM-DD[T ]HH:MM:SS`, each optionally ending in Z;
 * NaN for every other shape (fractions, offsets, years before 100) and for impossible dates.
 */
export function datetimeFromBytes(b: Uint8Array, s: number, e: number): number {
  let n = e - s;
  if (n > 10 && b[e - 1] === 0x5a) n--;
  if (n !== 10 && n !== 16 && n !== 19) return NaN;
  if (b[s + 4] !== MINUS || b[s + 7] !== MINUS) return NaN;
  let ms = dayMs(digits(b, s, 4), digits(b, s + 5, 2), digits(b, s + 8, 2));
  if (Number.isNaN(ms)) return NaN;
  if (n === 10) return e - s === 10 ? ms : NaN;
  if ((b[s + 10] !== 0x54 && b[s + 10] !== 0x20) || b[s + 13] !== COLON) return NaN;
  const hour = digits(b, s + 11, 2);
  const minute = digits(b, s + 14, 2);
  let second = 0;
  if (n === 19) {
    if (b[s + 16] !== COLON) return NaN;
    second = digits(b, s + 17, 2);
  }
  if (!(hour <= 23 && minute <= 59 && second <= 59)) return NaN;
  ms += ((hour * 60 + minute) * 60 + second) * 1000;
  return ms;
}

/**
 * Epoch ms of the `YYYY-MM-DD` at b[s] (dashes already checked), in integer arithmetic; NaN where datetimeFromBytes
 * would give NaN (a non-digit, an impossible date, a year before 100).
 */
export function dateMs(b: Uint8Array, s: number): number {
  const y0 = b[s] - ZERO, y1 = b[s + 1] - ZERO, y2 = b[s + 2] - ZERO, y3 = b[s + 3] - ZERO;
  const m0 = b[s + 5] - ZERO, m1 = b[s + 6] - ZERO, d0 = b[s + 8] - ZERO, d1 = b[s + 9] - ZERO;
  if (y0 >>> 0 > 9 || y1 >>> 0 > 9 || y2 >>> 0 > 9 || y3 >>> 0 > 9 || m0 >>> 0 > 9 || m1 >>> 0 > 9 || d0 >>> 0 > 9 || d1 >>> 0 > 9) return NaN;
  return dayMs(y0 * 1000 + y1 * 100 + y2 * 10 + y3, m0 * 10 + m1, d0 * 10 + d1);
}

/**
 * Per month of years 100–9999 (index year * 16 + month): days from 1970-01-01 to its first day times 32, plus its
 * length; 0 until the month is first met. A column of dates then costs a lookup per cell, not the calendar arithmetic.
 */
const MONTHS = new Int32Array(10_000 * 16);

/** Epoch ms of midnight UTC on a calendar date; NaN for an impossible one or a year before 100 (NaN parts included). */
function dayMs(year: number, month: number, day: number): number {
  // Date.UTC maps years 0–99 to 1900–1999; the string path keeps that quirk.
  if (!(year >= 100 && year <= 9999 && month >= 1 && month <= 12)) return NaN;
  const slot = year * 16 + month;
  let entry = MONTHS[slot];
  if (entry === 0) entry = MONTHS[slot] = daysFromCivil(year, month, 1) * 32 + daysInMonth(year, month);
  if (!(day >= 1 && day <= (entry & 31))) return NaN;
  return ((entry >> 5) + day - 1) * DAY_MS;
}

/** `count` ASCII digits as a number, NaN if any is not a digit. */
function digits(b: Uint8Array, s: number, count: number): number {
  let value = 0;
  for (let i = s; i < s + count; i++) {
    if (!isDigit(b[i])) return NaN;
    value = value * 10 + (b[i] - ZERO);
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}
