import { isRecord } from './config.js';
import { compareStrings, refName } from './slice.js';

type Obj = Record<string, unknown>;

const methods = ['get', 'put', 'post', 'delete', 'patch'] as const;
const entityBase = 'microsoft.graph.entity';
const queryOptions = new Set(['$top', '$skip', '$search', '$filter', '$count', '$orderby', '$select', '$expand']);

interface Property {
  kind: string;
  nullable: boolean;
  collection: boolean;
  navigation: boolean;
  type?: string;
  filter?: string[];
  orderBy?: true;
  expand?: true;
}

/** Derives the runtime metadata module (entities, enums, operations) from the slice. */
export function buildMetadata(slice: Obj): string {
  const components = slice['components'] as Obj;
  const schemas = components['schemas'] as Record<string, Obj>;
  const model = new MetadataModel(slice, schemas);
  const entities: Obj = {};
  const enums: Obj = {};
  for (const name of Object.keys(schemas).sort(compareStrings)) {
    const schema = schemas[name] ?? {};
    if (isEnum(schema)) enums[name] = enumMetadata(schema);
    else if (name !== 'ODataCountResponse') entities[name] = model.entity(name);
  }
  return [
    "import type { EntityMetadata, EnumMetadata, OperationMetadata } from '../metadata-model.js';",
    '',
    `export const entities = ${literal(entities, 3)} as const satisfies Record<string, EntityMetadata>;`,
    '',
    `export const enums = ${literal(enums, 1)} as const satisfies Record<string, EnumMetadata>;`,
    '',
    // Typed by the model, not as literals: nothing reads operations at the type level, and the
    // literal type would double the declaration file.
    '/** Every operation of the slice, keyed by `METHOD path`. */',
    `export const operations: Readonly<Record<string, OperationMetadata>> = ${literal(model.operations(), 1)};`,
    '',
  ].join('\n');
}

/** What the metadata says of one operation (the shape of `OperationMetadata` in `@idgov/types`). */
export interface OperationFacts {
  readonly operationId: string;
  readonly method: (typeof methods)[number];
  readonly path: string;
  readonly pathParams: readonly { readonly name: string; readonly kind: 'string' | 'int32' }[];
  readonly queryOptions: readonly string[];
  readonly pageable: boolean;
  readonly resultType?: string;
  readonly resultIsCollection: boolean;
  readonly resultIsCount: boolean;
}

/** Every operation of the slice, as the metadata module lists them. */
export function sliceOperations(slice: Obj): OperationFacts[] {
  const schemas = (slice['components'] as Obj)['schemas'] as Record<string, Obj>;
  return Object.values(new MetadataModel(slice, schemas).operations()) as OperationFacts[];
}

class MetadataModel {
  private readonly entityTypes: ReadonlySet<string>;
  private readonly keys: ReadonlyMap<string, string>;

  constructor(
    private readonly slice: Obj,
    private readonly schemas: Record<string, Obj>,
  ) {
    this.entityTypes = this.findEntityTypes();
    this.keys = this.keysFromPaths();
  }

  entity(name: string): Obj {
    const properties: Record<string, Property> = {};
    for (const [property, schema] of this.properties(name)) properties[property] = this.property(schema);
    const schema = this.schemas[name] ?? {};
    const base = Array.isArray(schema['allOf']) ? (schema['allOf'] as unknown[]).map(refName).find((ref) => ref !== undefined) : this.unionOf(name);
    const derived = this.derivedTypes(schema);
    return {
      name: name.slice(name.lastIndexOf('.') + 1),
      ...(base === undefined ? {} : { baseType: base }),
      ...this.key(name),
      ...(derived.length === 0 ? {} : { derivedTypes: derived }),
      properties,
    };
  }

  /** The members of a union of derived types (`oneOf` discriminated by `@odata.type`). */
  private derivedTypes(schema: Obj): string[] {
    if (schema['discriminator'] === undefined || !Array.isArray(schema['oneOf'])) return [];
    return (schema['oneOf'] as unknown[]).map(refName).filter((ref): ref is string => ref !== undefined);
  }

  /** The union a member of which carries its base's properties itself instead of an `allOf`. */
  private unionOf(name: string): string | undefined {
    return Object.keys(this.schemas).find((candidate) => this.derivedTypes(this.schemas[candidate] ?? {}).includes(name));
  }

