import type {
  ComparisonOperator,
  ExpandItem,
  Expression,
  FunctionName,
  LiteralNode,
  OrderByItem,
  PropertyNode,
  QueryOptions,
  Span,
} from './ast.js';
import { ODataSyntaxError } from './errors.js';
import { isDateTimeText } from './instant.js';

/** How strictly to read OData text. */
export interface ParseOptions {
  /**
   * Accept what Graph accepts beyond the OData ABNF (default `true`): keywords and functions in
   * any case, `not(` without a blank, blanks before `(`, a blank where a decoded `+` offset was.
   */
  readonly lenient?: boolean;
}

const FUNCTION_ARITY: Readonly<Record<FunctionName, number>> = {
  startswith: 2,
  endswith: 2,
  contains: 2,
  tolower: 1,
  toupper: 1,
  length: 1,
  trim: 1,
};

const COMPARISON: ReadonlySet<string> = new Set<ComparisonOperator>(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'has']);

// Sticky: matched in place at `lastIndex`, without slicing the input.
const DATE = /\d{4}-\d{2}-\d{2}(?:[Tt]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+ -]\d{2}:\d{2})?)?/y;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

// Deeper nesting than this is hostile input; refusing it keeps the stack bounded.
const MAX_DEPTH = 100;

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
  private readonly lenient: boolean;

  constructor(
    private readonly src: string,
    private readonly option: string | undefined,
    options: ParseOptions = {},
  ) {
    this.lenient = options.lenient ?? true;
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
    if (++this.depth > MAX_DEPTH) this.fail(this.pos, [], `nesting deeper than ${MAX_DEPTH}`);
    let left = this.andExpression();
    while (this.keyword('or')) {
      const right = this.andExpression();
      left = { kind: 'logical', op: 'or', left, right, span: this.span(left, right) };
    }
    this.depth--;
    return left;
  }

  private andExpression(): Expression {
    let left = this.comparison();
    while (this.keyword('and')) {
      const right = this.comparison();
      left = { kind: 'logical', op: 'and', left, right, span: this.span(left, right) };
    }
    return left;
  }

  private comparison(): Expression {
    let left = this.unary();
    for (;;) {
      const save = this.pos;
      this.skipBlanks();
      const start = this.pos;
      const word = this.word();
      if (word === undefined) {
        this.pos = save;
        return left;
      }
      const op = this.keywordCase(word, start);
      if (COMPARISON.has(op)) {
        this.requireBlank(start + word.length);
        const right = this.unary();
        left = { kind: 'compare', op: op as ComparisonOperator, left, right, span: this.span(left, right) };
      } else if (op === 'in') {
        this.skipBlanks();
        const list = this.literalList();
        left = { kind: 'in', left, list, span: { start: left.span?.start ?? start, end: this.pos } };
      } else {
        this.pos = save;
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
        this.keywordCase(this.src.slice(start, after), start);
        if (++this.depth > MAX_DEPTH) this.fail(start, [], `nesting deeper than ${MAX_DEPTH}`);
        const operand = this.unary();
        this.depth--;
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
    if (c === Ch.Quote) return this.stringLiteral(start, 'string');
    const guid = this.guidAt(start);
    if (guid !== undefined) return guid;
    if (isDigit(c) || c === Ch.Minus) return this.numberOrDate(start);
    if (isIdentifierStart(c) || c === Ch.Dollar) return this.identifierExpression(start);
    return this.fail(start, ['an expression']);
  }

  private identifierExpression(start: number): Expression {
    const word = this.qualifiedWord() ?? this.fail(start, ['an expression']);
    const c = this.src.charCodeAt(this.pos);
    if (c === Ch.Quote) {
      // duration'PT1H' or a qualified enum literal Namespace.Type'member' (enums compare as strings).
      if (word.toLowerCase() === 'duration') return this.stringLiteral(start, 'duration', this.pos);
      if (word.includes('.')) return this.stringLiteral(start, 'string', this.pos);
      return this.fail(this.pos, ['an operator']);
    }
    const lower = word.toLowerCase();
    if (c !== Ch.Slash && !word.includes('.')) {
      if (lower === 'null' || lower === 'true' || lower === 'false') {
        this.keywordCase(word, start);
        const span = { start, end: this.pos };
        return lower === 'null'
          ? { kind: 'literal', type: 'null', value: null, span }
          : { kind: 'literal', type: 'boolean', value: lower === 'true', span };
      }
      if (Object.hasOwn(FUNCTION_ARITY, lower)) {
        const save = this.pos;
        if (this.lenient) this.skipBlanks();
        if (this.src.charCodeAt(this.pos) === Ch.Open) {
          this.keywordCase(word, start);
          return this.call(lower as FunctionName, start);
        }
        this.pos = save;
      }
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
    const path = [first];
    while (this.src.charCodeAt(this.pos) === Ch.Slash) {
      this.pos++;
      const segStart = this.pos;
      const seg = this.qualifiedWord() ?? this.fail(segStart, ['a property name']);
      const lower = seg.toLowerCase();
      if (lower === 'any' || lower === 'all') {
        const save = this.pos;
        if (this.lenient) this.skipBlanks();
        if (this.src.charCodeAt(this.pos) === Ch.Open) {
          this.keywordCase(seg, segStart);
          const collection: PropertyNode = { kind: 'property', path, span: { start, end: segStart - 1 } };
          return this.lambda(lower, collection, start);
        }
        this.pos = save;
      }
      path.push(seg);
    }
    if (this.src.charCodeAt(this.pos) === Ch.Open) this.fail(start, ['startswith', 'endswith', 'contains', 'a property'], `'${path.join('/')}'`);
    return { kind: 'property', path, span: { start, end: this.pos } };
  }

  private lambda(op: 'any' | 'all', collection: PropertyNode, start: number): Expression {
    this.pos++; // (
    this.skipBlanks();
    if (this.src.charCodeAt(this.pos) === Ch.Close) {
      this.pos++;
      return { kind: 'lambda', op, collection, variable: '', span: { start, end: this.pos } };
    }
    const varStart = this.pos;
    const variable = this.word() ?? this.fail(varStart, ['a lambda variable name', ')']);
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
    this.pos = start + n[0].length;
    this.noIdentifierAfter();
    return { kind: 'literal', type: 'number', value: Number(n[0]), span: { start, end: this.pos } };
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
      const property = this.propertyPath();
      let direction: 'asc' | 'desc' = 'asc';
      const save = this.pos;
      this.skipBlanks();
      if (this.pos > save) {
        const dirStart = this.pos;
        const word = this.word();
        const lower = word === undefined ? undefined : this.keywordCase(word, dirStart);
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
      else items.push(this.propertyPath());
      this.skipBlanks();
    } while (this.eat(Ch.Comma));
    return items;
  }

  private expandList(): ExpandItem[] {
    const items: ExpandItem[] = [];
    do {
      this.skipBlanks();
      const start = this.pos;
      const property = this.eat(Ch.Star) ? { kind: 'property' as const, path: ['*'], span: { start, end: this.pos } } : this.propertyPath();
      let options: QueryOptions = {};
      if (this.lenient) this.skipBlanks();
      if (this.eat(Ch.Open)) {
        if (++this.depth > MAX_DEPTH) this.fail(start, [], `nesting deeper than ${MAX_DEPTH}`);
        options = this.nestedOptions();
        this.depth--;
      }
      items.push({ property, options, span: { start, end: this.pos } });
      this.skipBlanks();
    } while (this.eat(Ch.Comma));
    return items;
  }

  /** `$select=id;$top=1)` inside an `$expand` item; consumes the closing parenthesis. */
  private nestedOptions(): QueryOptions {
    const options: Record<string, unknown> = {};
    const seen = new Set<string>();
    do {
      this.skipBlanks();
      const start = this.pos;
      const name = this.optionName() ?? this.fail(start, ['a query option such as $select']);
      const key = OPTION_KEYS[name.toLowerCase().replace(/^\$/, '')];
      if (key === undefined || key === 'skipToken') return this.fail(start, ['$filter', '$select', '$expand', '$orderby', '$top', '$skip', '$count', '$search'], `'${name}'`);
      if (seen.has(key)) this.fail(start, [], `'${name}' a second time`);
      seen.add(key);
      this.skipBlanks();
      this.expect(Ch.Equals, '=');
      this.skipBlanks();
      options[key] = this.optionValue(key);
      this.skipBlanks();
    } while (this.eat(Ch.Semicolon));
    this.expect(Ch.Close, [';', ')']);
    return options;
  }

  /** Reads the value of one option at the current position (whole text or nested in `$expand`). */
  optionValue(key: OptionKey): unknown {
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
      case 'count': {
        const start = this.pos;
        const word = this.word()?.toLowerCase();
        if (word !== 'true' && word !== 'false') return this.fail(start, ['true', 'false']);
        return word === 'true';
      }
      case 'search':
      case 'skipToken':
        return this.searchText();
    }
  }

  private searchText(): string {
    const start = this.pos;
    // Nested in $expand the value ends at `;` or the closing parenthesis; quotes may hide both.
    let quoted = false;
    let depth = 0;
    const src = this.src;
    let i = start;
    for (; i < src.length; i++) {
      const c = src.charCodeAt(i);
      if (c === Ch.DoubleQuote) quoted = !quoted;
      else if (!quoted && c === Ch.Open) depth++;
      else if (!quoted && c === Ch.Close) {
        if (depth === 0) break;
        depth--;
      } else if (!quoted && depth === 0 && c === Ch.Semicolon) break;
    }
    if (quoted) this.fail(src.lastIndexOf('"', i), ['a closing "'], 'an unterminated phrase');
    if (i === start) this.fail(start, ['a search expression']);
    this.pos = i;
    return src.slice(start, i);
  }

  private integer(min: number): number {
    const start = this.pos;
    while (isDigit(this.src.charCodeAt(this.pos))) this.pos++;
    if (this.pos === start) this.fail(start, [min === 1 ? 'a positive integer' : 'a non-negative integer']);
    const value = Number(this.src.slice(start, this.pos));
    if (value < min || !Number.isSafeInteger(value)) this.fail(start, [min === 1 ? 'an integer ≥ 1' : 'a safe integer'], `'${this.src.slice(start, this.pos)}'`);
    return value;
  }

  private propertyPath(): PropertyNode {
    const start = this.pos;
    const path: string[] = [];
    do {
      const segStart = this.pos;
      path.push(this.qualifiedWord() ?? this.fail(segStart, ['a property name']));
    } while (this.eat(Ch.Slash));
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
    this.keywordCase(this.src.slice(this.pos - lower.length, this.pos), this.pos - lower.length);
    this.requireBlank(this.pos);
    return true;
  }

  /** Lower-cases a keyword, refusing other cases unless lenient. */
  private keywordCase(word: string, start: number): string {
    const lower = word.toLowerCase();
    if (!this.lenient && lower !== word) this.fail(start, [`'${lower}'`], `'${word}'`);
    return lower;
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

/** Query option keys of {@link QueryOptions}, plus the paging token. */
export type OptionKey = keyof QueryOptions | 'skipToken';

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
  skiptoken: 'skipToken',
};
