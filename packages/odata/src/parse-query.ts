import type { EntityMetadata } from '@idgov/types';
import type { ExpandItem, Expression, ODataQuery, OrderByItem, PropertyNode } from './ast.js';
import { ODataSyntaxError, ODataUnsupportedError } from './errors.js';
import { OPTION_KEYS, optionName, Parser, QUERY_OPTIONS, UNSUPPORTED_OPTIONS } from './parser.js';
import { loneSurrogateAt } from './unicode.js';
import type { OptionKey, ParseOptions } from './parser.js';
import { normalizeQuery } from './validate.js';
import type { MetadataSet } from './validate.js';

/** Options for {@link parseQuery}. */
export interface ParseQueryOptions extends ParseOptions {
  /** With `metadata`: property names are matched case-insensitively and rewritten to its spelling. */
  readonly entity?: EntityMetadata;
  readonly metadata?: MetadataSet;
}

/**
 * Parses a query string as it travels after `?` (a leading `?` is allowed): percent-encoded,
 * `+` or a literal blank for a space, option names case-insensitive and `$` optional.
 * Non-system parameters land in `custom`; `$skiptoken`, `$deltatoken` and `$format` are kept opaque.
 * Each value is decoded on its own, and a percent-encoded `;`, `(` or `)` stays data inside a
 * nested `$search` (`$expand=a($search=x%3By)`).
 * @throws {ODataSyntaxError} for a malformed option; its `offset` is into the decoded value of
 * `option`, or into the raw query string for a malformed name or percent-encoding (`option` undefined).
 * @throws {ODataUnsupportedError} (a subclass) for valid OData Graph does not take (`$compute`, `concat`, …).
 * @see https://learn.microsoft.com/graph/query-parameters
 */
export function parseQuery(query: string, options: ParseQueryOptions = {}): ODataQuery {
  const out: Record<string, unknown> = {};
  // Entries, not assignments: a parameter named `__proto__` must stay a parameter.
  const custom: [string, string][] = [];
  const start = query.startsWith('?') ? 1 : 0;
  let at = start;
  while (at <= query.length) {
    let end = query.indexOf('&', at);
    if (end < 0) end = query.length;
    if (end > at) {
      const eq = query.indexOf('=', at);
      const split = eq < 0 || eq > end ? end : eq;
      const { text: name } = decode(query, at, split);
      const { text: value, escaped } = split === end ? { text: '', escaped: undefined } : decode(query, split + 1, end);
      const lower = name.toLowerCase();
      const system = lower.startsWith('$');
      const bare = system ? lower.slice(1) : lower;
      const found: OptionKey | undefined = Object.hasOwn(OPTION_KEYS, bare) ? OPTION_KEYS[bare] : undefined;
      const key = found !== undefined && QUERY_OPTIONS.includes(found) ? found : undefined;
      if (key === undefined) {
        if (system && UNSUPPORTED_OPTIONS.has(bare)) throw new ODataUnsupportedError(query, at, `$${bare}`);
        if (system) throw new ODataSyntaxError(query, at, QUERY_OPTIONS.map(optionName), `'${name}'`);
        custom.push([name, value]);
      } else {
        if (key in out) throw new ODataSyntaxError(query, at, [], `'${name}' a second time`);
        const parser = new Parser(value, system ? name : `$${name}`, options, escaped);
        out[key] = parser.optionValue(key);
        parser.end(key === 'filter' ? ["'and'", "'or'", 'an operator'] : key === 'top' || key === 'skip' || key === 'count' ? [] : ["','"]);
      }
    }
    at = end + 1;
  }
  if (custom.length > 0) out['custom'] = Object.fromEntries(custom);
  return normalize(out as ODataQuery, options);
}

const ESCAPES = /(?:%[0-9A-Fa-f]{2})+|%/g;
const DELIMITERS = /[;()]/g;

/**
 * Decodes `query[from, to)`: `+` is a blank, `%XX` UTF-8 bytes; malformed escapes and lone
 * surrogates fail at their offset. `escaped` holds the decoded offsets of `;`, `(` and `)` that
 * were percent-encoded.
 */
function decode(query: string, from: number, to: number): { text: string; escaped: Set<number> | undefined } {
  const raw = query.slice(from, to);
  const plain = raw.includes('+') ? raw.replaceAll('+', ' ') : raw;
  let text = plain;
  let escaped: Set<number> | undefined;
  if (plain.includes('%')) {
    text = '';
    let last = 0;
    ESCAPES.lastIndex = 0;
    for (let m = ESCAPES.exec(plain); m !== null; m = ESCAPES.exec(plain)) {
      let run: string;
      try {
        run = decodeURIComponent(m[0]);
      } catch {
        throw new ODataSyntaxError(query, from + m.index, ['a percent-encoded UTF-8 sequence'], `'${m[0].slice(0, 12)}'`);
      }
      text += plain.slice(last, m.index);
      DELIMITERS.lastIndex = 0;
      for (let d = DELIMITERS.exec(run); d !== null; d = DELIMITERS.exec(run)) (escaped ??= new Set()).add(text.length + d.index);
      text += run;
      last = m.index + m[0].length;
    }
    text += plain.slice(last);
  }
  const bad = loneSurrogateAt(raw);
  if (bad >= 0) throw new ODataSyntaxError(query, from + bad, ['well-formed Unicode text'], `a lone surrogate (U+${raw.charCodeAt(bad).toString(16).toUpperCase()})`);
  return { text, escaped };
}

function normalize<Q extends ODataQuery>(query: Q, options: ParseQueryOptions): Q {
  return options.entity !== undefined && options.metadata !== undefined ? normalizeQuery(query, options.entity, options.metadata) : query;
}

/**
 * Parses a `$filter` value (already URL-decoded) into an expression.
 * @throws {ODataSyntaxError} with the offset of the offending token.
 * @see https://learn.microsoft.com/graph/filter-query-parameter
 */
export function parseFilter(text: string, options: ParseQueryOptions = {}): Expression {
  const filter = new Parser(text, '$filter', options).filter();
  return normalize({ filter }, options).filter;
}

/**
 * Parses an `$orderby` value: `completedDateTime desc,id`.
 * @throws {ODataSyntaxError}
 */
export function parseOrderBy(text: string, options: ParseQueryOptions = {}): OrderByItem[] {
  const orderBy = new Parser(text, '$orderby', options).orderBy();
  return [...normalize({ orderBy }, options).orderBy];
}

/**
 * Parses a `$select` value: `id,processingStatus,subject`.
 * @throws {ODataSyntaxError}
 */
export function parseSelect(text: string, options: ParseQueryOptions = {}): PropertyNode[] {
  const select = new Parser(text, '$select', options).select();
  return [...normalize({ select }, options).select];
}

/**
 * Parses an `$expand` value with nested options: `subject($select=id,displayName),tasks($top=5;$filter=isEnabled eq true)`.
 * @throws {ODataSyntaxError}
 */
export function parseExpand(text: string, options: ParseQueryOptions = {}): ExpandItem[] {
  const expand = new Parser(text, '$expand', options).expand();
  return [...normalize({ expand }, options).expand];
}
