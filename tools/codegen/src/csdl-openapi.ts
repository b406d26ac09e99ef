import type { CsdlDocument, CsdlEnumType, CsdlOperation, CsdlProperty, CsdlStructuredType, CsdlTypeRef } from './csdl.js';
import { CodegenError } from './errors.js';

type Obj = Record<string, unknown>;

const schemaRef = (name: string): Obj => ({ $ref: `#/components/schemas/${name}` });
const open = { additionalProperties: { type: 'object' } };
const dateTime = '^[0-9]{4,}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]{1,12})?(Z|[+-][0-9][0-9]:[0-9][0-9])$';

/** `Edm.*` → JSON Schema, as Microsoft's CSDL → OpenAPI converter writes them in Graph's modules. */
const primitives: Readonly<Record<string, Obj>> = {
  'Edm.String': { type: 'string' },
  'Edm.Boolean': { type: 'boolean' },
  'Edm.Byte': { maximum: 255, minimum: 0, type: 'integer', format: 'uint8' },
  'Edm.SByte': { maximum: 127, minimum: -128, type: 'integer', format: 'int8' },
  'Edm.Int16': { maximum: 32767, minimum: -32768, type: 'integer', format: 'int16' },
  'Edm.Int32': { maximum: 2147483647, minimum: -2147483648, type: 'integer', format: 'int32' },
  'Edm.Int64': { type: 'integer', format: 'int64' },
  'Edm.Single': { type: 'number', format: 'float' },
  'Edm.Double': { type: 'number', format: 'double' },
  'Edm.Decimal': { type: 'number', format: 'decimal' },
  'Edm.DateTimeOffset': { pattern: dateTime, type: 'string', format: 'date-time' },
  'Edm.Date': { pattern: '^[0-9]{4,}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$', type: 'string', format: 'date' },
  'Edm.TimeOfDay': { pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]{1,12})?$', type: 'string', format: 'time' },
  'Edm.Duration': { pattern: '^-?P([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+([.][0-9]+)?S)?)?$', type: 'string', format: 'duration' },
  'Edm.Guid': { pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$', type: 'string', format: 'uuid' },
  'Edm.Binary': { type: 'string', format: 'base64url' },
  'Edm.Stream': { type: 'string', format: 'base64url' },
  'Edm.Untyped': {},
};

const queryParameters: Readonly<Record<string, Obj>> = {
  top: { name: '$top', in: 'query', style: 'form', explode: false, schema: { minimum: 0, type: 'integer' } },
  skip: { name: '$skip', in: 'query', style: 'form', explode: false, schema: { minimum: 0, type: 'integer' } },
  search: { name: '$search', in: 'query', style: 'form', explode: false, schema: { type: 'string' } },
  filter: { name: '$filter', in: 'query', style: 'form', explode: false, schema: { type: 'string' } },
  count: { name: '$count', in: 'query', style: 'form', explode: false, schema: { type: 'boolean' } },
};
const listOption = (name: string): Obj => ({ name, in: 'query', style: 'form', explode: false, schema: { uniqueItems: true, type: 'array', items: { type: 'string' } } });
const parameterRef = (name: string): Obj => ({ $ref: `#/components/parameters/${name}` });
const collectionQuery = [...['top', 'skip', 'search', 'filter', 'count'].map(parameterRef), listOption('$orderby'), listOption('$select'), listOption('$expand')];
const entityQuery = [listOption('$select'), listOption('$expand')];
const ifMatch = { name: 'If-Match', in: 'header', style: 'simple', schema: { type: 'string' } };
const errorResponse = { $ref: '#/components/responses/error' };
const pageable = { nextLinkName: '@odata.nextLink', operationName: 'listMore' };

