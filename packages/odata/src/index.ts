/**
 * `@idgov/odata`: one OData AST for Microsoft Graph queries, with a typed builder, Graph's exact
 * serializer, a lenient parser with precise errors, and an evaluator for plain JSON.
 */
export type {
  CallNode,
  ComparisonNode,
  ComparisonOperator,
  ExpandItem,
  ExpandOptions,
  Expression,
  FunctionName,
  InNode,
  LambdaNode,
  LiteralNode,
  LiteralType,
  LogicalNode,
  NotNode,
  ODataQuery,
  OrderByItem,
  PropertyNode,
  QueryOptions,
  Span,
} from './ast.js';
export { stripSpans } from './ast.js';
export type {
  DateTimeInput,
  EntityQueryBuilder,
  Filter,
  FilterFunctions,
  FilterObject,
  FilterPath,
  FilterValue,
  FilterableProperty,
  QueryInput,
  Where,
} from './builder.js';
export { entityQuery } from './builder.js';
export type { ODataErrorReason } from './errors.js';
export { ODataSyntaxError, ODataUnsupportedError } from './errors.js';
export type { Comparator, Predicate, QueryResult } from './evaluate.js';
export { applyQuery, compileFilter, compileOrderBy, compileProjection, compileQuery } from './evaluate.js';
export type { FormatQueryOptions, QueryOptionName } from './format.js';
export { encodeQueryValue, formatExpand, formatFilter, formatLiteral, formatOrderBy, formatQuery, formatQueryOptions, formatSelect } from './format.js';
export type { IsoDateTimeString, TypedLiteral } from './literals.js';
export { dateTimeOffset, enumLiteral, guid } from './literals.js';
export type { ParseQueryOptions } from './parse-query.js';
export { parseExpand, parseFilter, parseOrderBy, parseQuery, parseSelect } from './parse-query.js';
export type { ParseOptions } from './parser.js';
export { suggestProperty } from './suggest.js';
export type { MetadataSet, QueryProblem, QueryProblemCode, ValidateOptions } from './validate.js';
export { normalizeQuery, validateQuery } from './validate.js';
