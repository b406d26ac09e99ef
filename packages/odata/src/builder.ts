import type { EntityMetadata, FilterOperator, PropertyMetadata } from '@idgov/types';
import type { ComparisonOperator, ExpandItem, Expression, LiteralNode, ODataQuery, OrderByItem, PropertyNode, QueryOptions } from './ast.js';
import { isDateTimeText } from './instant.js';
import type { IsoDateTimeString, TypedLiteral } from './literals.js';
import { dateTimeOffset } from './literals.js';
import type { MetadataSet } from './validate.js';

// ---- types: what each property accepts, derived from the entity type and its metadata ----

type Props<M extends EntityMetadata> = M['properties'];
type Prop<M extends EntityMetadata, K> = K extends keyof Props<M> ? Props<M>[K] : never;
type OpsOf<P> = P extends { readonly filter: readonly (infer O)[] } ? O : never;
type Present<T, K> = K extends keyof T ? NonNullable<T[K]> : unknown;

/** Top-level properties of `M` whose documented `$filter` operators include one of `Op`. */
export type FilterableProperty<M extends EntityMetadata, Op extends FilterOperator> = {
  [K in keyof Props<M> & string]: Op extends OpsOf<Props<M>[K]> ? K : never;
}[keyof Props<M> & string];

type NestedPath<T, M extends EntityMetadata, Op extends FilterOperator> = {
  [K in FilterableProperty<M, Op>]: Prop<M, K> extends { readonly kind: 'complex' | 'entity'; readonly collection: false }
    ? `${K}/${Exclude<keyof Present<T, K>, `@${string}`> & string}`
    : never;
}[FilterableProperty<M, Op>];

/** Paths usable with operator `Op`: filterable properties, and members of a filterable single-valued complex or navigation property (`subject/id`). */
export type FilterPath<T, M extends EntityMetadata, Op extends FilterOperator> = FilterableProperty<M, Op> | NestedPath<T, M, Op>;

/** A date-time operand: a `Date`, an ISO 8601 string with offset (checked at run time) or `dateTimeOffset(…)`. */
export type DateTimeInput = Date | IsoDateTimeString | TypedLiteral<'dateTimeOffset'>;

type EnumValue<TV> = (TV extends string ? TV : string) | TypedLiteral<'string', TV extends string ? TV : string>;

type ValueFor<P, TV> =
  | (P extends { readonly kind: 'dateTimeOffset' }
      ? DateTimeInput
      : P extends { readonly kind: 'date' }
        ? `${number}-${number}-${number}` | TypedLiteral<'date'>
        : P extends { readonly kind: 'int64' }
          ? number | bigint
          : P extends { readonly kind: 'int32' | 'number' }
          ? number
          : P extends { readonly kind: 'boolean' }
            ? boolean
            : P extends { readonly kind: 'enum' }
              ? EnumValue<TV>
              : P extends { readonly kind: 'string' }
                ? string | TypedLiteral<'guid'>
                : P extends { readonly kind: 'duration' }
                  ? TypedLiteral<'duration'>
                  : never)
  | (P extends { readonly nullable: true } ? null : never);

type NestedValue<V> = V extends string ? string | TypedLiteral<'guid'> | TypedLiteral<'dateTimeOffset'> : V extends number | boolean | null ? V : never;

/** The operand type of a path: enum members for enums, dates for date-times, numbers for counts, plus `null` when nullable. */
export type FilterValue<T, M extends EntityMetadata, P extends string> = P extends `${infer K}/${infer S}`
  ? NestedValue<S extends keyof Present<T, K> ? Present<T, K>[S] : never>
  : ValueFor<Prop<M, P>, Present<T, P>>;

type OpsAt<M extends EntityMetadata, P extends string> = P extends `${infer K}/${string}` ? OpsOf<Prop<M, K>> : OpsOf<Prop<M, P>>;
// `in` is a list of `eq`s, accepted wherever `eq` is.
type WithIn<O> = O | ('eq' extends O ? 'in' : never);
type ValueOperator = Exclude<ComparisonOperator, 'has'>;
type TextOperator = 'startswith' | 'endswith' | 'contains';
type MethodName<O> = O extends 'startswith' ? 'startsWith' : O extends 'endswith' ? 'endsWith' : O;