/** Graph's error body and `$count`'s number: the converter adds them; CSDL does not declare them. */
const serviceSchemas: Readonly<Record<string, Obj>> = {
  ODataCountResponse: { type: 'integer', format: 'int32' },
  'microsoft.graph.ODataErrors.ODataError': { required: ['error'], type: 'object', properties: { error: schemaRef('microsoft.graph.ODataErrors.MainError') }, ...open },
  'microsoft.graph.ODataErrors.MainError': {
    required: ['code', 'message'],
    type: 'object',
    properties: {
      code: { type: 'string' },
      message: { type: 'string' },
      target: { type: 'string', nullable: true },
      details: { type: 'array', items: schemaRef('microsoft.graph.ODataErrors.ErrorDetails') },
      innerError: schemaRef('microsoft.graph.ODataErrors.InnerError'),
    },
    ...open,
  },
  'microsoft.graph.ODataErrors.ErrorDetails': {
    required: ['code', 'message'],
    type: 'object',
    properties: { code: { type: 'string' }, message: { type: 'string' }, target: { type: 'string', nullable: true } },
    ...open,
  },
  // The structure of an inner error is service-specific: an open object.
  'microsoft.graph.ODataErrors.InnerError': { type: 'object', ...open },
};

/**
 * Turns a CSDL document into the OpenAPI 3.0 description Microsoft's converter would write for the
 * paths under `root` (GRAPH-QUIRKS C5), so that the slicer treats both sources alike: containment
 * navigation from the root's singleton, key segments, `$count`, bound actions (POST, body from
 * their parameters) and functions (parameters inside the segment, G10); non-containment
 * navigation is read-only and not followed further. Where Graph's modules leave polymorphism out
 * (G2, G3), this adds it: an abstract complex type is the `oneOf` of its concrete derived types,
 * each of which names itself in a required `@odata.type`.
 */
export function csdlToOpenApi(csdl: CsdlDocument, root: string): Obj {
  return new Converter(csdl).document(root);
}

interface PathParameter {
  readonly name: string;
  readonly schema: Obj;
}

/** Where a path stands: the operationId's prefix so far and the path parameters it declares. */
interface Place {
  readonly path: string;
  readonly ids: readonly string[];
  readonly parameters: readonly PathParameter[];
  /** The entity types contained on the way here: containment that loops is not followed again. */
  readonly within: readonly string[];
}

class Converter {
  private readonly paths: Obj = {};
  private readonly schemas: Obj = { ...serviceSchemas };
  private readonly responses: Obj = {
    error: { description: 'error', content: { 'application/json': { schema: schemaRef('microsoft.graph.ODataErrors.ODataError') } } },
    ODataCountResponse: { description: 'The count of the resource', content: { 'text/plain': { schema: schemaRef('ODataCountResponse') } } },
  };
  private readonly derived = new Map<string, string[]>();

  constructor(private readonly csdl: CsdlDocument) {
    for (const type of csdl.types.values()) {
      if (type.kind !== 'enum' && type.baseType !== undefined) this.derived.set(type.baseType, [...(this.derived.get(type.baseType) ?? []), type.name]);
    }
  }

  document(root: string): Obj {
    // Converted when first read: a slice reaches some hundreds of Graph's thousands of types.
    for (const type of this.csdl.types.values()) {
      Object.defineProperty(this.schemas, type.name, {
        configurable: true,
        enumerable: true,
        get: () => {
          const schema = type.kind === 'enum' ? enumSchema(type) : this.typeSchema(type);
          Object.defineProperty(this.schemas, type.name, { value: schema, enumerable: true, writable: true });
          return schema;
        },
      });
    }
    const [singleton = '', ...segments] = root.split('/').filter((segment) => segment !== '');
    const singletonType = this.csdl.singletons.get(singleton);
    if (singletonType === undefined) throw new CodegenError(`CSDL: the slice root ${root} starts at "${singleton}", which the entity container does not declare`);
    let type = this.entity(singletonType);
    let place: Place = { path: `/${singleton}`, ids: [singleton], parameters: [], within: [type.name] };
    let via: { owner: CsdlStructuredType; property: CsdlProperty } | undefined;
    for (const segment of segments) {
      const property = this.property(type, segment);
      if (property?.navigation !== true || property.collection || !property.containsTarget) {
        throw new CodegenError(`CSDL: the slice root ${root} needs "${segment}" to be a single-valued containment navigation property of ${type.name}`);
      }
      via = { owner: type, property };
      type = this.entity(property.type);
      place = { ...place, path: `${place.path}/${segment}`, within: [...place.within, type.name] };
    }
    if (via === undefined) this.entityItem(place, type, undefined, pascal(singleton), place.ids);
    else this.single(place, via.owner, via.property);
    return { openapi: '3.0.1', info: { version: 'v1.0' }, paths: this.paths, components: { schemas: this.schemas, responses: this.responses, parameters: queryParameters } };
  }

