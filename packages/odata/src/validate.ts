import type { EntityMetadata, EnumMetadata, FilterOperator, PropertyMetadata } from '@idgov/types';
import type { ExpandItem, Expression, LiteralNode, OrderByItem, PropertyNode, QueryOptions } from './ast.js';
import { assertShape, leftChain, operands } from './shape.js';
import { suggestProperty } from './suggest.js';

/** The metadata a query is checked against: `entities` and `enums` from `@idgov/types`. */
export interface MetadataSet {
  readonly entities: Readonly<Record<string, EntityMetadata>>;
  readonly enums?: Readonly<Record<string, EnumMetadata>>;
}

/** What is wrong with a query for the service. */
export type QueryProblemCode =
  | 'unknownProperty'
  | 'unsupportedOperator'
  | 'notFilterable'
  | 'notOrderable'
  | 'notExpandable'
  | 'notCollection'
  | 'invalidValue';

/** One reason the service would answer 400. */
export interface QueryProblem {
  readonly code: QueryProblemCode;
  /** One line naming the problem, as Graph words it where it can. */
  readonly message: string;
  /** The query option at fault. */
  readonly option: '$filter' | '$orderby' | '$select' | '$expand' | '$top' | '$skip';
  /** Offset of the offending node in the option's text, when the query was parsed. */
  readonly offset?: number;
  /** The property path as written. */
  readonly property?: string;
  /** For `unknownProperty`: the nearest known name, if one is close. */
  readonly suggestion?: string;
}

/** Options for {@link validateQuery}. */
export interface ValidateOptions {
  /**
   * Accept filtering, ordering and expanding where the metadata documents no capability
   * (default `false`: undocumented means unsupported, as the service mostly behaves).
   */
  readonly allowUndocumented?: boolean;
}

interface Resolved {
  /** The properties along the path (a lambda variable contributes none: its `any`/`all` was checked). */
  readonly chain: readonly PropertyMetadata[];
  /** The last property, or undefined for `$count`, a bare variable or an unknown name. */
  readonly last: PropertyMetadata | undefined;
  /** The path with names in the metadata's spelling. */
  readonly path: readonly string[];
  readonly known: boolean;
}

interface Binding {
  readonly entity: EntityMetadata | undefined;
  readonly collection: PropertyMetadata;
}

type Scope = ReadonlyMap<string, Binding>;

const lowerIndexes = new WeakMap<EntityMetadata, Map<string, string>>();

/** Finds a property by name, exactly or else case-insensitively. */
function lookup(entity: EntityMetadata, name: string): [string, PropertyMetadata] | undefined {
  const exact = Object.hasOwn(entity.properties, name) ? entity.properties[name] : undefined;
  if (exact !== undefined) return [name, exact];
  let index = lowerIndexes.get(entity);
  if (index === undefined) {
    index = new Map(Object.keys(entity.properties).map((k) => [k.toLowerCase(), k]));
    lowerIndexes.set(entity, index);
  }
  const key = index.get(name.toLowerCase());
  const prop = key === undefined ? undefined : entity.properties[key];
  return key === undefined || prop === undefined ? undefined : [key, prop];
}

class Checker {
  readonly problems: QueryProblem[] = [];

  constructor(
    private readonly metadata: MetadataSet,
    private readonly allowUndocumented: boolean,
  ) {}

  resolve(node: PropertyNode, entity: EntityMetadata, scope: Scope, option: QueryProblem['option']): Resolved {
    let current: EntityMetadata | undefined = entity;
    const chain: PropertyMetadata[] = [];
    const path: string[] = [];
    let last: PropertyMetadata | undefined;
    let known = true;
    node.path.forEach((segment, i) => {
      if (i === 0 && scope.has(segment)) {
        const binding = scope.get(segment);
        if (binding !== undefined) {
          current = binding.entity;
          last = binding.entity === undefined ? { ...binding.collection, collection: false } : undefined;
        }
        path.push(segment);
        return;
      }
      if (segment === '$count' || segment === '*' || (i === 0 && segment === '$it')) {
        last = segment === '$count' ? { kind: 'int32', nullable: false, collection: false, navigation: false } : undefined;
        path.push(segment);
        return;
      }
      if (segment.includes('.')) {
        current = this.metadata.entities[segment] ?? current;
        path.push(segment);
        return;
      }
      const found: [string, PropertyMetadata] | undefined = current === undefined ? undefined : lookup(current, segment);
      if (found === undefined) {
        if (current !== undefined || i === 0) {
          const candidates = current === undefined ? [] : Object.keys(current.properties);
          const suggestion = suggestProperty(segment, candidates);
          this.problems.push({
            code: 'unknownProperty',
            message: `Could not find a property named '${segment}' on type '${current?.name ?? entity.name}'.${suggestion === undefined ? '' : ` Did you mean '${suggestion}'?`}`,
            option,
            ...offsetOf(node),
            property: node.path.join('/'),
            ...(suggestion === undefined ? {} : { suggestion }),
          });
        }
        current = undefined;
        last = undefined;
        known = false;
        path.push(segment);
        return;
      }
      const [name, prop] = found;
      chain.push(prop);
      last = prop;
      path.push(name);
      current = prop.type === undefined ? undefined : this.metadata.entities[prop.type];
    });
    return { chain, last, path, known };
  }