type OperandOf<T, M extends EntityMetadata, P extends string, O> = O extends 'in' ? readonly FilterValue<T, M, P>[] : O extends TextOperator ? string : FilterValue<T, M, P>;

/** The fluent form: `$.where('processingStatus').eq('failed')`, with only the operators the property supports. */
export type Where<T, M extends EntityMetadata, P extends string> = {
  readonly [O in WithIn<OpsAt<M, P>> & (ValueOperator | 'has' | 'in' | TextOperator) as MethodName<O>]: (operand: OperandOf<T, M, P, O>) => Filter;
};

type Element<T, K> = Present<T, K> extends readonly (infer E)[] ? E : unknown;
type TargetMeta<S extends MetadataSet, P> = P extends { readonly type: infer N }
  ? N extends keyof S['entities']
    ? S['entities'][N]
    : EntityMetadata
  : EntityMetadata;

type CollectionProperty<M extends EntityMetadata, Op extends FilterOperator> = {
  [K in FilterableProperty<M, Op>]: Prop<M, K> extends { readonly collection: true } ? K : never;
}[FilterableProperty<M, Op>];

/** A built `$filter` expression, combinable fluently. */
export interface Filter {
  readonly node: Expression;
  and(...others: Filter[]): Filter;
  or(...others: Filter[]): Filter;
  not(): Filter;
}

/** Comparison and logic functions typed by an entity; see {@link entityQuery}. */
export interface FilterFunctions<T, M extends EntityMetadata, S extends MetadataSet> {
  eq<P extends FilterPath<T, M, 'eq'>>(path: P, value: FilterValue<T, M, P>): Filter;
  ne<P extends FilterPath<T, M, 'ne'>>(path: P, value: FilterValue<T, M, P>): Filter;
  gt<P extends FilterPath<T, M, 'gt'>>(path: P, value: FilterValue<T, M, P>): Filter;
  ge<P extends FilterPath<T, M, 'ge'>>(path: P, value: FilterValue<T, M, P>): Filter;
  lt<P extends FilterPath<T, M, 'lt'>>(path: P, value: FilterValue<T, M, P>): Filter;
  le<P extends FilterPath<T, M, 'le'>>(path: P, value: FilterValue<T, M, P>): Filter;
  in<P extends FilterPath<T, M, 'in' | 'eq'>>(path: P, values: readonly FilterValue<T, M, P>[]): Filter;
  has<P extends FilterPath<T, M, 'has'>>(path: P, value: FilterValue<T, M, P>): Filter;
  startsWith(path: FilterPath<T, M, 'startswith'>, prefix: string): Filter;
  endsWith(path: FilterPath<T, M, 'endswith'>, suffix: string): Filter;
  contains(path: FilterPath<T, M, 'contains'>, text: string): Filter;
  and(first: Filter, ...rest: Filter[]): Filter;
  or(first: Filter, ...rest: Filter[]): Filter;
  not(filter: Filter): Filter;
  /** `collection/any(variable: …)`; `body` gets functions typed by the element. */
  any<K extends CollectionProperty<M, 'any'>>(collection: K, variable: string, body: (element: FilterFunctions<Element<T, K>, TargetMeta<S, Prop<M, K>>, S>) => Filter): Filter;
  all<K extends CollectionProperty<M, 'all'>>(collection: K, variable: string, body: (element: FilterFunctions<Element<T, K>, TargetMeta<S, Prop<M, K>>, S>) => Filter): Filter;
  where<P extends FilterPath<T, M, FilterOperator>>(path: P): Where<T, M, P>;
}

/** The plain-object form of a filter, for JSON configs: `{ processingStatus: { in: ['failed'] }, completedDateTime: { ge: '2024-…Z' } }`. */
export type FilterObject<T, M extends EntityMetadata> =
  | { readonly and: readonly FilterObject<T, M>[] }
  | { readonly or: readonly FilterObject<T, M>[] }
  | { readonly not: FilterObject<T, M> }
  | {
      readonly [P in FilterPath<T, M, FilterOperator>]?: {
        readonly [O in WithIn<OpsAt<M, P>> & (ValueOperator | 'has' | 'in' | TextOperator)]?: OperandOf<T, M, P, O>;
      };
    };