  /** A single-valued navigation property reached at `place.path`. */
  private single(place: Place, owner: CsdlStructuredType, property: CsdlProperty): void {
    const type = this.entity(property.type);
    const id = `${place.ids.join('.')}_`;
    if (!property.containsTarget) {
      this.add(place.path, 'get', this.read(`${id}Get${pascal(property.name)}`, place.parameters, type.name, entityQuery));
      return;
    }
    this.entityItem(place, type, this.restrictions(owner, property), pascal(singular(property.name)), [...place.ids, singular(property.name)]);
  }

  /** The operations on one entity (a singleton, a single-valued navigation or a key segment) and what lies below it. */
  private entityItem(place: Place, type: CsdlStructuredType, restrictions: Restrictions | undefined, noun: string, below: readonly string[]): void {
    const id = `${place.ids.join('.')}_`;
    if (restrictions?.readable !== false) this.add(place.path, 'get', this.read(`${id}Get${noun}`, place.parameters, type.name, entityQuery));
    if (restrictions?.updatable !== false) this.add(place.path, 'patch', this.write(`${id}Update${noun}`, place.parameters, type.name));
    if (restrictions?.deletable !== false) this.add(place.path, 'delete', this.remove(`${id}Delete${noun}`, place.parameters));
    const next: Place = { ...place, ids: below };
    for (const property of this.allProperties(type)) {
      if (!property.navigation || (property.containsTarget && place.within.includes(property.type))) continue;
      const child: Place = { ...next, path: `${place.path}/${property.name}`, within: [...place.within, property.type] };
      if (property.collection) this.collection(child, type, property);
      else this.single(child, type, property);
    }
    this.operations(next, type, false);
  }

  /** A collection-valued navigation property: list, create, `$count`, and each member by key. */
  private collection(place: Place, owner: CsdlStructuredType, property: CsdlProperty): void {
    const type = this.entity(property.type);
    const noun = pascal(singular(property.name));
    const id = `${place.ids.join('.')}_`;
    const contained = property.containsTarget;
    const restrictions = contained ? this.restrictions(owner, property) : readOnly;
    if (restrictions.readable) this.add(place.path, 'get', this.list(`${id}List${noun}`, place.parameters, type.name));
    if (restrictions.insertable) this.add(place.path, 'post', this.write(`${id}Create${noun}`, place.parameters, type.name, 'post'));
    const inside: Place = { ...place, ids: [...place.ids, singular(property.name)] };
    if (restrictions.countable) this.add(`${place.path}/$count`, 'get', this.count(`${inside.ids.join('.')}_GetCount`, place.parameters));
    const key = this.keyParameter(type, place.parameters);
    const member: Place = { ...place, path: `${place.path}/{${key.name}}`, parameters: [...place.parameters, key] };
    if (contained) {
      this.entityItem(member, type, restrictions, noun, inside.ids);
      this.operations(inside, type, true, place.path, place.parameters);
    } else {
      this.add(member.path, 'get', this.read(`${id}Get${noun}`, member.parameters, type.name, entityQuery));
    }
  }