  filter(e: Expression, entity: EntityMetadata, scope: Scope): void {
    switch (e.kind) {
      case 'literal':
        return;
      case 'property':
        this.resolve(e, entity, scope, '$filter');
        return;
      case 'logical':
        for (const x of operands(e, e.op)) this.filter(x, entity, scope);
        return;
      case 'not':
        this.filter(e.operand, entity, scope);
        return;
      case 'compare':
      case 'in': {
        const right = e.kind === 'compare' ? [e.right] : e.list;
        const [prop, values] = e.left.kind === 'property' ? [e.left, right] : e.kind === 'compare' && e.right.kind === 'property' ? [e.right, [e.left]] : [undefined, []];
        if (prop === undefined) {
          this.filter(e.left, entity, scope);
          for (const r of right) this.filter(r, entity, scope);
          return;
        }
        const op = e.kind === 'in' ? 'in' : e.op;
        this.operand(prop, op, values, entity, scope, e);
        return;
      }
      case 'call': {
        const [first, ...rest] = e.args;
        if (first?.kind === 'property') {
          this.operand(first, e.name, rest, entity, scope, e);
        } else for (const a of e.args) this.filter(a, entity, scope);
        return;
      }
      case 'lambda': {
        const r = this.resolve(e.collection, entity, scope, '$filter');
        if (!r.known || r.last === undefined) return;
        if (!r.last.collection) {
          this.problems.push({ code: 'notCollection', message: `'${e.collection.path.join('/')}' is not a collection; '${e.op}' needs one.`, option: '$filter', ...offsetOf(e), property: e.collection.path.join('/') });
          return;
        }
        this.checkOperator(r, e.op, e.collection, e);
        if (e.predicate !== undefined) {
          const target = r.last.type === undefined ? undefined : this.metadata.entities[r.last.type];
          this.filter(e.predicate, entity, new Map(scope).set(e.variable, { entity: target, collection: r.last }));
        }
        return;
      }
    }
  }

  private operand(prop: PropertyNode, op: FilterOperator, values: readonly Expression[], entity: EntityMetadata, scope: Scope, node: Expression): void {
    const r = this.resolve(prop, entity, scope, '$filter');
    if (!r.known) return;
    this.checkOperator(r, op, prop, node);
    for (const v of values) {
      if (v.kind === 'literal' && r.last !== undefined) this.checkValue(r.last, v, prop);
      else this.filter(v, entity, scope);
    }
  }

  private checkOperator(r: Resolved, op: FilterOperator, prop: PropertyNode, node: Expression): void {
    // A bare lambda variable over primitives (`t eq 'x'`) is governed by the lambda's own check.
    if (r.chain.length === 0) return;
    const documented = [...r.chain].reverse().find((p) => p.filter !== undefined)?.filter;
    const name = prop.path.join('/');
    if (documented === undefined) {
      if (!this.allowUndocumented) this.problems.push({ code: 'notFilterable', message: `Property '${name}' does not support $filter.`, option: '$filter', ...offsetOf(node), property: name });
      return;
    }
    // `in` is a list of `eq`s; Graph accepts it wherever it accepts `eq`.
    if (documented.includes(op) || (op === 'in' && documented.includes('eq'))) return;
    this.problems.push({
      code: 'unsupportedOperator',
      message: `Operator '${op}' is not supported for property '${name}'; supported: ${documented.join(', ')}.`,
      option: '$filter',
      ...offsetOf(node),
      property: name,
    });
  }

