import type { ODataInput } from '@idgov/client';
import type { ODataQuery } from '@idgov/odata';
import { parseExpand, parseFilter, parseOrderBy, parseSelect, validateQuery } from '@idgov/odata';
import { entities, enums } from '@idgov/types';
import type { Flags } from './args.js';
import { integer, text, UsageError } from './args.js';
import { pointInTime } from './time.js';

// Longer than any filter an admin writes, short enough that Graph's URL limit is not the first to say no.
const maxFilterLength = 4000;

/**
 * A list's query as the resource tree takes it (the client shapes it into `$`-parameters), and
 * whether it was checked against the metadata.
 */
export interface ListQuery {
  readonly input: ODataInput;
  readonly validated: boolean;
}

/**
 * Reads the query flags: `--since`/`--until` become a date range on `timeProperty` joined to
 * `--filter`; then, unless `--no-validate`, everything is parsed and checked against what the
 * service supports for the entity, before any request (a typo gets the nearest known name).
 */
export function readQuery(flags: Flags, entityName: string, options: { readonly now: number; readonly timeProperty?: string; readonly count?: boolean }): ListQuery {
  const since = text(flags, 'since');
  const until = text(flags, 'until');
  if ((since !== undefined || until !== undefined) && options.timeProperty === undefined) throw new UsageError('--since and --until do not apply to this list');
  const range = [
    since === undefined ? undefined : `${options.timeProperty ?? ''} ge ${pointInTime(since, '--since', options.now)}`,
    until === undefined ? undefined : `${options.timeProperty ?? ''} lt ${pointInTime(until, '--until', options.now)}`,
  ].filter((part) => part !== undefined);
  const written = text(flags, 'filter');
  if (written !== undefined && written.length > maxFilterLength) throw new UsageError(`--filter is ${written.length.toLocaleString('en')} characters long; at most ${maxFilterLength.toLocaleString('en')} are sent`);
  const filter = range.length === 0 ? written : [...(written === undefined ? [] : [`(${written})`]), ...range].join(' and ');
  const top = integer(flags, 'top', 1, 999_999);
  const skip = integer(flags, 'skip', 0, Number.MAX_SAFE_INTEGER);
  const search = text(flags, 'search');
  const common = {
    ...(top === undefined ? {} : { top }),
    ...(skip === undefined ? {} : { skip }),
    ...(search === undefined ? {} : { search }),
    ...(options.count === true || flags['count'] === true ? { count: true } : {}),
  };
  if (flags['no-validate'] === true) {
    // As written: the service is the judge.
    const raw: ODataInput = {
      ...common,
      ...(filter === undefined ? {} : { filter }),
      ...optional('select', text(flags, 'select'), (v) => v.split(',').map((s) => s.trim())),
      ...optional('orderBy', text(flags, 'orderby'), (v) => [v]),
      ...optional('expand', text(flags, 'expand'), (v) => [v]),
    };
    return { input: raw, validated: false };
  }
  const parse = <T>(flag: string, value: string | undefined, parser: (value: string) => T): T | undefined => {
    if (value === undefined) return undefined;
    try {
      return parser(value);
    } catch (error) {
      if (error instanceof RangeError) throw new UsageError(`--${flag} is nested too deeply to parse`);
      // The parser's own message carries the offset and what it expected.
      throw new UsageError(`--${flag}: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}`);
    }
  };
  const query: ODataQuery = {
    ...common,
    ...optional('filter', parse(range.length > 0 && written === undefined ? 'since' : 'filter', filter, parseFilter), (v) => v),
    ...optional('select', parse('select', text(flags, 'select'), parseSelect), (v) => v),
    ...optional('orderBy', parse('orderby', text(flags, 'orderby'), parseOrderBy), (v) => v),
    ...optional('expand', parse('expand', text(flags, 'expand'), parseExpand), (v) => v),
  };
  checkQuery(query, entityName);
  return { input: query, validated: true };
}

function optional<K extends string, V, T>(key: K, value: V | undefined, map: (value: V) => T): Partial<Record<K, T>> {
  return value === undefined ? {} : ({ [key]: map(value) } as Record<K, T>);
}

/**
 * Checks a query against what the service supports for the entity: an unknown property gets the
 * nearest known one, and the exit code says it was our input.
 */
export function checkQuery(query: ODataQuery, entityName: string): void {
  const entity = (entities as Readonly<Record<string, (typeof entities)[keyof typeof entities]>>)[entityName];
  if (entity === undefined) throw new Error(`no metadata for ${entityName}`);
  const [problem] = validateQuery(query, entity, { entities, enums });
  if (problem === undefined) return;
  // The message is Graph's own wording, with the nearest known name when there is one.
  throw new UsageError(`--${problem.option.slice(1)}: ${problem.message} (--no-validate sends it anyway)`);
}
