/** Tokens a CSV uses for "no value"; compared after trimming. */
const MISSING_TOKENS = new Set(['', 'NA', 'N/A', 'null', 'NULL', 'Null', 'NaN', 'nan']);

const INTEGER_RE = /^[+-]?\d+$/;
const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
// Date, or date-time with optional seconds, fraction and zone; a space may stand in for the T.
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function isMissing(raw: string): boolean {
  return MISSING_TOKENS.has(raw.trim());
}

/** An integer that survives the trip through a float64 unchanged. */
export function parseInteger(raw: string): number {
  const text = raw.trim();
  if (!INTEGER_RE.test(text)) return NaN;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : NaN;
}

export function parseNumber(raw: string): number {
  const text = raw.trim();
  return NUMBER_RE.test(text) ? Number(text) : NaN;
}

/** 1 for true, 0 for false, NaN for anything else. */
export function parseBoolean(raw: string): number {
  switch (raw.trim()) {
    case 'true':
    case 'TRUE':
    case 'True':
      return 1;
    case 'false':
    case 'FALSE':
    case 'False':
      return 0;
    default:
      return NaN;
  }
}

/** Epoch milliseconds of an ISO-8601 date or date-time; a value without a zone is read as UTC. */
export function parseDatetime(raw: string): number {
  const m = ISO_RE.exec(raw.trim());
  if (!m) return NaN;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return NaN;
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls Feb 30 over into March; reject instead of guessing.
  if (new Date(utc).getUTCDate() !== day) return NaN;
  return utc - zoneOffsetMs(zone);
}

function zoneOffsetMs(zone: string | undefined): number {
  if (!zone || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}