  private checkValue(prop: PropertyMetadata, literal: LiteralNode, path: PropertyNode): void {
    if (literal.type === 'null') return;
    const name = path.path.join('/');
    const bad = (wanted: string): void => {
      this.problems.push({ code: 'invalidValue', message: `Property '${name}' compares with ${wanted}, not ${describeLiteral(literal)}.`, option: '$filter', ...offsetOf(literal), property: name });
    };
    switch (prop.kind) {
      case 'enum': {
        const members = prop.type === undefined ? undefined : this.metadata.enums?.[prop.type];
        if (literal.type !== 'string') {
          bad('an enum member in quotes');
          return;
        }
        if (members === undefined) return;
        const parts = members.flags ? literal.value.split(',').map((s) => s.trim()) : [literal.value];
        const unknown = parts.find((p) => !members.members.includes(p));
        if (unknown !== undefined) {
          this.problems.push({ code: 'invalidValue', message: `'${unknown}' is not a member of ${prop.type ?? 'the enum'} (${members.members.join(', ')}).`, option: '$filter', ...offsetOf(literal), property: name });
        }
        return;
      }
      case 'dateTimeOffset':
        if (literal.type !== 'dateTimeOffset') bad('a date-time such as 2024-01-01T00:00:00Z');
        return;
      case 'date':
        if (literal.type !== 'date') bad('a date such as 2024-01-01');
        return;
      case 'int32':
        if (literal.type !== 'number' || !inRange(literal.value, INT32)) bad('an Int32 (an integer from -2147483648 to 2147483647)');
        return;
      case 'int64':
        if (literal.type !== 'number' || !inRange(literal.value, INT64)) bad('an Int64 (an integer from -9223372036854775808 to 9223372036854775807)');
        return;
      case 'number':
        if (literal.type !== 'number') bad('a number');
        return;
      case 'boolean':
        if (literal.type !== 'boolean') bad('true or false');
        return;
      case 'string':
        if (literal.type !== 'string' && literal.type !== 'guid') bad('a string in quotes');
        return;
      case 'duration':
        if (literal.type !== 'duration') bad("a duration such as duration'PT1H'");
        return;
      case 'complex':
      case 'entity':
      case 'unknown':
        return;
    }
  }

  orderBy(items: readonly OrderByItem[], entity: EntityMetadata): void {
    for (const item of items) {
      const r = this.resolve(item.property, entity, new Map(), '$orderby');
      if (!r.known || r.last === undefined || this.allowUndocumented || r.last.orderBy === true) continue;
      const name = item.property.path.join('/');
      this.problems.push({ code: 'notOrderable', message: `Property '${name}' does not support $orderby.`, option: '$orderby', ...offsetOf(item), property: name });
    }
  }

  select(items: readonly PropertyNode[], entity: EntityMetadata): void {
    for (const item of items) this.resolve(item, entity, new Map(), '$select');
  }

  expand(items: readonly ExpandItem[], entity: EntityMetadata): void {
    for (const item of items) {
      if (item.property.path[0] === '*') continue;
      const r = this.resolve(item.property, entity, new Map(), '$expand');
      if (!r.known || r.last === undefined) continue;
      const expandable = r.last.expand === true || (this.allowUndocumented && r.last.navigation);
      const name = item.property.path.join('/');
      if (!expandable) {
        this.problems.push({ code: 'notExpandable', message: `Property '${name}' cannot be expanded.`, option: '$expand', ...offsetOf(item), property: name });
        continue;
      }
      const target = r.last.type === undefined ? undefined : this.metadata.entities[r.last.type];
      if (target !== undefined) this.options(item.options, target);
    }
  }

  options(q: QueryOptions, entity: EntityMetadata): void {
    if (q.filter !== undefined) {
      assertShape(q.filter);
      this.filter(q.filter, entity, new Map());
    }
    if (q.orderBy !== undefined) this.orderBy(q.orderBy, entity);
    if (q.select !== undefined) this.select(q.select, entity);
    if (q.expand !== undefined) this.expand(q.expand, entity);
    if (q.top !== undefined && !(Number.isSafeInteger(q.top) && q.top >= 1)) this.problems.push({ code: 'invalidValue', message: `$top must be an integer of at least 1, not ${q.top}.`, option: '$top' });
    if (q.skip !== undefined && !(Number.isSafeInteger(q.skip) && q.skip >= 0)) this.problems.push({ code: 'invalidValue', message: `$skip must be a non-negative integer, not ${q.skip}.`, option: '$skip' });
  }
}

const INT32 = [-(2n ** 31n), 2n ** 31n - 1n] as const;
const INT64 = [-(2n ** 63n), 2n ** 63n - 1n] as const;

function inRange(value: unknown, [min, max]: readonly [bigint, bigint]): boolean {
  if (typeof value === 'number' && !Number.isInteger(value)) return false;
  return (typeof value === 'number' || typeof value === 'bigint') && value >= min && value <= max;
}

/**
 * A number literal in the representation its property's type wants: a `bigint` for an Int64
 * integer, a double for a Double or Decimal (whose digits beyond a double's are not the user's
 * intent to keep); anything else as it is.
 */