  /** Bound actions and functions whose binding parameter accepts this entity (or collection of them). */
  private operations(place: Place, type: CsdlStructuredType, collection: boolean, path = place.path, parameters = place.parameters): void {
    const accepted = new Set(this.lineage(type).map((t) => t.name));
    for (const operation of this.csdl.operations) {
      if (operation.binding.collection !== collection || !accepted.has(operation.binding.type)) continue;
      const id = `${place.ids.join('.')}_${operation.name.slice(operation.name.lastIndexOf('.') + 1)}`;
      if (operation.kind === 'action') this.add(`${path}/${operation.name}`, 'post', this.action(id, parameters, operation));
      else {
        const inSegment = operation.parameters.map((p) => `${p.name}={${p.name}}`).join(',');
        const functionParameters = operation.parameters.map((p) => ({ name: p.name, schema: this.valueSchema({ ...p, nullable: false }) }));
        this.add(`${path}/${operation.name}(${inSegment})`, 'get', this.function(id, [...parameters, ...functionParameters], operation));
      }
    }
  }

  private read(operationId: string, parameters: readonly PathParameter[], type: string, query: readonly Obj[]): Obj {
    return { operationId, parameters: [...pathParameters(parameters), ...query], responses: { '2XX': this.content(schemaRef(type)), default: errorResponse } };
  }

  private list(operationId: string, parameters: readonly PathParameter[], type: string): Obj {
    return {
      operationId,
      parameters: [...pathParameters(parameters), ...collectionQuery],
      responses: { '2XX': { $ref: `#/components/responses/${this.collectionResponse(type)}` }, default: errorResponse },
      'x-ms-pageable': pageable,
    };
  }

  private write(operationId: string, parameters: readonly PathParameter[], type: string, method: 'post' | 'patch' = 'patch'): Obj {
    return {
      operationId,
      ...(parameters.length === 0 ? {} : { parameters: pathParameters(parameters) }),
      requestBody: { required: true, content: { 'application/json': { schema: schemaRef(type) } } },
      responses: { '2XX': { description: method === 'post' ? 'Created navigation property.' : 'Success', content: { 'application/json': { schema: schemaRef(type) } } }, default: errorResponse },
    };
  }

  private remove(operationId: string, parameters: readonly PathParameter[]): Obj {
    return { operationId, parameters: [...pathParameters(parameters), ifMatch], responses: { '2XX': { description: 'Success' }, default: errorResponse } };
  }

  private count(operationId: string, parameters: readonly PathParameter[]): Obj {
    return {
      operationId,
      parameters: [...pathParameters(parameters), parameterRef('search'), parameterRef('filter')],
      responses: { '2XX': { $ref: '#/components/responses/ODataCountResponse' }, default: errorResponse },
    };
  }

