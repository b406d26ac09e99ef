import type {
  ComparisonOperator,
  ExpandItem,
  ExpandOptions,
  Expression,
  FunctionName,
  LiteralNode,
  ODataQuery,
  OrderByItem,
  PropertyNode,
  Span,
} from './ast.js';
import { ODataSyntaxError, ODataUnsupportedError } from './errors.js';
import { isDateTimeText } from './instant.js';
import { MAX_DEPTH, MAX_NODES } from './shape.js';
import { loneSurrogateAt } from './unicode.js';

/** How strictly to read OData text. */
export interface ParseOptions {
  /**
   * Accept what Graph accepts beyond the OData ABNF (default `true`): `not(` without a blank,
   * blanks before a function's or lambda's `(` and an `$expand` item's options, a blank where a
   * decoded `+` offset was. Keywords, functions and literals (`AND`, `startsWith`, `TRUE`) are
   * case-insensitive either way, as in the ABNF.
   */
  readonly lenient?: boolean;
}

const FUNCTION_ARITY: Readonly<Record<FunctionName, number>> = {
  startswith: 2,
  endswith: 2,
  contains: 2,
};

/** OData's other built-in functions: valid OData, absent from Graph's `$filter` page. */
const UNSUPPORTED_FUNCTIONS: ReadonlySet<string> = new Set([
  'concat', 'indexof', 'length', 'substring', 'matchespattern', 'tolower', 'toupper', 'trim',
  'year', 'month', 'day', 'hour', 'minute', 'second', 'fractionalseconds', 'totalseconds', 'date', 'time',
  'totaloffsetminutes', 'mindatetime', 'maxdatetime', 'now', 'round', 'floor', 'ceiling',
  'cast', 'isof', 'geo.distance', 'geo.intersects', 'geo.length', 'hassubset', 'hassubsequence', 'case',
]);

const ARITHMETIC: ReadonlySet<string> = new Set(['add', 'sub', 'mul', 'div', 'divby', 'mod']);

/** Typed literals OData writes as `prefix'…'` that Graph does not take. */
const UNSUPPORTED_LITERALS: Readonly<Record<string, string>> = { geography: 'a geography literal', geometry: 'a geometry literal', binary: 'a binary literal' };

const COMPARISON: ReadonlySet<string> = new Set<ComparisonOperator>(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'has']);

// Sticky: matched in place at `lastIndex`, without slicing the input.
const DATE = /\d{4}-\d{2}-\d{2}(?:[Tt]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+ -]\d{2}:\d{2})?)?/y;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

const MAX_SAFE = '9007199254740991';
const NONE: ReadonlySet<number> = new Set();

const Ch = {
  Tab: 9,
  Lf: 10,
  Cr: 13,
  Space: 32,
  Quote: 39,
  DoubleQuote: 34,
  Dollar: 36,
  Open: 40,
  Close: 41,
  Star: 42,
  Plus: 43,
  Comma: 44,
  Minus: 45,
  Dot: 46,
  Slash: 47,
  Zero: 48,
  Nine: 57,
  Colon: 58,
  Semicolon: 59,
  Equals: 61,
  At: 64,
  Underscore: 95,
} as const;

function isDigit(c: number): boolean {
  return c >= Ch.Zero && c <= Ch.Nine;
}

function isIdentifierStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === Ch.Underscore;
}