type OrderableProperty<M extends EntityMetadata> = {
  [K in keyof Props<M> & string]: Props<M>[K] extends { readonly orderBy: true } ? K : never;
}[keyof Props<M> & string];

type ExpandableProperty<M extends EntityMetadata> = {
  [K in keyof Props<M> & string]: Props<M>[K] extends { readonly expand: true } ? K : never;
}[keyof Props<M> & string];

type Target<T, K> = Present<T, K> extends readonly (infer E)[] ? E : Present<T, K>;

/** The plain-object form of a query: the same shape CLI flags and JSON configs produce. */
export interface QueryInput<T, M extends EntityMetadata, S extends MetadataSet> {
  readonly filter?: Filter | FilterObject<T, M>;
  readonly select?: readonly ((keyof Props<M> & string) | '*')[];
  /** `'completedDateTime'`, `'completedDateTime desc'`. */
  readonly orderBy?: readonly (OrderableProperty<M> | `${OrderableProperty<M>} ${'asc' | 'desc'}`)[];
  readonly expand?: readonly ExpandableProperty<M>[] | { readonly [K in ExpandableProperty<M>]?: true | QueryInput<Target<T, K>, TargetMeta<S, Prop<M, K>>, S> };
  /** At least 1. */
  readonly top?: number;
  readonly skip?: number;
  readonly count?: boolean;
  /** Graph's `$search` text, quotes included: `"displayName:onboard"`. */
  readonly search?: string;
}

/** A builder bound to one entity: {@link FilterFunctions} plus the plain-object forms. */
export interface EntityQueryBuilder<T, M extends EntityMetadata, S extends MetadataSet> extends FilterFunctions<T, M, S> {
  /** Builds a whole query from the plain-object form; the same AST the functions build. */
  query(input: QueryInput<T, M, S>): ODataQuery;
  /** Builds a filter from its plain-object form. */
  filter(input: FilterObject<T, M>): Filter;
}

// ---- run time -----------------------------------------------------------------------------

class BuiltFilter implements Filter {
  constructor(readonly node: Expression) {}
  and(...others: Filter[]): Filter {
    return chain('and', this, others);
  }
  or(...others: Filter[]): Filter {
    return chain('or', this, others);
  }
  not(): Filter {
    return new BuiltFilter({ kind: 'not', operand: this.node });
  }
}

function chain(op: 'and' | 'or', first: Filter, rest: readonly Filter[]): Filter {
  let node = first.node;
  for (const f of rest) node = { kind: 'logical', op, left: node, right: f.node };
  return new BuiltFilter(node);
}

function isLiteralNode(v: unknown): v is LiteralNode {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'literal';
}

class Builder {
  constructor(
    private readonly entity: EntityMetadata,
    private readonly metadata: MetadataSet | undefined,
    private readonly prefix: readonly string[],
  ) {}

  private property(path: string): PropertyMetadata | undefined {
    let entity: EntityMetadata | undefined = this.entity;
    let prop: PropertyMetadata | undefined;
    for (const segment of path.split('/')) {
      prop = entity?.properties[segment];
      entity = prop?.type === undefined ? undefined : this.metadata?.entities[prop.type];
    }
    return prop;
  }

  private node(path: string): PropertyNode {
    return { kind: 'property', path: [...this.prefix, ...path.split('/')] };
  }

