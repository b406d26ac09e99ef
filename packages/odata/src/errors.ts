/** Why a query was refused: not OData at all, or valid OData that Microsoft Graph does not accept. */
export type ODataErrorReason = 'syntax' | 'unsupported-by-graph';

/**
 * A query option that is not valid OData. `offset` points at the first character of the
 * offending token in `input` (the decoded option value), not at the end of the longest valid prefix.
 * Valid OData that Graph refuses throws the subclass {@link ODataUnsupportedError}
 * (`reason: 'unsupported-by-graph'`), so one `catch` handles both.
 */
export class ODataSyntaxError extends Error {
  override readonly name: string = 'ODataSyntaxError';
  /** `'syntax'` here; `'unsupported-by-graph'` for an {@link ODataUnsupportedError}. */
  readonly reason: ODataErrorReason = 'syntax';
  /** UTF-16 offset of the offending token in `input`. */
  readonly offset: number;
  /** What the parser would have accepted at `offset`. */
  readonly expected: readonly string[];
  /** The offending token as written, or `end of input`. */
  readonly found: string;
  /** The text that was parsed. */
  readonly input: string;
  /** The query option the text belongs to (`$filter`), when parsed as part of a query. */
  readonly option: string | undefined;

  constructor(input: string, offset: number, expected: readonly string[], found: string, option?: string, message?: string) {
    super(message ?? describe(input, offset, expected, found, option));
    this.input = input;
    this.offset = offset;
    this.expected = expected;
    this.found = found;
    this.option = option;
  }

  /** Recognises the error across duplicate copies of this module, where `instanceof` fails. */
  static is(value: unknown): value is ODataSyntaxError {
    return value instanceof Error && (value.name === 'ODataSyntaxError' || value.name === 'ODataUnsupportedError') && 'offset' in value;
  }
}

/** Microsoft Graph's page on the query parameters it supports, linked from every {@link ODataUnsupportedError}. */
const GRAPH_QUERY_DOCS = 'https://learn.microsoft.com/graph/query-parameters';

/**
 * Valid OData that Microsoft Graph does not accept (`concat`, arithmetic, `$compute`, …), with the
 * offset of the construct. `found` and `construct` name it; `see` links Graph's query-parameter docs.
 * @see https://learn.microsoft.com/graph/query-parameters
 */
export class ODataUnsupportedError extends ODataSyntaxError {
  override readonly name: string = 'ODataUnsupportedError';
  override readonly reason: ODataErrorReason = 'unsupported-by-graph';
  /** The construct as OData names it (`concat`, `add`, `$compute`, `a parameter alias`). */
  readonly construct: string;
  /** Where Graph documents what it supports. */
  readonly see: string = GRAPH_QUERY_DOCS;

  constructor(input: string, offset: number, construct: string, option?: string) {
    const where = option === undefined ? '' : ` in ${option}`;
    super(input, offset, [], construct, option, `Unsupported by Microsoft Graph at position ${offset}${where}: ${construct} is valid OData but Microsoft Graph does not support it (see ${GRAPH_QUERY_DOCS})\n${caret(input, offset)}`);
    this.construct = construct;
  }

  /** Recognises the error across duplicate copies of this module, where `instanceof` fails. */
  static override is(value: unknown): value is ODataUnsupportedError {
    return ODataSyntaxError.is(value) && value.reason === 'unsupported-by-graph';
  }
}

function describe(input: string, offset: number, expected: readonly string[], found: string, option: string | undefined): string {
  const where = option === undefined ? '' : ` in ${option}`;
  const want = expected.length === 0 ? '' : `expected ${expected.length === 1 ? String(expected[0]) : `${expected.slice(0, -1).join(', ')} or ${String(expected.at(-1))}`}, `;
  return `Syntax error at position ${offset}${where}: ${want}found ${found}\n${caret(input, offset)}`;
}

/** A one-line excerpt of `input` around `offset` with a caret under it. */
export function caret(input: string, offset: number): string {
  const from = Math.max(0, offset - 40);
  const to = Math.min(input.length, offset + 40);
  // Newlines and tabs would break the caret's alignment.
  const excerpt = input.slice(from, to).replace(/[\t\n\r]/g, ' ');
  const prefix = from > 0 ? '…' : '';
  const suffix = to < input.length ? '…' : '';
  return `  ${prefix}${excerpt}${suffix}\n  ${' '.repeat(prefix.length + offset - from)}^`;
}
