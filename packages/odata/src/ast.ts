/**
 * The one AST shared by the builder, serializer, parser and evaluator.
 *
 * Parsed nodes carry `span` (offsets into the text of the option they came from);
 * built nodes have none. Compare ASTs without spans with {@link stripSpans}.
 * @see https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html#sec_SystemQueryOptionfilter
 */

/** Half-open range `[start, end)` of UTF-16 offsets into the parsed text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Literal kinds Graph's `$filter` uses. Enum members are string literals (`category has 'joiner'`). */
export type LiteralType = 'null' | 'boolean' | 'number' | 'string' | 'guid' | 'dateTimeOffset' | 'date' | 'duration';

interface NodeBase {
  readonly span?: Span;
}

/** A constant: `null`, `true`, `42`, `'O''Brien'`, a bare GUID, `2024-01-01T00:00:00.1234567Z`, `duration'PT1H'`. */
export type LiteralNode = NodeBase &
  (
    | { readonly kind: 'literal'; readonly type: 'null'; readonly value: null }
    | { readonly kind: 'literal'; readonly type: 'boolean'; readonly value: boolean }
    | { readonly kind: 'literal'; readonly type: 'number'; readonly value: number }
    // Date-times keep their text: Graph sends 7 fraction digits, which `Date` would lose.
    | { readonly kind: 'literal'; readonly type: 'string' | 'guid' | 'dateTimeOffset' | 'date' | 'duration'; readonly value: string }
  );

/**
 * A member path such as `subject/id`, `tasks/$count` or a lambda variable path `t/isEnabled`.
 * Segments containing a dot are type casts (`microsoft.graph.user`).
 */
export interface PropertyNode extends NodeBase {
  readonly kind: 'property';
  readonly path: readonly string[];
}

export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'has';

export interface ComparisonNode extends NodeBase {
  readonly kind: 'compare';
  readonly op: ComparisonOperator;
  readonly left: Expression;
  readonly right: Expression;
}

export interface InNode extends NodeBase {
  readonly kind: 'in';
  readonly left: Expression;
  readonly list: readonly LiteralNode[];
}

export interface LogicalNode extends NodeBase {
  readonly kind: 'logical';
  readonly op: 'and' | 'or';
  readonly left: Expression;
  readonly right: Expression;
}

export interface NotNode extends NodeBase {
  readonly kind: 'not';
  readonly operand: Expression;
}

/** Functions Graph supports in `$filter`; the first three are its documented ones. */
export type FunctionName = 'startswith' | 'endswith' | 'contains' | 'tolower' | 'toupper' | 'length' | 'trim';

export interface CallNode extends NodeBase {
  readonly kind: 'call';
  readonly name: FunctionName;
  readonly args: readonly Expression[];
}

/** `tasks/any(t: t/isEnabled eq true)`; `predicate` is absent for `tasks/any()`. */
export interface LambdaNode extends NodeBase {
  readonly kind: 'lambda';
  readonly op: 'any' | 'all';
  readonly collection: PropertyNode;
  readonly variable: string;
  readonly predicate?: Expression;
}

/** Any `$filter` (sub)expression. */
export type Expression = LiteralNode | PropertyNode | ComparisonNode | InNode | LogicalNode | NotNode | CallNode | LambdaNode;

/** One `$orderby` item. */
export interface OrderByItem extends NodeBase {
  readonly property: PropertyNode;
  readonly direction: 'asc' | 'desc';
}

/** One `$expand` item with its nested options (`subject($select=id;$top=1)`). */
export interface ExpandItem extends NodeBase {
  readonly property: PropertyNode;
  readonly options: QueryOptions;
}

/** The options shared by a query and a nested `$expand`. */
export interface QueryOptions {
  readonly filter?: Expression;
  readonly orderBy?: readonly OrderByItem[];
  /** `$select` items; `*` selects all. */
  readonly select?: readonly PropertyNode[];
  readonly expand?: readonly ExpandItem[];
  readonly top?: number;
  readonly skip?: number;
  readonly count?: boolean;
  readonly search?: string;
}

/** A whole query (`?$filter=…&$select=…`), as `parseQuery` returns and `formatQuery` takes. */
export interface ODataQuery extends QueryOptions {
  /** The opaque paging token of an `@odata.nextLink`. */
  readonly skipToken?: string;
  /** Parameters that are not system query options (no `$`, unknown name), decoded. */
  readonly custom?: Readonly<Record<string, string>>;
}

/** Returns a deep copy of `value` without `span` properties, for comparing ASTs. */
export function stripSpans<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => stripSpans(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key !== 'span') out[key] = stripSpans(v);
  }
  return out as T;
}
