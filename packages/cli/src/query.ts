import type { ODataQuery } from '@idgov/odata';
import { formatExpand, formatFilter, formatOrderBy, formatSelect, parseExpand, parseFilter, parseOrderBy, parseSelect, validateQuery } from '@idgov/odata';
import { entities, enums } from '@idgov/types';
import { UsageError } from './auth.js';

type Flags = Readonly<Record<string, string | boolean | undefined>>;

/** Reads `--filter`, `--select`, `--orderby`, `--expand` and `--top` into one query. */
export function readQueryFlags(flags: Flags): ODataQuery {
  const text = (name: string): string | undefined => (typeof flags[name] === 'string' ? flags[name] : undefined);
  const parse = <T>(flag: string, parser: (value: string) => T): T | undefined => {
    const value = text(flag);
    if (value === undefined) return undefined;
    try {
      return parser(value);
    } catch (error) {
      // The parser's own message carries the offset and what it expected.
      throw new UsageError(`--${flag}: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}`);
    }
  };
  const filter = parse('filter', parseFilter);
  const select = parse('select', parseSelect);
  const orderBy = parse('orderby', parseOrderBy);
  const expand = parse('expand', parseExpand);
  const topText = text('top');
  if (topText !== undefined && (!/^\d+$/.test(topText) || Number(topText) < 1)) throw new UsageError(`--top must be a whole number ≥ 1, not '${topText}'`);
  return {
    ...(filter === undefined ? {} : { filter }),
    ...(select === undefined ? {} : { select }),
    ...(orderBy === undefined ? {} : { orderBy }),
    ...(expand === undefined ? {} : { expand }),
    ...(topText === undefined ? {} : { top: Number(topText) }),
  };
}

/**
 * Checks the query against what the service supports for the entity before any request:
 * an unknown property gets the nearest known one, and the exit code says it was our input.
 */
export function checkQuery(query: ODataQuery, entityName: string): void {
  const entity = (entities as Readonly<Record<string, (typeof entities)[keyof typeof entities]>>)[entityName];
  if (entity === undefined) throw new Error(`no metadata for ${entityName}`);
  const [problem] = validateQuery(query, entity, { entities, enums });
  if (problem === undefined) return;
  // The message is Graph's own wording, with the nearest known name when there is one.
  throw new UsageError(`--${problem.option.slice(1)}: ${problem.message}`);
}

/** The query as openapi-fetch parameters; the client joins arrays with commas, as OData wants. */
export function graphQuery(query: ODataQuery): Record<string, string | number | string[]> {
  return {
    ...(query.filter === undefined ? {} : { $filter: formatFilter(query.filter) }),
    ...(query.select === undefined ? {} : { $select: [formatSelect(query.select)] }),
    ...(query.orderBy === undefined ? {} : { $orderby: [formatOrderBy(query.orderBy)] }),
    ...(query.expand === undefined ? {} : { $expand: [formatExpand(query.expand)] }),
    ...(query.top === undefined ? {} : { $top: query.top }),
  };
}