  /** Own and inherited properties; a derived type's re-declaration wins over its base's. */
  private properties(name: string): Map<string, Obj> {
    const schema = this.schemas[name] ?? {};
    const parts = Array.isArray(schema['allOf']) ? (schema['allOf'] as Obj[]) : [schema];
    const merged = new Map<string, Obj>();
    for (const part of parts) {
      const base = refName(part);
      const own = base === undefined ? Object.entries(isRecord(part['properties']) ? part['properties'] : {}) : [...this.properties(base)];
      for (const [property, value] of own) {
        if (property === '@odata.type') continue;
        merged.set(property, { ...merged.get(property), ...(value as Obj) });
      }
    }
    return merged;
  }

  private property(schema: Obj): Property {
    const anyOf = Array.isArray(schema['anyOf']) ? (schema['anyOf'] as Obj[]) : undefined;
    const nonNull = anyOf?.find((member) => member['type'] !== 'null');
    const core = nonNull ?? schema;
    const types = Array.isArray(core['type']) ? (core['type'] as string[]) : [core['type']];
    const nullable = anyOf !== undefined || types.includes('null');
    const collection = types.includes('array');
    const element = collection ? ((core['items'] ?? {}) as Obj) : core;
    const target = refName(element);
    const extensions = {
      ...(Array.isArray(schema['x-idgov-filter']) ? { filter: schema['x-idgov-filter'] as string[] } : {}),
      ...(schema['x-idgov-orderby'] === true ? { orderBy: true as const } : {}),
      ...(schema['x-idgov-expand'] === true ? { expand: true as const } : {}),
    };
    if (target !== undefined) {
      const targetSchema = this.schemas[target] ?? {};
      const kind = isEnum(targetSchema) ? 'enum' : this.isEntity(target) ? 'entity' : 'complex';
      return { kind, nullable, collection, navigation: kind === 'entity', type: target, ...extensions };
    }
    return { kind: scalarKind(element), nullable, collection, navigation: false, ...extensions };
  }

  isEntity(name: string): boolean {
    return this.entityTypes.has(name);
  }

  /**
   * An entity's key: the name its key segment's parameter gives (`{workflowVersion-versionNumber}`),
   * else `id` for what derives from `entity`; an abstract base such as `workflowBase` has none.
   */
  private key(name: string): { key?: string } {
    const key = this.keys.get(name.slice(name.lastIndexOf('.') + 1));
    if (key !== undefined && this.isEntity(name)) return { key };
    return this.derivesFromEntity(name) ? { key: 'id' } : {};
  }

  private derivesFromEntity(name: string): boolean {
    return name === entityBase || this.bases(name).some((base) => this.derivesFromEntity(base));
  }

  private bases(name: string): string[] {
    const allOf = this.schemas[name]?.['allOf'];
    return Array.isArray(allOf) ? allOf.map(refName).filter((ref): ref is string => ref !== undefined) : [];
  }

  /**
   * Entity types: what derives from `entity`, what a navigation property targets, and the bases
   * and derived types of those — Graph's abstract entity bases (`workflowBase`) derive from nothing,
   * so the `allOf` chain alone misses `workflow` and `workflowVersion`.
   */
  private findEntityTypes(): Set<string> {
    const found = new Set<string>();
    const add = (name: string): void => {
      if (found.has(name) || (this.schemas[name] === undefined && name !== entityBase)) return;
      found.add(name);
      for (const base of this.bases(name)) add(base);
      for (const member of this.derivedTypes(this.schemas[name] ?? {})) add(member);
    };
    add(entityBase);
    for (const name of Object.keys(this.schemas)) {
      if (this.derivesFromEntity(name)) add(name);
      for (const [, property] of this.properties(name)) {
        if (property['x-ms-navigationProperty'] !== true) continue;
        const target = refName(property['items']) ?? refName(property) ?? asArray(property['anyOf']).map(refName).find((ref) => ref !== undefined);
        if (target !== undefined) add(target);
      }
    }
    // A type deriving from an entity type found above is one too.
    for (let grew = true; grew; ) {
      const before = found.size;
      for (const name of Object.keys(this.schemas)) if (this.bases(name).some((base) => found.has(base))) add(name);
      grew = found.size > before;
    }
    return found;
  }

  /** Type short name → key property, from the key segments' parameters (`{run-id1}` → run: id). */
  private keysFromPaths(): Map<string, string> {
    const keys = new Map<string, string>();
    for (const rawItem of Object.values(this.slice['paths'] as Obj)) {
      const item = this.resolve(rawItem);
      const operations = methods.map((method) => item[method]).filter(isRecord);
      for (const parameter of [...asArray(item['parameters']), ...operations.flatMap((op) => asArray(op['parameters']))].map((p) => this.resolve(p))) {
        const match = parameter['in'] === 'path' && typeof parameter['name'] === 'string' ? /^(\w+)-(\w+?)\d*$/.exec(parameter['name']) : null;
        if (match?.[1] !== undefined && match[2] !== undefined) keys.set(match[1], match[2]);
      }
    }
    return keys;
  }

