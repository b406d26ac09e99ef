import { UsageError } from './args.js';

const units: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * `--since`/`--until`: a duration back from now (`30m`, `12h`, `7d`, `2w`), a date (midnight UTC)
 * or an ISO 8601 date-time; returned as the UTC date-time Graph filters compare with.
 */
export function pointInTime(text: string, flag: string, now: number): string {
  const duration = /^(\d+)([mhdw])$/.exec(text);
  if (duration !== null) return new Date(now - Number(duration[1]) * (units[duration[2] ?? ''] ?? 0)).toISOString();
  const value = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  const at = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) || Number.isNaN(at)) {
    throw new UsageError(`${flag} must be a duration (30m, 12h, 7d, 2w), a date (2024-10-01) or an ISO date-time, not '${text}'`);
  }
  return new Date(at).toISOString();
}

const isoUtc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

/**
 * `--local-time`: date-times as wall-clock time in `timeZone` (the system's when undefined), with
 * the offset, e.g. `2024-10-01 08:00:00 +02:00`; everything else unchanged.
 */
export function localTime(timeZone: string | undefined): (item: Record<string, unknown>) => Record<string, unknown> {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-CA', {
      ...(timeZone === undefined || timeZone === '' ? {} : { timeZone }),
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'longOffset',
    });
  } catch {
    throw new UsageError(`TZ names no time zone: '${timeZone ?? ''}'`);
  }
  const convert = (value: unknown): unknown => {
    if (typeof value === 'string' && isoUtc.test(value)) {
      const parts = Object.fromEntries(format.formatToParts(new Date(value)).map((part) => [part.type, part.value]));
      const offset = (parts['timeZoneName'] ?? '').replace(/^GMT$/, 'GMT+00:00').replace('GMT', '');
      return `${parts['year'] ?? ''}-${parts['month'] ?? ''}-${parts['day'] ?? ''} ${parts['hour'] ?? ''}:${parts['minute'] ?? ''}:${parts['second'] ?? ''} ${offset}`;
    }
    if (Array.isArray(value)) return value.map(convert);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, convert(field)]));
    return value;
  };
  return (item) => convert(item) as Record<string, unknown>;
}
