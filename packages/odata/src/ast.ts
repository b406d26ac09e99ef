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
    // An integer beyond ±2^53 (or, under metadata, one compared with an Int64 property) is a `bigint`, digits intact;
    // every other number is a double, `INF`, `-INF` and `NaN` included.
    | { readonly kind: 'literal'; readonly type: 'number'; readonly value: number | bigint }
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

/**
 * The functions Graph documents for `$filter`. Other OData functions (`tolower`, `concat`, …)
 * parse to an {@link ODataUnsupportedError}.
 * @see https://learn.microsoft.com/graph/filter-query-parameter
 */
export type FunctionName = 'startswith' | 'endswith' | 'contains';

export interface CallNode extends NodeBase {
  readonly kind: 'call';
  readonly name: FunctionName;
  readonly args: readonly Expression[];
}

/** `tasks/any(t: t/isEnabled eq true)`; `predicate` is absent only for `tasks/any()` (`all` always has one). */
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

/**
 * One `$expand` item with its nested options (`subject($select=id;$top=1)`). The path may end in
 * `$ref` or `$count` (`members/$ref`), which take fewer options, as OData says.
 */
export interface ExpandItem extends NodeBase {
  readonly property: PropertyNode;
  readonly options: ExpandOptions;
}

/** The options of an `$expand` item: a query's options plus `$levels` (`manager($levels=max)`). */
export interface ExpandOptions extends QueryOptions {
  readonly levels?: number | 'max';
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
  /** The opaque token of a `@odata.deltaLink` (or `latest`). */
  readonly deltaToken?: string;
  /** `$format` as given (`json`); Graph answers JSON whatever it says. */
  readonly format?: string;
  /** Parameters that are not system query options (no `$`, unknown name), decoded. */
  readonly custom?: Readonly<Record<string, string>>;
}

/**
 * Returns a deep copy of `value` without `span` properties, for comparing ASTs. Iterative, so a
 * 50,000-clause chain copies as well as a short one.
 */
export function stripSpans<T>(value: T): T {
  const root: Record<string, unknown> = {};
  const work: [source: unknown, target: Record<string | number, unknown>, key: string | number][] = [[value, root, 'value']];
  for (let next = work.pop(); next !== undefined; next = work.pop()) {
    const [source, target, key] = next;
    if (Array.isArray(source)) {
      const copy: unknown[] = new Array<unknown>(source.length);
      target[key] = copy;
      source.forEach((v: unknown, i) => work.push([v, copy as unknown as Record<number, unknown>, i]));
    } else if (source !== null && typeof source === 'object') {
      const copy: Record<string, unknown> = {};
      target[key] = copy;
      for (const [k, v] of Object.entries(source)) {
        if (k === 'span') continue;
        copy[k] = v;
        if (v !== null && typeof v === 'object') work.push([v, copy, k]);
      }
    } else target[key] = source;
  }
  return root['value'] as T;
}