  operations(): Obj {
    const paths = this.slice['paths'] as Obj;
    const out: Obj = {};
    for (const [path, rawItem] of Object.entries(paths)) {
      const item = this.resolve(rawItem);
      for (const method of methods) {
        const operation = item[method];
        if (!isRecord(operation)) continue;
        const parameters = [...asArray(item['parameters']), ...asArray(operation['parameters'])].map((p) => this.resolve(p));
        const result = this.result(operation);
        out[`${method.toUpperCase()} ${path}`] = {
          operationId: operation['operationId'],
          method,
          path,
          pathParams: parameters
            .filter((p) => p['in'] === 'path')
            .map((p) => ({ name: p['name'], kind: (p['schema'] as Obj | undefined)?.['type'] === 'integer' ? 'int32' : 'string' })),
          queryOptions: parameters.map((p) => p['name']).filter((n): n is string => typeof n === 'string' && queryOptions.has(n)),
          pageable: operation['x-ms-pageable'] !== undefined,
          ...result,
        };
      }
    }
    return out;
  }

  private result(operation: Obj): Obj {
    const responses = (operation['responses'] ?? {}) as Obj;
    const success = this.resolve(responses['2XX'] ?? responses['200'] ?? responses['201'] ?? {});
    const content = (success['content'] ?? {}) as Record<string, Obj>;
    if (content['text/plain'] !== undefined) return { resultIsCollection: false, resultIsCount: true };
    const schema = content['application/json']?.['schema'] as Obj | undefined;
    const target = schema === undefined ? undefined : refName(schema);
    if (target !== undefined) return { resultType: target, resultIsCollection: false, resultIsCount: false };
    // A collection: Graph's envelope `{ value: X[], @odata.nextLink }`, written inline.
    const value = isRecord(schema?.['properties']) ? (schema['properties']['value'] as Obj | undefined) : undefined;
    const item = value?.['type'] === 'array' ? refName(value['items']) : undefined;
    return item === undefined ? { resultIsCollection: false, resultIsCount: false } : { resultType: item, resultIsCollection: true, resultIsCount: false };
  }

  private resolve(node: unknown): Obj {
    if (!isRecord(node)) return {};
    const ref = node['$ref'];
    if (typeof ref !== 'string') return node;
    const [, , kind, name] = ref.split('/');
    const group = (this.slice['components'] as Obj)[kind ?? ''];
    return this.resolve(isRecord(group) && name !== undefined ? group[name] : undefined);
  }
}

function isEnum(schema: Obj): boolean {
  return Array.isArray(schema['enum']) || Array.isArray(schema['x-idgov-flags']);
}

function enumMetadata(schema: Obj): Obj {
  const flags = Array.isArray(schema['x-idgov-flags']);
  const members = ((flags ? schema['x-idgov-flags'] : schema['enum']) as unknown[]).filter((m): m is string => typeof m === 'string');
  const sentinel = members.indexOf('unknownFutureValue');
  return { members, flags, evolvableMembers: sentinel === -1 ? [] : members.slice(sentinel + 1) };
}

function scalarKind(schema: Obj): string {
  const types = Array.isArray(schema['type']) ? (schema['type'] as string[]) : [schema['type']];
  const format = schema['format'];
  if (types.includes('boolean')) return 'boolean';
  if (types.includes('integer')) return format === 'int64' ? 'int64' : 'int32';
  if (types.includes('number')) return 'number';
  if (types.includes('string')) {
    if (format === 'date-time') return 'dateTimeOffset';
    if (format === 'date') return 'date';
    if (format === 'duration') return 'duration';
    return 'string';
  }
  return 'unknown';
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * A TypeScript literal of plain data (JSON's syntax is valid TypeScript): one line per entry
 * down to `depth` levels, the rest inline, so the module stays small and diffs stay readable.
 */
function literal(value: unknown, depth: number, indent = ''): string {
  if (depth === 0 || !isRecord(value)) return JSON.stringify(value);
  const inner = `${indent}  `;
  const entries = Object.entries(value).map(([key, item]) => `${inner}${JSON.stringify(key)}: ${literal(item, depth - 1, inner)}`);
  return entries.length === 0 ? '{}' : `{\n${entries.join(',\n')}\n${indent}}`;
}