  private literal(path: string, value: unknown): LiteralNode {
    if (isLiteralNode(value)) return value;
    if (value === null) return { kind: 'literal', type: 'null', value: null };
    if (value instanceof Date) return dateTimeOffset(value);
    if (typeof value === 'boolean') return { kind: 'literal', type: 'boolean', value };
    // INF, -INF and NaN are OData literals too; a bigint keeps an Int64's every digit.
    if (typeof value === 'number' || typeof value === 'bigint') return { kind: 'literal', type: 'number', value };
    if (typeof value !== 'string') throw new TypeError(`'${path}' cannot be compared with a ${typeof value}`);
    const prop = this.property(path);
    if (prop?.kind === 'dateTimeOffset') return dateTimeOffset(value);
    if (prop?.kind === 'date') {
      if (!isDateTimeText(`${value}T00:00:00Z`)) throw new RangeError(`Not a date: '${value}'`);
      return { kind: 'literal', type: 'date', value };
    }
    if (prop?.kind === 'enum') {
      const members = prop.type === undefined ? undefined : this.metadata?.enums?.[prop.type];
      const parts = members?.flags === true ? value.split(',') : [value];
      const unknown = parts.find((p) => members !== undefined && !members.members.includes(p));
      if (unknown !== undefined) throw new RangeError(`'${unknown}' is not a member of ${prop.type ?? 'the enum'}`);
    }
    return { kind: 'literal', type: 'string', value };
  }

  compare(op: ComparisonOperator, path: string, value: unknown): Filter {
    return new BuiltFilter({ kind: 'compare', op, left: this.node(path), right: this.literal(path, value) });
  }

  in(path: string, values: readonly unknown[]): Filter {
    if (values.length === 0) throw new RangeError(`'${path}' in () matches nothing; give at least one value`);
    return new BuiltFilter({ kind: 'in', left: this.node(path), list: values.map((v) => this.literal(path, v)) });
  }

  text(name: TextOperator, path: string, value: string): Filter {
    return new BuiltFilter({ kind: 'call', name, args: [this.node(path), { kind: 'literal', type: 'string', value }] });
  }