function isIdentifierPart(c: number): boolean {
  return isIdentifierStart(c) || isDigit(c);
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function isBlank(c: number): boolean {
  return c === Ch.Space || c === Ch.Tab || c === Ch.Lf || c === Ch.Cr;
}

/** Recursive-descent reader over one option's decoded text; also reads nested `$expand` options in place. */
export class Parser {
  private pos = 0;
  private depth = 0;
  private nodes = 0;
  private readonly lenient: boolean;

  /**
   * @param escaped offsets of `;`, `(` and `)` in `src` that arrived percent-encoded: data, not
   * delimiters, inside a nested `$search`.
   */
  constructor(
    private readonly src: string,
    private readonly option: string | undefined,
    options: ParseOptions = {},
    private readonly escaped: ReadonlySet<number> = NONE,
  ) {
    this.lenient = options.lenient ?? true;
    const bad = loneSurrogateAt(src);
    if (bad >= 0) this.fail(bad, ['well-formed Unicode text'], `a lone surrogate (U+${src.charCodeAt(bad).toString(16).toUpperCase()})`);
  }

  // ---- entry points -------------------------------------------------------------------

  filter(): Expression {
    const expr = this.expression();
    this.end(["'and'", "'or'", 'an operator']);
    return expr;
  }

  orderBy(): OrderByItem[] {
    const items = this.orderByList();
    this.end(["','"]);
    return items;
  }

  select(): PropertyNode[] {
    const items = this.selectList();
    this.end(["','"]);
    return items;
  }

  expand(): ExpandItem[] {
    const items = this.expandList();
    this.end(["','", "'('"]);
    return items;
  }

  // ---- $filter ------------------------------------------------------------------------

  private expression(): Expression {
    this.enter(this.pos);
    let left = this.andExpression();
    while (this.keyword('or')) {
      const right = this.andExpression();
      left = { kind: 'logical', op: 'or', left, right, span: this.span(left, right) };
      this.count();
    }
    this.depth--;
    return left;
  }

  private andExpression(): Expression {
    let left = this.comparison();
    while (this.keyword('and')) {
      const right = this.comparison();
      left = { kind: 'logical', op: 'and', left, right, span: this.span(left, right) };
      this.count();
    }
    return left;
  }

  private comparison(): Expression {
    let left = this.unary();
    // `a eq b eq c` nests to the left; each link counts as a level, so the chain stays bounded.
    const outer = this.depth;
    for (;;) {
      const save = this.pos;
      this.skipBlanks();
      const start = this.pos;
      const word = this.word();
      if (word === undefined) {
        this.pos = save;
        this.depth = outer;
        return left;
      }
      const op = word.toLowerCase();
      if (COMPARISON.has(op)) {
        this.requireBlank(start + word.length);
        this.enter(start);
        const right = this.unary();
        left = { kind: 'compare', op: op as ComparisonOperator, left, right, span: this.span(left, right) };
        this.count();
      } else if (op === 'in') {
        this.skipBlanks();
        this.enter(start);
        const list = this.literalList();
        left = { kind: 'in', left, list, span: { start: left.span?.start ?? start, end: this.pos } };
        this.count();
      } else if (ARITHMETIC.has(op) && isBlank(this.src.charCodeAt(this.pos))) {
        this.unsupported(start, `the arithmetic operator '${op}'`);
      } else {
        this.pos = save;
        this.depth = outer;
        return left;
      }
    }
  }

  private unary(): Expression {
    this.skipBlanks();
    const start = this.pos;
    if (this.matchWord('not')) {
      const after = this.pos;
      const next = this.src.charCodeAt(after);
      const blank = isBlank(next);
      if (blank || (next === Ch.Open && this.lenient)) {
        this.enter(start);
        const operand = this.unary();
        this.depth--;
        this.count();
        return { kind: 'not', operand, span: { start, end: operand.span?.end ?? this.pos } };
      }
      this.pos = start;
    }
    return this.primary();
  }

  private primary(): Expression {
    this.skipBlanks();
    const start = this.pos;
    const c = this.src.charCodeAt(start);
    if (c === Ch.Open) {
      this.pos++;
      const inner = this.expression();
      this.skipBlanks();
      this.expect(Ch.Close, ')');
      return inner;
    }
    this.count();
    if (c === Ch.Quote) return this.stringLiteral(start, 'string');
    const guid = this.guidAt(start);
    if (guid !== undefined) return guid;
    if (c === Ch.Minus && this.matchesWordAt(start + 1, 'INF')) {
      this.pos = start + 4;
      return { kind: 'literal', type: 'number', value: -Infinity, span: { start, end: this.pos } };
    }
    if (c === Ch.Minus && (isIdentifierStart(this.src.charCodeAt(start + 1)) || this.src.charCodeAt(start + 1) === Ch.Open)) this.unsupported(start, 'negation (-)');
    if (isDigit(c) || c === Ch.Minus) return this.numberOrDate(start);
    if (c === Ch.At) this.unsupported(start, 'a parameter alias');
    if (isIdentifierStart(c) || c === Ch.Dollar) return this.identifierExpression(start);
    return this.fail(start, ['an expression']);
  }

  private identifierExpression(start: number): Expression {
    const word = this.qualifiedWord() ?? this.fail(start, ['an expression']);
    const c = this.src.charCodeAt(this.pos);
    const lower = word.toLowerCase();
    if (c === Ch.Quote) {
      // duration'PT1H' or a qualified enum literal Namespace.Type'member' (enums compare as strings).
      if (lower === 'duration') return this.stringLiteral(start, 'duration', this.pos);
      if (Object.hasOwn(UNSUPPORTED_LITERALS, lower)) this.unsupported(start, UNSUPPORTED_LITERALS[lower] ?? lower);
      if (word.includes('.')) return this.stringLiteral(start, 'string', this.pos);
      return this.fail(this.pos, ['an operator']);
    }
    if (c !== Ch.Slash && !word.includes('.')) {
      // The ABNF spells these three in this case only; `inf` may be a property.
      if (word === 'INF' || word === 'NaN') return { kind: 'literal', type: 'number', value: word === 'INF' ? Infinity : NaN, span: { start, end: this.pos } };
      if (lower === 'null' || lower === 'true' || lower === 'false') {
        const span = { start, end: this.pos };
        return lower === 'null'
          ? { kind: 'literal', type: 'null', value: null, span }
          : { kind: 'literal', type: 'boolean', value: lower === 'true', span };
      }
    }
    if (c !== Ch.Slash) {
      const save = this.pos;
      if (this.lenient) this.skipBlanks();
      if (this.src.charCodeAt(this.pos) === Ch.Open) {
        if (Object.hasOwn(FUNCTION_ARITY, lower)) return this.call(lower as FunctionName, start);
        if (UNSUPPORTED_FUNCTIONS.has(lower)) this.unsupported(start, `the function '${lower}'`);
        if (word.includes('.')) this.unsupported(start, `the custom function '${word}'`);
      }
      this.pos = save;
    }
    return this.memberPath(start, word);
  }

  private call(name: FunctionName, start: number): Expression {
    this.pos++; // (
    const args: Expression[] = [];
    const arity = FUNCTION_ARITY[name];
    for (let i = 0; i < arity; i++) {
      if (i > 0) {
        this.skipBlanks();
        this.expect(Ch.Comma, ',');
      }
      args.push(this.expression());
    }
    this.skipBlanks();
    this.expect(Ch.Close, arity > 1 ? ')' : "')' (one argument)");
    return { kind: 'call', name, args, span: { start, end: this.pos } };
  }

  private memberPath(start: number, first: string): Expression {
    if (first.startsWith('$')) {
      if (first === '$root' || first === '$this') this.unsupported(start, first);
      if (first !== '$it') this.fail(start, ['a property name', '$it']);
    }
    const path = [first];
    while (this.src.charCodeAt(this.pos) === Ch.Slash) {
      if (path.at(-1) === '$count') this.fail(this.pos, ['an operator'], "'/' after $count");
      this.pos++;
      const segStart = this.pos;
      const seg = this.qualifiedWord() ?? this.fail(segStart, ['a property name']);
      const lower = seg.toLowerCase();
      if (lower === 'any' || lower === 'all') {
        const save = this.pos;
        if (this.lenient) this.skipBlanks();
        if (this.src.charCodeAt(this.pos) === Ch.Open) {
          const collection: PropertyNode = { kind: 'property', path, span: { start, end: segStart - 1 } };
          return this.lambda(lower, collection, start);
        }
        this.pos = save;
      }
      if (seg.startsWith('$') && seg !== '$count') this.fail(segStart, ['a property name', '$count']);
      if (seg.includes('.') && this.src.charCodeAt(this.pos) === Ch.Open) this.unsupported(segStart, `the bound function '${seg}'`);
      path.push(seg);
    }
    // A leading type cast narrows a path; alone it is no value.
    if (path.length === 1 && first.includes('.')) this.fail(this.pos, ["'/' and a property after the type cast"]);
    if (this.src.charCodeAt(this.pos) === Ch.Open) this.fail(start, ['startswith', 'endswith', 'contains', 'a property'], `'${path.join('/')}'`);
    return { kind: 'property', path, span: { start, end: this.pos } };
  }

  private lambda(op: 'any' | 'all', collection: PropertyNode, start: number): Expression {
    this.pos++; // (
    this.skipBlanks();
    // Only `any()` may be empty (OData: "is not empty"); `all()` would be vacuously true.
    if (op === 'any' && this.src.charCodeAt(this.pos) === Ch.Close) {
      this.pos++;
      return { kind: 'lambda', op, collection, variable: '', span: { start, end: this.pos } };
    }
    const varStart = this.pos;
    const variable = (this.src.charCodeAt(varStart) === Ch.Dollar ? undefined : this.word()) ?? this.fail(varStart, op === 'any' ? ['a lambda variable name', "')'"] : ['a lambda variable name']);
    this.skipBlanks();
    this.expect(Ch.Colon, ':');
    const predicate = this.expression();
    this.skipBlanks();
    this.expect(Ch.Close, ')');
    return { kind: 'lambda', op, collection, variable, predicate, span: { start, end: this.pos } };
  }

  private literalList(): LiteralNode[] {
    this.expect(Ch.Open, '(');
    const list: LiteralNode[] = [];
    do {
      const item = this.primary();
      if (item.kind !== 'literal') this.fail(item.span?.start ?? this.pos, ['a literal']);
      list.push(item);
      this.skipBlanks();
    } while (this.eat(Ch.Comma));
    this.expect(Ch.Close, [',', ')']);
    return list;
  }

  // ---- literals -----------------------------------------------------------------------

  private stringLiteral(start: number, type: 'string' | 'duration', quote = start): LiteralNode {
    const src = this.src;
    let i = quote + 1;
    let value = '';
    let from = i;
    for (;;) {
      const q = src.indexOf("'", i);
      if (q < 0) this.fail(quote, ['a closing quote'], 'an unterminated string');
      if (src.charCodeAt(q + 1) === Ch.Quote) {
        value += src.slice(from, q + 1);
        i = from = q + 2;
        continue;
      }
      value += src.slice(from, q);
      this.pos = q + 1;
      break;
    }
    if (type === 'duration' && !/^-?P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/.test(value)) {
      this.fail(quote + 1, ['an ISO 8601 duration'], `'${value}'`);
    }
    return { kind: 'literal', type, value, span: { start, end: this.pos } };
  }

  private guidAt(start: number): LiteralNode | undefined {
    const src = this.src;
    if (start + 36 > src.length) return undefined;
    for (let i = 0; i < 36; i++) {
      const c = src.charCodeAt(start + i);
      if (i === 8 || i === 13 || i === 18 || i === 23 ? c !== Ch.Minus : !isHex(c)) return undefined;
    }
    if (isIdentifierPart(src.charCodeAt(start + 36))) return undefined;
    this.pos = start + 36;
    return { kind: 'literal', type: 'guid', value: src.slice(start, start + 36), span: { start, end: this.pos } };
  }

  private numberOrDate(start: number): LiteralNode {
    const src = this.src;
    DATE.lastIndex = start;
    const m = DATE.exec(src);
    if (m) {
      let text = m[0];
      const end = start + text.length;
      if (text.length > 10) {
        // A `+` offset decoded from an unencoded URL arrives as a blank.
        if (text.charCodeAt(text.length - 6) === Ch.Space) {
          if (!this.lenient) this.fail(start + text.length - 6, ['+', '-', 'Z']);
          text = `${text.slice(0, -6)}+${text.slice(-5)}`;
        }
        if (!isDateTimeText(text)) this.fail(start, ['a date-time with an offset (Z or ±hh:mm)'], `'${text}'`);
        this.pos = end;
        this.noIdentifierAfter();
        return { kind: 'literal', type: 'dateTimeOffset', value: text, span: { start, end } };
      }
      if (!isDateTimeText(`${text}T00:00:00Z`)) this.fail(start, ['a valid date'], `'${text}'`);
      this.pos = end;
      this.noIdentifierAfter();
      return { kind: 'literal', type: 'date', value: text, span: { start, end } };
    }
    NUMBER.lastIndex = start;
    const n = NUMBER.exec(src);
    if (!n) return this.fail(start, ['a number']);
    const text = n[0];
    this.pos = start + text.length;
    this.noIdentifierAfter();
    let value: number | bigint = Number(text);
    if (/^-?\d+$/.test(text)) {
      // Integers keep every digit: beyond 2^53 a double would round them.
      if (!Number.isSafeInteger(value)) value = BigInt(text);
    } else if (!Number.isFinite(value)) {
      this.fail(start, ['a number within the range of a double (about ±1.8e308)'], `'${text}'`);
    }
    return { kind: 'literal', type: 'number', value, span: { start, end: this.pos } };
  }

  private noIdentifierAfter(): void {
    const c = this.src.charCodeAt(this.pos);
    if (isIdentifierPart(c) || c === Ch.Dot || c === Ch.Colon) this.fail(this.pos, ['an operator', 'end of input']);
  }

  // ---- $orderby, $select, $expand -----------------------------------------------------

  private orderByList(): OrderByItem[] {
    const items: OrderByItem[] = [];
    do {
      this.skipBlanks();
      const property = this.propertyPath('orderby');
      // Ordering by an expression is OData; Graph orders by properties only.
      const [only] = property.path;
      if (property.path.length === 1 && only !== undefined && this.src.charCodeAt(this.pos) === Ch.Open && (UNSUPPORTED_FUNCTIONS.has(only.toLowerCase()) || Object.hasOwn(FUNCTION_ARITY, only.toLowerCase()))) {
        this.unsupported(property.span?.start ?? this.pos, `the function '${only.toLowerCase()}' in $orderby`);
      }
      let direction: 'asc' | 'desc' = 'asc';
      const save = this.pos;
      this.skipBlanks();
      if (this.pos > save) {
        const lower = this.word()?.toLowerCase();
        if (lower === 'asc' || lower === 'desc') direction = lower;
        else this.pos = save;
      }
      const span = { start: property.span?.start ?? 0, end: this.pos };
      items.push({ property, direction, span });
      this.skipBlanks();
    } while (this.eat(Ch.Comma));
    return items;
  }

  private selectList(): PropertyNode[] {
    const items: PropertyNode[] = [];
    do {
      this.skipBlanks();
      const start = this.pos;
      if (this.eat(Ch.Star)) items.push({ kind: 'property', path: ['*'], span: { start, end: this.pos } });
      else items.push(this.propertyPath('select'));
      this.skipBlanks();
    } while (this.eat(Ch.Comma));
    return items;
  }

  private expandList(): ExpandItem[] {
    const items: ExpandItem[] = [];
    do {
      this.skipBlanks();
      const start = this.pos;
      const property = this.eat(Ch.Star) ? { kind: 'property' as const, path: ['*'], span: { start, end: this.pos } } : this.propertyPath('expand');
      this.count();
      let options: ExpandOptions = {};
      if (this.lenient) this.skipBlanks();
      if (this.eat(Ch.Open)) {
        this.enter(start);
        const last = property.path.at(-1) ?? '';
        options = this.nestedOptions(last === '$ref' || last === '$count' ? NESTED_OPTIONS[last] : EXPAND_OPTIONS);
        this.depth--;
      }
      items.push({ property, options, span: { start, end: this.pos } });
      this.skipBlanks();
    } while (this.eat(Ch.Comma));
    return items;
  }

  /** `$select=id;$top=1)` inside an `$expand` item; consumes the closing parenthesis. */
  private nestedOptions(allowed: readonly OptionKey[]): ExpandOptions {
    const options: Record<string, unknown> = {};
    const seen = new Set<string>();
    do {
      this.skipBlanks();
      const start = this.pos;
      const name = this.optionName() ?? this.fail(start, ['a query option such as $select']);
      const bare = name.toLowerCase().replace(/^\$/, '');
      if (UNSUPPORTED_OPTIONS.has(bare)) this.unsupported(start, `$${bare}`);
      const key = Object.hasOwn(OPTION_KEYS, bare) ? OPTION_KEYS[bare] : undefined;
      if (key === undefined || !allowed.includes(key)) return this.fail(start, allowed.map(optionName), `'${name}'`);
      if (seen.has(key)) this.fail(start, [], `'${name}' a second time`);
      seen.add(key);
      this.skipBlanks();
      this.expect(Ch.Equals, '=');
      this.skipBlanks();
      options[key] = this.optionValue(key, true);
      this.skipBlanks();
    } while (this.eat(Ch.Semicolon));
    this.expect(Ch.Close, [';', ')']);
    return options;
  }

  /**
   * Reads the value of one option at the current position: the whole text, or `nested` in an
   * `$expand` item, where `;` and `)` end it.
   */
  optionValue(key: OptionKey, nested = false): unknown {
    switch (key) {
      case 'filter':
        return this.expression();
      case 'orderBy':
        return this.orderByList();
      case 'select':
        return this.selectList();
      case 'expand':
        return this.expandList();
      case 'top':
        return this.integer(1);
      case 'skip':
        return this.integer(0);
      case 'levels': {
        if (this.matchWord('max')) return 'max';
        return this.integer(1, ['max']);
      }
      case 'count': {
        const start = this.pos;
        const word = this.word()?.toLowerCase();
        if (word !== 'true' && word !== 'false') return this.fail(start, ['true', 'false']);
        return word === 'true';
      }
      case 'search':
        return this.searchText(nested);
      case 'skipToken':
      case 'deltaToken':
      case 'format':
        return this.opaque();
    }
  }

  /** The rest of the text, unread: tokens are the service's business. */
  private opaque(): string {
    if (this.pos >= this.src.length) this.fail(this.pos, ['a value']);
    const text = this.src.slice(this.pos);
    this.pos = this.src.length;
    return text;
  }

  private searchText(nested: boolean): string {
    const start = this.pos;
    // Nested in $expand the value ends at `;` or the closing parenthesis; quotes may hide both,
    // and so may percent-encoding (`a%3Bb` is one term).
    let quoted = false;
    let depth = 0;
    const src = this.src;
    let i = start;
    for (; i < src.length; i++) {
      const c = src.charCodeAt(i);
      if (c === Ch.DoubleQuote) quoted = !quoted;
      else if (!nested || quoted || this.escaped.has(i)) continue;
      else if (c === Ch.Open) depth++;
      else if (c === Ch.Close) {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && c === Ch.Semicolon) break;
    }
    if (quoted) this.fail(src.lastIndexOf('"', i), ['a closing "'], 'an unterminated phrase');
    if (i === start) this.fail(start, ['a search expression']);
    this.pos = i;
    return src.slice(start, i);
  }

  private integer(min: 0 | 1, alternatives: readonly string[] = []): number {
    const start = this.pos;
    while (isDigit(this.src.charCodeAt(this.pos))) this.pos++;
    const range = `an integer from ${min} to ${MAX_SAFE}`;
    if (this.pos === start) this.fail(start, [range, ...alternatives]);
    const value = Number(this.src.slice(start, this.pos));
    if (value < min || !Number.isSafeInteger(value)) this.fail(start, [range, ...alternatives], `'${this.src.slice(start, this.pos)}'`);
    return value;
  }

  /**
   * A path in `$select`, `$orderby` or `$expand`. `$`-segments only where OData has them:
   * `$count` ending an `$orderby` or `$expand` path, `$ref` ending an `$expand` path. A type
   * cast leads a path (`microsoft.graph.user/displayName`) or, in `$select` and `$expand`, ends
   * one (a qualified action name; a cast after a navigation property).
   */
  private propertyPath(where: 'select' | 'orderby' | 'expand'): PropertyNode {
    const start = this.pos;
    const path: string[] = [];
    do {
      const last = path.at(-1);
      if (last === '$count' || last === '$ref') this.fail(this.pos - 1, [], `'/' after ${last}`);
      const segStart = this.pos;
      const seg = this.qualifiedWord() ?? this.fail(segStart, ['a property name']);
      if (seg.startsWith('$')) {
        const allowed = path.length > 0 && (seg === '$count' ? where !== 'select' : seg === '$ref' && where === 'expand');
        if (!allowed) this.fail(segStart, ['a property name'], `'${seg}'`);
      }
      this.count();
      path.push(seg);
    } while (this.eat(Ch.Slash));
    const last = path.at(-1) ?? '';
    if (last.includes('.') && (where === 'orderby' || path.length === 1) && !(where === 'select' && path.length === 1)) {
      this.fail(this.pos, ["'/' and a property after the type cast"]);
    }
    return { kind: 'property', path, span: { start, end: this.pos } };
  }

  private optionName(): string | undefined {
    const start = this.pos;
    if (this.src.charCodeAt(this.pos) === Ch.Dollar) this.pos++;
    const word = this.word();
    if (word === undefined) {
      this.pos = start;
      return undefined;
    }
    return this.src.slice(start, this.pos);
  }

  // ---- scanning helpers ---------------------------------------------------------------

  /** Fails unless the whole text was consumed. */
  end(expected: readonly string[]): void {
    this.skipBlanks();
    if (this.pos < this.src.length) this.fail(this.pos, [...expected, 'end of input']);
  }

  /** One level deeper: a parenthesis, `not`, a call, a lambda, a chained comparison or an `$expand` item. */
  private enter(at: number): void {
    if (++this.depth > MAX_DEPTH) this.fail(at, [], `nesting deeper than ${MAX_DEPTH}`);
  }

  /** One more node; a query holds at most {@link MAX_NODES}. */
  private count(): void {
    if (++this.nodes > MAX_NODES) this.fail(this.pos, [], `more than ${MAX_NODES.toLocaleString('en-US')} nodes`);
  }

  unsupported(offset: number, construct: string): never {
    throw new ODataUnsupportedError(this.src, offset, construct, this.option);
  }

  private skipBlanks(): void {
    while (isBlank(this.src.charCodeAt(this.pos))) this.pos++;
  }

  private requireBlank(at: number): void {
    if (at >= this.src.length) this.fail(at, ['an expression']);
    if (!isBlank(this.src.charCodeAt(at))) this.fail(at, ['a blank']);
  }

  /** An identifier (`[A-Za-z_][A-Za-z0-9_]*`), or `$count`-style system names. */
  private word(): string | undefined {
    const src = this.src;
    const start = this.pos;
    let i = start;
    if (src.charCodeAt(i) === Ch.Dollar) i++;
    if (!isIdentifierStart(src.charCodeAt(i))) return undefined;
    i++;
    while (isIdentifierPart(src.charCodeAt(i))) i++;
    this.pos = i;
    return src.slice(start, i);
  }

  /** An identifier that may be namespace-qualified (`microsoft.graph.user`). */
  private qualifiedWord(): string | undefined {
    const start = this.pos;
    if (this.word() === undefined) return undefined;
    while (this.src.charCodeAt(this.pos) === Ch.Dot && isIdentifierStart(this.src.charCodeAt(this.pos + 1))) {
      this.pos++;
      this.word();
    }
    return this.src.slice(start, this.pos);
  }

  /** Whether `src` holds exactly `word` at `at`, not followed by an identifier character. */
  private matchesWordAt(at: number, word: string): boolean {
    return this.src.startsWith(word, at) && !isIdentifierPart(this.src.charCodeAt(at + word.length));
  }

  private matchWord(lower: string): boolean {
    const end = this.pos + lower.length;
    if (isIdentifierPart(this.src.charCodeAt(end))) return false;
    const text = this.src.slice(this.pos, end);
    if (text.toLowerCase() !== lower) return false;
    this.pos = end;
    return true;
  }

  /** Consumes a blank-preceded, blank-followed keyword such as `and`. */
  private keyword(lower: string): boolean {
    const save = this.pos;
    this.skipBlanks();
    if (this.pos === save || !this.matchWord(lower)) {
      this.pos = save;
      return false;
    }
    this.requireBlank(this.pos);
    return true;
  }

  private eat(c: number): boolean {
    if (this.src.charCodeAt(this.pos) !== c) return false;
    this.pos++;
    return true;
  }

  private expect(c: number, what: string | readonly string[]): void {
    if (!this.eat(c)) this.fail(this.pos, typeof what === 'string' ? [`'${what}'`] : what.map((w) => `'${w}'`));
  }

  private span(left: Expression, right: Expression): Span {
    return { start: left.span?.start ?? 0, end: right.span?.end ?? this.pos };
  }

  fail(offset: number, expected: readonly string[], found?: string): never {
    throw new ODataSyntaxError(this.src, offset, expected, found ?? this.tokenAt(offset), this.option);
  }

  private tokenAt(offset: number): string {
    if (offset >= this.src.length) return 'end of input';
    const m = /^(?:[A-Za-z0-9_$.]+|'[^']*'?|\S)/.exec(this.src.slice(offset, offset + 60));
    return `'${m?.[0] ?? this.src.charAt(offset)}'`;
  }
}

/** Query option keys: those of {@link ExpandOptions} and of {@link ODataQuery}. */
export type OptionKey = keyof ExpandOptions | keyof Omit<ODataQuery, 'custom'>;

/** Option names (lower case, without `$`) to their keys. */
export const OPTION_KEYS: Readonly<Record<string, OptionKey>> = {
  filter: 'filter',
  orderby: 'orderBy',
  select: 'select',
  expand: 'expand',
  top: 'top',
  skip: 'skip',
  count: 'count',
  search: 'search',
  levels: 'levels',
  skiptoken: 'skipToken',
  deltatoken: 'deltaToken',
  format: 'format',
};

/** The canonical name of an option key (`orderBy` → `$orderby`). */
export function optionName(key: OptionKey): string {
  return `$${key.toLowerCase()}`;
}

/** System query options a whole query takes (not `$levels`, which only an `$expand` item takes). */
export const QUERY_OPTIONS: readonly OptionKey[] = ['filter', 'select', 'expand', 'orderBy', 'top', 'skip', 'count', 'search', 'skipToken', 'deltaToken', 'format'];

const EXPAND_OPTIONS: readonly OptionKey[] = ['filter', 'select', 'expand', 'orderBy', 'top', 'skip', 'count', 'search', 'levels'];

/** What each kind of `$expand` item takes: options after `$ref` and `$count` are fewer (OData ABNF `expandRefOption`, `expandCountOption`). */
const NESTED_OPTIONS: Readonly<Record<'$ref' | '$count', readonly OptionKey[]>> = {
  $ref: ['filter', 'search', 'orderBy', 'skip', 'top', 'count'],
  $count: ['filter', 'search'],
};

/** System query options of OData 4.01 that Graph does not take. */
export const UNSUPPORTED_OPTIONS: ReadonlySet<string> = new Set(['compute', 'apply', 'index', 'schemaversion']);
