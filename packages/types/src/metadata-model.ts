/**
 * The shape of the runtime metadata that `tools/codegen` derives from the slice
 * (`src/generated/metadata.ts`). Consumers (the OData toolkit, the fake, the CLI) read
 * capabilities from it instead of hard-coding what the service supports.
 */

/** Comparison operators Graph documents per property (`x-idgov-filter` in the slice). */
export type FilterOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'in' | 'has' | 'startswith' | 'endswith' | 'contains' | 'any' | 'all';

/** What a property holds, as far as a query needs to know. */
export type PropertyKind =
  | 'string'
  | 'boolean'
  | 'int32'
  | 'int64'
  | 'number'
  | 'dateTimeOffset'
  | 'date'
  | 'duration'
  | 'enum'
  | 'complex'
  | 'entity'
  | 'unknown';

export interface PropertyMetadata {
  readonly kind: PropertyKind;
  /** The property may hold `null`. */
  readonly nullable: boolean;
  /** The property holds an array of `kind`. */
  readonly collection: boolean;
  /** A navigation property (another entity, expandable), not a structural one. */
  readonly navigation: boolean;
  /** For `enum`: the enum's schema name; for `complex`/`entity`: the target schema name. */
  readonly type?: string;
  /** Operators the service accepts in `$filter`; absent when the service documents none. */
  readonly filter?: readonly FilterOperator[];
  /** The service accepts the property in `$orderby`. */
  readonly orderBy?: true;
  /** The service accepts the property in `$expand`. */
  readonly expand?: true;
}

export interface EntityMetadata {
  /** Short name, e.g. `userProcessingResult`. */
  readonly name: string;
  /** Schema name of the base type, if any (e.g. `microsoft.graph.entity`, or the abstract type of a union). */
  readonly baseType?: string;
  /** Key property name for entities (`id`); absent for complex types. */
  readonly key?: string;
  /**
   * For an abstract type: the schema names of its derived types, the values it accepts, each
   * told apart by `@odata.type` (`#` and the schema name).
   */
  readonly derivedTypes?: readonly string[];
  /** All properties, inherited ones included, by name. */
  readonly properties: Readonly<Record<string, PropertyMetadata>>;
}

export interface EnumMetadata {
  readonly members: readonly string[];
  /** Values are comma-joined sets of members, filtered with `has` (`x-ms-enum-flags`). */
  readonly flags: boolean;
  /** Members after `unknownFutureValue`: sent only with `Prefer: include-unknown-enum-members`. */
  readonly evolvableMembers: readonly string[];
}

export type HttpMethod = 'get' | 'post' | 'patch' | 'put' | 'delete';

export type QueryOption = '$top' | '$skip' | '$search' | '$filter' | '$count' | '$orderby' | '$select' | '$expand';

export interface OperationMetadata {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** Path template as in the slice, e.g. `/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}`. */
  readonly path: string;
  readonly pathParams: readonly { readonly name: string; readonly kind: 'string' | 'int32' }[];
  readonly queryOptions: readonly QueryOption[];
  /** Follows `@odata.nextLink` (`x-ms-pageable`). */
  readonly pageable: boolean;
  /** Schema name of the item (collections) or the body (single results); absent for no content. */
  readonly resultType?: string;
  readonly resultIsCollection: boolean;
  /** `/$count` segments answer `text/plain`. */
  readonly resultIsCount: boolean;
}