  lambda(op: 'any' | 'all', collection: string, variable: string, body: (b: never) => Filter): Filter {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) throw new RangeError(`Not a lambda variable name: '${variable}'`);
    const type = this.property(collection)?.type;
    const target = (type === undefined ? undefined : this.metadata?.entities[type]) ?? { name: type ?? collection, properties: {} };
    const inner = new Builder(target, this.metadata, [variable]);
    const predicate = body(inner.functions() as never).node;
    return new BuiltFilter({ kind: 'lambda', op, collection: this.node(collection), variable, predicate });
  }

  where(path: string): Record<string, (operand: unknown) => Filter> {
    const compare = (op: ComparisonOperator) => (v: unknown) => this.compare(op, path, v);
    const text = (name: TextOperator) => (v: unknown) => this.text(name, path, String(v));
    return {
      eq: compare('eq'),
      ne: compare('ne'),
      gt: compare('gt'),
      ge: compare('ge'),
      lt: compare('lt'),
      le: compare('le'),
      has: compare('has'),
      in: (v) => this.in(path, v as readonly unknown[]),
      startsWith: text('startswith'),
      endsWith: text('endswith'),
      contains: text('contains'),
    };
  }

  fromObject(input: object): Filter {
    const parts: Filter[] = [];
    for (const [key, value] of Object.entries(input)) {
      if (key === 'and' || key === 'or') {
        const list = (value as object[]).map((v) => this.fromObject(v));
        const [first, ...rest] = list;
        if (first === undefined) throw new RangeError(`'${key}' needs at least one condition`);
        parts.push(chain(key, first, rest));
      } else if (key === 'not') {
        parts.push(this.fromObject(value as object).not());
      } else {
        const where = this.where(key);
        for (const [op, operand] of Object.entries(value as object)) {
          const method = op === 'startswith' ? 'startsWith' : op === 'endswith' ? 'endsWith' : op;
          const make = where[method];
          if (make === undefined) throw new RangeError(`Unknown operator '${op}' for '${key}'`);
          parts.push(make(operand));
        }
      }
    }
    const [first, ...rest] = parts;
    if (first === undefined) throw new RangeError('An empty filter object matches everything; leave the filter out instead');
    return chain('and', first, rest);
  }

  query(input: Record<string, unknown>): QueryOptions {
    const out: Record<string, unknown> = {};
    const { filter, select, orderBy, expand, top, skip, count, search } = input;
    if (filter !== undefined) out['filter'] = filter instanceof BuiltFilter ? filter.node : this.fromObject(filter as object).node;
    if (select !== undefined) out['select'] = (select as string[]).map((s) => this.node(s));
    if (orderBy !== undefined) {
      out['orderBy'] = (orderBy as string[]).map((term): OrderByItem => {
        const [path = '', direction = 'asc'] = term.split(' ');
        return { property: this.node(path), direction: direction === 'desc' ? 'desc' : 'asc' };
      });
    }
    if (expand !== undefined) {
      const entries: [string, unknown][] = Array.isArray(expand) ? expand.map((k: unknown) => [String(k), true]) : Object.entries(expand as object);
      out['expand'] = entries.map(([path, nested]): ExpandItem => {
        const type = this.property(path)?.type;
        const target = (type === undefined ? undefined : this.metadata?.entities[type]) ?? { name: path, properties: {} };
        const options = nested === true ? {} : new Builder(target, this.metadata, []).query(nested as Record<string, unknown>);
        return { property: this.node(path), options };
      });
    }
    if (top !== undefined) {
      if (typeof top !== 'number' || !Number.isSafeInteger(top) || top < 1) throw new RangeError(`top must be an integer of at least 1, not ${JSON.stringify(top)}`);
      out['top'] = top;
    }
    if (skip !== undefined) {
      if (typeof skip !== 'number' || !Number.isSafeInteger(skip) || skip < 0) throw new RangeError(`skip must be a non-negative integer, not ${JSON.stringify(skip)}`);
      out['skip'] = skip;
    }
    if (count !== undefined) out['count'] = count;
    if (search !== undefined) out['search'] = search;
    return out;
  }

  functions(): Record<string, unknown> {
    return {
      eq: (p: string, v: unknown) => this.compare('eq', p, v),
      ne: (p: string, v: unknown) => this.compare('ne', p, v),
      gt: (p: string, v: unknown) => this.compare('gt', p, v),
      ge: (p: string, v: unknown) => this.compare('ge', p, v),
      lt: (p: string, v: unknown) => this.compare('lt', p, v),
      le: (p: string, v: unknown) => this.compare('le', p, v),
      has: (p: string, v: unknown) => this.compare('has', p, v),
      in: (p: string, v: readonly unknown[]) => this.in(p, v),
      startsWith: (p: string, v: string) => this.text('startswith', p, v),
      endsWith: (p: string, v: string) => this.text('endswith', p, v),
      contains: (p: string, v: string) => this.text('contains', p, v),
      and: (first: Filter, ...rest: Filter[]) => chain('and', first, rest),
      or: (first: Filter, ...rest: Filter[]) => chain('or', first, rest),
      not: (f: Filter) => f.not(),
      any: (c: string, v: string, body: (b: never) => Filter) => this.lambda('any', c, v, body),
      all: (c: string, v: string, body: (b: never) => Filter) => this.lambda('all', c, v, body),
      where: (p: string) => this.where(p),
      query: (input: Record<string, unknown>) => this.query(input),
      filter: (input: object) => this.fromObject(input),
    };
  }
}

/**
 * A query builder typed by an entity type `T` (from `@idgov/types`) and its `as const`
 * metadata: unknown properties, operators the service does not support for a property, and
 * values of the wrong type fail to compile. Pass `metadata` (all entities and enums) to type
 * lambdas and nested `$expand` options and to check enum members at run time.
 *
 * ```ts
 * const $ = entityQuery<UserProcessingResult>()(entities['microsoft.graph.identityGovernance.userProcessingResult'], { entities, enums });
 * $.and($.eq('processingStatus', 'failed'), $.ge('completedDateTime', new Date('2024-05-01')));
 * ```
 */
export function entityQuery<T = unknown>(): <const M extends EntityMetadata, const S extends MetadataSet = { entities: Record<string, EntityMetadata> }>(
  entity: M,
  metadata?: S,
) => EntityQueryBuilder<T, M, S> {
  return <const M extends EntityMetadata, const S extends MetadataSet>(entity: M, metadata?: S) =>
    new Builder(entity, metadata, []).functions() as unknown as EntityQueryBuilder<T, M, S>;
}
