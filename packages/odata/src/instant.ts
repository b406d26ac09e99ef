/**
 * Date-time texts compared as instants, at full precision: Graph sends 7 fraction digits and
 * `Date` keeps 3, so the milliseconds and the rest of the fraction are kept apart.
 */

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** A point in time: epoch milliseconds plus the fraction of a millisecond beyond them. */
export interface Instant {
  readonly ms: number;
  readonly sub: number;
}

/** Reads an ISO 8601 date-time with offset; `undefined` when it is not one (or names no real day). */
export function instantOf(text: string): Instant | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, sign, oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  let offset = 0;
  if (sign !== undefined) {
    const offH = Number(oh);
    const offM = Number(om);
    if (offH > 23 || offM > 59) return undefined;
    offset = (sign === '-' ? -1 : 1) * (offH * 60 + offM) * 60_000;
  }
  const digits = frac ?? '';
  const millis = Number(digits.slice(0, 3).padEnd(3, '0'));
  let ms = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (year < 100) {
    // Date.UTC maps years 0–99 to 1900–1999.
    const date = new Date(ms);
    date.setUTCFullYear(year);
    ms = date.getTime();
  }
  const rest = digits.slice(3);
  return { ms: ms - offset, sub: rest === '' ? 0 : Number(`0.${rest}`) };
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Whether `text` is an ISO 8601 date-time with an offset, naming a real day and time. */
export function isDateTimeText(text: string): boolean {
  return instantOf(text) !== undefined;
}

/** Orders two instants: negative, zero or positive. */
export function compareInstants(a: Instant, b: Instant): number {
  return a.ms - b.ms || a.sub - b.sub;
}