function retype(literal: Expression, prop: PropertyMetadata | undefined): Expression {
  if (literal.kind !== 'literal' || literal.type !== 'number' || prop === undefined) return literal;
  const { value } = literal;
  if (prop.kind === 'int64' && typeof value === 'number' && Number.isSafeInteger(value)) return { ...literal, value: BigInt(value) };
  if (prop.kind === 'number' && typeof value === 'bigint') return { ...literal, value: Number(value) };
  return literal;
}

function offsetOf(node: { readonly span?: { readonly start: number } }): { offset?: number } {
  return node.span === undefined ? {} : { offset: node.span.start };
}

function describeLiteral(l: LiteralNode): string {
  return l.type === 'string' ? `a string ('${l.value}')` : `a ${l.type} (${String(l.value)})`;
}

/**
 * Checks a query against the service's documented capabilities: known properties (matched
 * case-insensitively), operators each property supports in `$filter`, orderable and expandable
 * properties, enum members and value types, `$top` ≥ 1. An empty list means the service accepts it.
 * @see https://learn.microsoft.com/graph/api/resources/identitygovernance-userprocessingresult
 */
export function validateQuery(query: QueryOptions, entity: EntityMetadata, metadata: MetadataSet, options: ValidateOptions = {}): QueryProblem[] {
  const checker = new Checker(metadata, options.allowUndocumented ?? false);
  checker.options(query, entity);
  return checker.problems;
}

/**
 * Rewrites property names to the metadata's spelling (`PROCESSINGSTATUS` → `processingStatus`;
 * unknown names stay), and number literals compared with a property to its type: `bigint` for
 * Int64, a double for Double and Decimal.
 * @throws {RangeError} for a built filter beyond the parser's limits (see `formatFilter`).
 */
export function normalizeQuery<Q extends QueryOptions>(query: Q, entity: EntityMetadata, metadata: MetadataSet): Q {
  const checker = new Checker(metadata, true);
  const rename = (p: PropertyNode, e: EntityMetadata, scope: Scope): PropertyNode => ({ ...p, path: checker.resolve(p, e, scope, '$filter').path });
  const typeOf = (x: Expression, e: EntityMetadata, scope: Scope): PropertyMetadata | undefined => (x.kind === 'property' ? checker.resolve(x, e, scope, '$filter').last : undefined);
  const expr = (x: Expression, e: EntityMetadata, scope: Scope): Expression => {
    switch (x.kind) {
      case 'literal':
        return x;
      case 'property':
        return rename(x, e, scope);
      case 'logical': {
        // Rebuilt link by link from the innermost: a long chain costs no stack.
        const { first, links } = leftChain(x);
        let left = expr(first, e, scope);
        for (const link of links) left = { ...link, left, right: expr(link.right, e, scope) };
        return left;
      }
      case 'compare': {
        const left = retype(expr(x.left, e, scope), typeOf(x.right, e, scope));
        const right = retype(expr(x.right, e, scope), typeOf(x.left, e, scope));
        return { ...x, left, right };
      }
      case 'in': {
        const prop = typeOf(x.left, e, scope);
        return { ...x, left: expr(x.left, e, scope), list: x.list.map((l) => retype(l, prop) as LiteralNode) };
      }
      case 'not':
        return { ...x, operand: expr(x.operand, e, scope) };
      case 'call':
        return { ...x, args: x.args.map((a) => expr(a, e, scope)) };
      case 'lambda': {
        const collection = rename(x.collection, e, scope);
        if (x.predicate === undefined) return { ...x, collection };
        const r = checker.resolve(x.collection, e, scope, '$filter');
        const target = r.last?.type === undefined ? undefined : metadata.entities[r.last.type];
        const binding: Binding | undefined = r.last === undefined ? undefined : { entity: target, collection: r.last };
        const inner = binding === undefined ? scope : new Map(scope).set(x.variable, binding);
        return { ...x, collection, predicate: expr(x.predicate, e, inner) };
      }
    }
  };
  const options = (q: QueryOptions, e: EntityMetadata): QueryOptions => {
    const none: Scope = new Map();
    const out: Record<string, unknown> = { ...q };
    if (q.filter !== undefined) {
      assertShape(q.filter);
      out['filter'] = expr(q.filter, e, none);
    }
    if (q.orderBy !== undefined) out['orderBy'] = q.orderBy.map((i) => ({ ...i, property: rename(i.property, e, none) }));
    if (q.select !== undefined) out['select'] = q.select.map((p) => rename(p, e, none));
    if (q.expand !== undefined) {
      out['expand'] = q.expand.map((i) => {
        const r = checker.resolve(i.property, e, none, '$expand');
        const target = r.last?.type === undefined ? undefined : metadata.entities[r.last.type];
        return { ...i, property: { ...i.property, path: r.path }, options: target === undefined ? i.options : options(i.options, target) };
      });
    }
    return out;
  };
  return options(query, entity) as Q;
}