  private action(operationId: string, parameters: readonly PathParameter[], action: CsdlOperation): Obj {
    const body = Object.fromEntries(action.parameters.map((p) => [p.name, this.valueSchema(p)]));
    return {
      operationId,
      ...(parameters.length === 0 ? {} : { parameters: pathParameters(parameters) }),
      ...(action.parameters.length === 0 ? {} : { requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: body, ...open } } } } }),
      responses: { '2XX': this.returned(action.returnType, false), default: errorResponse },
    };
  }

  private function(operationId: string, parameters: readonly PathParameter[], fn: CsdlOperation): Obj {
    const collection = fn.returnType?.collection === true;
    return {
      operationId,
      parameters: [...pathParameters(parameters), ...(collection ? ['top', 'skip', 'search', 'filter', 'count'].map(parameterRef) : [])],
      responses: { '2XX': this.returned(fn.returnType, collection), default: errorResponse },
      ...(collection ? { 'x-ms-pageable': pageable } : {}),
    };
  }

  private returned(returnType: CsdlTypeRef | undefined, paged: boolean): Obj {
    if (returnType === undefined) return { description: 'Success' };
    // A result is the response body itself: no null to type, as in Graph's OpenAPI modules.
    if (!returnType.collection) return this.content(this.valueSchema({ ...returnType, nullable: false }));
    const value = { type: 'array', items: this.valueSchema({ ...returnType, collection: false, nullable: false }) };
    return this.content({ type: 'object', properties: { value, ...(paged ? { '@odata.nextLink': { type: 'string', nullable: true } } : {}) }, ...open });
  }

  private content(schema: Obj): Obj {
    return { description: 'Success', content: { 'application/json': { schema } } };
  }

  private collectionResponse(type: string): string {
    const name = `${type}CollectionResponse`;
    this.schemas[name] ??= {
      title: `Collection of ${shortName(type)}`,
      type: 'object',
      properties: { value: { type: 'array', items: schemaRef(type) }, '@odata.nextLink': { type: 'string', nullable: true } },
      ...open,
    };
    this.responses[name] ??= { description: 'Retrieved collection', content: { 'application/json': { schema: schemaRef(name) } } };
    return name;
  }

  private add(path: string, method: string, operation: Obj): void {
    const item = (this.paths[path] ??= {}) as Obj;
    item[method] = operation;
  }

  /** `{workflowVersion-versionNumber}`: the target type's name and key; a repeated name gets a number. */
  private keyParameter(type: CsdlStructuredType, taken: readonly PathParameter[]): PathParameter {
    const keyName = this.lineage(type).find((t) => t.key !== undefined)?.key?.[0];
    if (keyName === undefined) throw new CodegenError(`CSDL: entity type ${type.name} has no key`);
    const key = this.allProperties(type).find((p) => p.name === keyName);
    if (key === undefined) throw new CodegenError(`CSDL: key ${keyName} of ${type.name} is not one of its properties`);
    const base = `${shortName(type.name)}-${keyName}`;
    let name = base;
    for (let n = 1; taken.some((p) => p.name === name); n++) name = `${base}${n}`;
    return { name, schema: this.valueSchema({ ...key, nullable: false }) };
  }

  private restrictions(owner: CsdlStructuredType, property: CsdlProperty): Restrictions {
    // Graph annotates the navigation property where it is declared, sometimes where it is inherited.
    const declaring = this.lineage(owner).find((t) => t.properties.includes(property)) ?? owner;
    const terms = this.csdl.capabilities.get(`${owner.name}/${property.name}`) ?? this.csdl.capabilities.get(`${declaring.name}/${property.name}`);
    const field = (term: string, name: string): boolean => terms?.get(term)?.fields[name] !== false;
    return {
      readable: field('ReadRestrictions', 'Readable'),
      insertable: field('InsertRestrictions', 'Insertable'),
      updatable: field('UpdateRestrictions', 'Updatable'),
      deletable: field('DeleteRestrictions', 'Deletable'),
      countable: field('CountRestrictions', 'Countable'),
    };
  }

  private typeSchema(type: CsdlStructuredType): Obj {
    const title = shortName(type.name);
    if (this.isUnion(type)) {
      const members = this.concreteDescendants(type.name);
      return {
        title,
        oneOf: members.map(schemaRef),
        discriminator: { propertyName: '@odata.type', mapping: Object.fromEntries(members.map((m) => [`#${m}`, `#/components/schemas/${m}`])) },
      };
    }
    if (this.derivesFromUnion(type)) {
      // Flattened: a member of a union must not refer back to the union it belongs to.
      const inherited = this.lineage(type).slice(1).flatMap((t) => t.properties);
      return {
        title,
        required: ['@odata.type'],
        type: 'object',
        properties: { '@odata.type': { type: 'string', enum: [`#${type.name}`] }, ...this.propertySchemas([...inherited, ...type.properties]) },
        ...open,
      };
    }
    const own = { title, type: 'object', ...(type.properties.length === 0 ? {} : { properties: this.propertySchemas(type.properties) }), ...open };
    return type.baseType === undefined ? own : { allOf: [schemaRef(type.baseType), own] };
  }

  private propertySchemas(properties: readonly CsdlProperty[]): Obj {
    return Object.fromEntries(properties.map((p) => [p.name, p.navigation ? this.navigationSchema(p) : this.valueSchema(p)]));
  }

  /** G2, G4: a single-valued navigation property is a bare `$ref`; collections say they navigate. */
  private navigationSchema(property: CsdlProperty): Obj {
    return property.collection ? { type: 'array', items: schemaRef(property.type), 'x-ms-navigationProperty': true } : schemaRef(property.type);
  }

  /** A structural property's, parameter's or return type's schema; CSDL's default is nullable (C1). */
  private valueSchema(value: CsdlTypeRef): Obj {
    const primitive = primitives[value.type];
    const single = primitive ?? (value.type.startsWith('Edm.') ? {} : this.known(value.type));
    // Members of a collection of structured values are never null; of primitives, as declared.
    if (value.collection) return { type: 'array', items: primitive === undefined ? single : this.nullable(single, value.nullable, true) };
    // An entity passed as a parameter is written like a navigation property: a bare `$ref` (G2).
    return this.structured(value.type)?.kind === 'entity' ? single : this.nullable(single, value.nullable, primitive !== undefined);
  }

  private nullable(schema: Obj, nullable: boolean, primitive: boolean): Obj {
    if (!nullable) return schema;
    return primitive ? { ...schema, nullable: true } : { anyOf: [schema, { type: 'object', nullable: true }] };
  }

  private known(name: string): Obj {
    if (!this.csdl.types.has(name)) throw new CodegenError(`CSDL: type ${name} is referenced but not declared`);
    return schemaRef(name);
  }

  private isUnion(type: CsdlStructuredType): boolean {
    return type.kind === 'complex' && type.abstract && this.derived.has(type.name);
  }

  private derivesFromUnion(type: CsdlStructuredType): boolean {
    return this.lineage(type).slice(1).some((t) => this.isUnion(t));
  }

  private concreteDescendants(name: string): string[] {
    return (this.derived.get(name) ?? [])
      .flatMap((child) => {
        const type = this.structured(child);
        return [...(type?.abstract === false ? [child] : []), ...this.concreteDescendants(child)];
      })
      .sort();
  }

  /** The type and its bases, nearest first. */
  private lineage(type: CsdlStructuredType): CsdlStructuredType[] {
    const chain = [type];
    for (let base = type.baseType; base !== undefined; ) {
      const next = this.structured(base);
      if (next === undefined || chain.includes(next)) break;
      chain.push(next);
      base = next.baseType;
    }
    return chain;
  }

  /** Own and inherited properties; a redeclaration (such as `workflow.id`) replaces the base's. */
  private allProperties(type: CsdlStructuredType): CsdlProperty[] {
    const byName = new Map<string, CsdlProperty>();
    for (const t of this.lineage(type).reverse()) for (const p of t.properties) byName.set(p.name, p);
    return [...byName.values()];
  }

  private property(type: CsdlStructuredType, name: string): CsdlProperty | undefined {
    return this.allProperties(type).find((p) => p.name === name);
  }

  private structured(name: string): CsdlStructuredType | undefined {
    const type = this.csdl.types.get(name);
    return type === undefined || type.kind === 'enum' ? undefined : type;
  }

  private entity(name: string): CsdlStructuredType {
    const type = this.structured(name);
    if (type?.kind !== 'entity') throw new CodegenError(`CSDL: ${name} is not a declared entity type`);
    return type;
  }
}

interface Restrictions {
  readonly readable: boolean;
  readonly insertable: boolean;
  readonly updatable: boolean;
  readonly deletable: boolean;
  readonly countable: boolean;
}

/** Non-containment navigation: the target lives elsewhere; here it is only read. */
const readOnly: Restrictions = { readable: true, insertable: false, updatable: false, deletable: false, countable: true };

function enumSchema(type: CsdlEnumType): Obj {
  return { title: shortName(type.name), enum: type.members, type: 'string', ...(type.flags ? { 'x-ms-enum-flags': { isFlags: true } } : {}) };
}

function pathParameters(parameters: readonly PathParameter[]): Obj[] {
  return parameters.map((p) => ({ name: p.name, in: 'path', required: true, style: 'simple', schema: p.schema }));
}

function shortName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** `workflows` → `workflow`, `taskProcessingResults` → `taskProcessingResult`, as the converter's operationIds spell them. */
function singular(name: string): string {
  if (name.endsWith('ies')) return `${name.slice(0, -3)}y`;
  return name.endsWith('s') && !name.endsWith('ss') ? name.slice(0, -1) : name;
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

