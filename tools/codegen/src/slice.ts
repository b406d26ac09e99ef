import { parseCapabilityHint } from './capabilities.js';
import type { PropertyCapability, SliceConfig } from './config.js';
import { isRecord } from './config.js';
import { CsdlDocument } from './csdl.js';
import { csdlToOpenApi } from './csdl-openapi.js';
import { CodegenError } from './errors.js';

type Obj = Record<string, unknown>;

export interface SliceSource {
  readonly name: string;
  readonly sha256: string;
}

/** A schema kept from outside the configured namespaces, and why. */
export interface ForeignSchema {
  readonly name: string;
  readonly treatment: 'whole' | 'stub';
  readonly reason: string;
}

export interface SliceReport {
  readonly paths: number;
  readonly operations: number;
  readonly schemas: number;
  /** Schemas the kept root's paths reach when nothing is pruned (GRAPH-QUIRKS G5). */
  readonly naiveClosure: number;
  readonly sharedPathItems: number;
  readonly foreign: readonly ForeignSchema[];
}

export interface SliceOptions {
  /** Comparing with an older description, whose API lacked some of today's paths. */
  readonly allowUnmatchedIncludes?: boolean;
}

export interface SliceResult {
  readonly document: Obj;
  readonly report: SliceReport;
}

const methods = ['get', 'put', 'post', 'delete', 'patch'] as const;
const entityBase = 'microsoft.graph.entity';
const schemaPrefix = '#/components/schemas/';
const primitiveTypes = new Set(['string', 'integer', 'number', 'boolean']);

/** Schema keywords that carry facts; everything else (prose, examples, docs extensions) is dropped. */
const schemaFacts = new Set([
  'type', 'format', 'pattern', 'minimum', 'maximum', 'minLength', 'maxLength', 'enum', 'default',
  'uniqueItems', 'readOnly', 'required', 'discriminator', 'x-ms-navigationProperty',
]);

/**
 * Cuts the configured Lifecycle Workflows paths and the schemas they reach out of an upstream
 * description of Graph — OpenAPI 3.x, or CSDL read into the OpenAPI its converter would write —
 * keeping facts only, and returns an OpenAPI 3.1 document.
 */
export function slice(upstream: unknown, config: SliceConfig, source: SliceSource, options: SliceOptions = {}): SliceResult {
  const csdl = upstream instanceof CsdlDocument;
  const doc = asOpenApi(csdl ? csdlToOpenApi(upstream, config.root) : upstream, source.name);
  const upstreamSchemas = doc.components.schemas;
  const selected = selectPaths(doc.paths, config, options.allowUnmatchedIncludes === true);
  const slicer = new Slicer(doc, config);

  const paths: Obj = {};
  for (const path of selected) paths[path] = slicer.pathItem(path, doc.paths[path]);
  assertUniqueOperationIds(paths);
  slicer.closeOver(paths);

  const components = slicer.components();
  const sharedPathItems = sharePathItems(paths, components, config.root);
  compactParameters(paths, components);

  const document: Obj = {
    openapi: '3.1.0',
    info: { title: config.title, version: stringOr(doc.info['version'], 'unknown') },
    // What the source is, not where it was read from: a file and a `$metadata` URL give the same slice.
    'x-idgov-source': { format: csdl ? `CSDL ${upstream.version}` : `OpenAPI ${doc.openapi}`, sha256: source.sha256 },
    servers: [{ url: 'https://graph.microsoft.com/v1.0' }],
    paths: sortKeys(paths),
    components: Object.fromEntries(
      Object.entries(components)
        .filter(([, entries]) => Object.keys(entries).length > 0)
        .map(([kind, entries]) => [kind, sortKeys(entries)]),
    ),
  };
  const operations = Object.values(paths).reduce<number>((count, item) => count + countOperations(item, components), 0);
  return {
    document,
    report: {
      paths: selected.length,
      operations,
      schemas: Object.keys(components.schemas).length,
      naiveClosure: naiveClosure(doc, config.root, upstreamSchemas),
      sharedPathItems,
      foreign: slicer.foreignReport(),
    },
  };
}

interface OpenApiDocument {
  readonly openapi: string;
  readonly info: Obj;
  readonly paths: Record<string, unknown>;
  readonly components: { readonly schemas: Record<string, unknown> } & Obj;
}

function asOpenApi(value: unknown, name: string): OpenApiDocument {
  if (!isRecord(value) || typeof value['openapi'] !== 'string' || !value['openapi'].startsWith('3.')) {
    throw new CodegenError(`${name}: not an OpenAPI 3.x document (no "openapi: 3.x" field)`);
  }
  const { paths, components, info } = value;
  if (!isRecord(paths)) throw new CodegenError(`${name}: OpenAPI document without "paths"`);
  if (!isRecord(components) || !isRecord(components['schemas'])) {
    throw new CodegenError(`${name}: OpenAPI document without "components.schemas"`);
  }
  return {
    openapi: value['openapi'],
    info: isRecord(info) ? info : {},
    paths,
    components: components as OpenApiDocument['components'],
  };
}

function selectPaths(paths: Record<string, unknown>, config: SliceConfig, allowUnmatched: boolean): string[] {
  const unmatched = new Set(config.include);
  const selected: string[] = [];
  for (const path of Object.keys(paths).sort()) {
    if (!path.startsWith(config.root)) continue;
    const rest = path.slice(config.root.length);
    const prefix = config.include.find((include) => rest === include || rest.startsWith(`${include}/`));
    if (prefix === undefined) continue;
    unmatched.delete(prefix);
    if (rest.split('/').some((segment) => config.excludeSegments.includes(segment))) continue;
    selected.push(path);
  }
  if (unmatched.size > 0 && !allowUnmatched) {
    throw new CodegenError(`slice config: include ${[...unmatched].map((p) => `"${p}"`).join(', ')} matches no path under ${config.root}`);
  }
  return selected;
}

class Slicer {
  private readonly schemas: Record<string, unknown>;
  private readonly kept = new Map<string, { treatment: 'whole' | 'stub'; reason: string }>();
  private readonly keptComponents = { responses: new Set<string>(), parameters: new Set<string>(), requestBodies: new Set<string>() };

  constructor(
    private readonly doc: OpenApiDocument,
    private readonly config: SliceConfig,
  ) {
    this.schemas = doc.components.schemas;
  }

  pathItem(path: string, raw: unknown): Obj {
    if (!isRecord(raw)) throw new CodegenError(`path ${path}: not an object`);
    const item: Obj = {};
    if (Array.isArray(raw['parameters'])) item['parameters'] = raw['parameters'].map((p) => this.parameter(p));
    for (const method of methods) {
      const operation = raw[method];
      if (isRecord(operation)) item[method] = this.operation(operation, `${method.toUpperCase()} ${path}`);
    }
    return item;
  }

  private operation(raw: Obj, where: string): Obj {
    const operationId = raw['operationId'];
    if (typeof operationId !== 'string') throw new CodegenError(`${where}: operation without operationId`);
    const operation: Obj = { operationId };
    if (Array.isArray(raw['parameters']) && raw['parameters'].length > 0) {
      operation['parameters'] = raw['parameters'].map((p) => this.parameter(p));
    }
    if (raw['requestBody'] !== undefined) operation['requestBody'] = this.requestBody(raw['requestBody']);
    const responses: Obj = {};
    for (const [code, response] of Object.entries(isRecord(raw['responses']) ? raw['responses'] : {})) {
      responses[code] = this.response(response);
    }
    operation['responses'] = responses;
    const pageable = raw['x-ms-pageable'];
    if (isRecord(pageable)) operation['x-ms-pageable'] = { nextLinkName: pageable['nextLinkName'] ?? '@odata.nextLink' };
    return operation;
  }

  private parameter(raw: unknown): Obj {
    if (!isRecord(raw)) throw new CodegenError('parameter: not an object');
    const ref = this.componentRef(raw, 'parameters');
    if (ref !== undefined) return ref;
    return pick(raw, ['name', 'in', 'required', 'style', 'explode'], { schema: this.schema(raw['schema']) });
  }

  private requestBody(raw: unknown): Obj {
    if (!isRecord(raw)) throw new CodegenError('requestBody: not an object');
    return this.componentRef(raw, 'requestBodies') ?? pick(raw, ['required'], { content: this.content(raw['content']) });
  }

  private response(raw: unknown): Obj {
    if (!isRecord(raw)) throw new CodegenError('response: not an object');
    const ref = this.componentRef(raw, 'responses');
    if (ref !== undefined) return ref;
    return raw['content'] === undefined ? { description: '' } : { description: '', content: this.content(raw['content']) };
  }

  private content(raw: unknown): Obj {
    const content: Obj = {};
    for (const [mediaType, body] of Object.entries(isRecord(raw) ? raw : {})) {
      content[mediaType] = isRecord(body) && body['schema'] !== undefined ? { schema: this.bodySchema(body['schema']) } : {};
    }
    return content;
  }

  /**
   * Graph's collection envelopes (`…CollectionResponse`) are shapes of responses, not API types:
   * they are written into the response that uses them rather than kept as schemas.
   */
  private bodySchema(raw: unknown): Obj {
    const target = refName(raw);
    if (!target?.endsWith('CollectionResponse')) return this.schema(raw);
    const envelope = this.schema(this.schemas[target]);
    const properties = isRecord(envelope['properties']) ? envelope['properties'] : {};
    return { ...envelope, properties: { '@odata.type': { type: 'string' }, '@odata.context': { type: 'string' }, '@odata.count': { type: 'integer' }, ...properties } };
  }

  private componentRef(raw: Obj, kind: 'parameters' | 'responses' | 'requestBodies'): Obj | undefined {
    const ref = raw['$ref'];
    if (typeof ref !== 'string') return undefined;
    const prefix = `#/components/${kind}/`;
    if (!ref.startsWith(prefix)) throw new CodegenError(`unsupported $ref ${ref}`);
    this.keptComponents[kind].add(ref.slice(prefix.length));
    return { $ref: ref };
  }

  /** Copies a schema's facts, rewriting Graph's 3.0 idioms into OpenAPI 3.1 (see GRAPH-QUIRKS). */
  schema(raw: unknown): Obj {
    if (!isRecord(raw)) return {};
    if (typeof raw['$ref'] === 'string') return { $ref: raw['$ref'] };
    const out: Obj = {};
    for (const [key, value] of Object.entries(raw)) {
      if (schemaFacts.has(key)) out[key] = value;
    }
    if (isRecord(raw['items'])) out['items'] = this.schema(raw['items']);
    if (isRecord(raw['properties'])) {
      const properties: Obj = {};
      for (const [name, property] of Object.entries(raw['properties'])) properties[name] = this.property(property);
      out['properties'] = properties;
    }
    for (const combinator of ['allOf', 'anyOf', 'oneOf'] as const) {
      const members = raw[combinator];
      if (Array.isArray(members)) out[combinator] = members.map((member) => (isNullMarker(member) ? { type: 'null' } : this.schema(member)));
    }
    // G1: `additionalProperties: {type: object}` turns into an index signature that rejects every
    // request body; Graph's objects are closed apart from instance annotations, so it goes, but
    // for objects that declare nothing (the service-specific `innerError`), which stay open.
    if (raw['additionalProperties'] !== undefined && raw['properties'] === undefined && raw['type'] === 'object') {
      out['additionalProperties'] = true;
    }
    const flags = raw['x-ms-enum-flags'];
    if (isRecord(flags) && flags['isFlags'] === true && Array.isArray(out['enum'])) {
      // G15: a flags value is a comma-joined set of members, which an `enum` would reject.
      const members = out['enum'] as string[];
      delete out['enum'];
      out['pattern'] = `^(${members.join('|')})(,(${members.join('|')}))*$`;
      out['x-idgov-flags'] = members;
    }
    return raw['nullable'] === true ? nullable(out) : out;
  }

  private property(raw: unknown): Obj {
    const property = this.schema(raw);
    if (!isRecord(raw)) return property;
    const hint = typeof raw['description'] === 'string' ? parseCapabilityHint(raw['description']) : undefined;
    // G2: a single-valued navigation property is a bare $ref, yet the service may send null.
    const target = refName(property);
    const withNull = target !== undefined && this.isEntity(target) ? { anyOf: [property, { type: 'null' }] } : property;
    return hint === undefined ? withNull : { ...withNull, ...capabilityExtensions(hint) };
  }

  /** Walks every reference from the kept paths, keeping schemas whole or as stubs. */
  closeOver(paths: Obj): void {
    const queue: { name: string; treatment: 'whole' | 'stub'; reason: string }[] = [];
    const visit = (node: unknown, context: string, viaBase: boolean): void => {
      if (Array.isArray(node)) {
        for (const item of node) visit(item, context, viaBase);
        return;
      }
      if (!isRecord(node)) return;
      const ref = node['$ref'];
      if (typeof ref === 'string') {
        if (ref.startsWith(schemaPrefix)) {
          const name = ref.slice(schemaPrefix.length);
          const stub = !viaBase && !this.inNamespace(name) && name !== entityBase && this.isEntity(name);
          queue.push({ name, treatment: stub ? 'stub' : 'whole', reason: viaBase ? `base type of ${context}` : `referenced by ${context}` });
        }
        return;
      }
      for (const [key, value] of Object.entries(node)) {
        if (key === 'allOf') visit(value, context, true);
        else if (key === 'properties' && isRecord(value)) {
          for (const [name, property] of Object.entries(value)) visit(property, `${context}.${name}`, false);
        } else visit(value, context, false);
      }
    };
    for (const [path, item] of Object.entries(paths)) visit(item, path, false);
    const componentDone = new Set<string>();
    for (let i = 0; i < queue.length || this.pendingComponents(componentDone).length > 0; ) {
      for (const [kind, name] of this.pendingComponents(componentDone)) {
        componentDone.add(`${kind}/${name}`);
        visit(this.cleanComponent(kind, name), `#/components/${kind}/${name}`, false);
      }
      for (; i < queue.length; i++) {
        const entry = queue[i];
        if (entry === undefined) continue;
        const previous = this.kept.get(entry.name);
        if (previous !== undefined && (previous.treatment === 'whole' || entry.treatment === 'stub')) continue;
        if (!(entry.name in this.schemas)) throw new CodegenError(`${entry.reason}: $ref to missing schema ${entry.name}`);
        this.kept.set(entry.name, { treatment: entry.treatment, reason: previous?.reason ?? entry.reason });
        const schema = entry.treatment === 'stub' ? this.stub(entry.name) : this.whole(entry.name);
        visit(schema, entry.name, false);
      }
    }
  }

  private pendingComponents(done: Set<string>): ['parameters' | 'responses' | 'requestBodies', string][] {
    const pending: ['parameters' | 'responses' | 'requestBodies', string][] = [];
    for (const kind of ['parameters', 'responses', 'requestBodies'] as const) {
      for (const name of this.keptComponents[kind]) if (!done.has(`${kind}/${name}`)) pending.push([kind, name]);
    }
    return pending;
  }

  private cleanComponent(kind: 'parameters' | 'responses' | 'requestBodies', name: string): Obj {
    const all = this.doc.components[kind];
    const raw = isRecord(all) ? all[name] : undefined;
    if (raw === undefined) throw new CodegenError(`$ref to missing #/components/${kind}/${name}`);
    if (kind === 'parameters') return this.parameter(raw);
    return kind === 'responses' ? this.response(raw) : this.requestBody(raw);
  }

  components(): { schemas: Obj; responses: Obj; parameters: Obj; requestBodies: Obj; pathItems: Obj } {
    const schemas: Obj = {};
    for (const [name, { treatment }] of this.kept) {
      const schema = treatment === 'stub' ? this.stub(name) : this.whole(name);
      schemas[name] = withCapabilities(addTypeAnnotation(schema), this.config.capabilities[name], name, (property) => this.inheritedProperty(name, property));
    }
    const pick = (kind: 'parameters' | 'responses' | 'requestBodies'): Obj =>
      Object.fromEntries([...this.keptComponents[kind]].map((name) => [name, this.cleanComponent(kind, name)]));
    return { schemas, responses: pick('responses'), parameters: pick('parameters'), requestBodies: pick('requestBodies'), pathItems: {} };
  }

  foreignReport(): ForeignSchema[] {
    return [...this.kept]
      .filter(([name]) => !this.inNamespace(name))
      .map(([name, { treatment, reason }]) => ({ name, treatment, reason }))
      .sort((a, b) => compareStrings(a.name, b.name));
  }

  private inNamespace(name: string): boolean {
    return this.config.namespaces.some((namespace) => name.startsWith(`${namespace}.`));
  }

  /** G4: entities are told apart from complex types only by their `allOf` chain to `entity`. */
  private isEntity(name: string, seen = new Set<string>()): boolean {
    if (name === entityBase) return true;
    if (seen.has(name)) return false;
    seen.add(name);
    const schema = this.schemas[name];
    if (!isRecord(schema) || !Array.isArray(schema['allOf'])) return false;
    return schema['allOf'].some((member) => {
      const base = refName(member);
      return base !== undefined && this.isEntity(base, seen);
    });
  }

  /**
   * A schema kept whole. A union of derived types (`oneOf` with an `@odata.type` discriminator)
   * keeps only the members the config names for it, where it names any.
   */
  private whole(name: string): Obj {
    const schema = this.schema(this.schemas[name]);
    const allowed = this.config.derivedTypes[name];
    // A description without polymorphism (Graph's OpenAPI modules, G2) has nothing to narrow.
    if (allowed === undefined || !Array.isArray(schema['oneOf']) || schema['discriminator'] === undefined) return schema;
    const members = (schema['oneOf'] as unknown[]).map(refName);
    const missing = allowed.filter((member) => !members.includes(member));
    if (missing.length > 0) throw new CodegenError(`slice config: derivedTypes.${name}: ${missing.join(', ')} is not a derived type of ${name} in this description`);
    const discriminator = isRecord(schema['discriminator']) ? schema['discriminator'] : {};
    const mapping = isRecord(discriminator['mapping']) ? discriminator['mapping'] : {};
    return {
      ...schema,
      oneOf: allowed.map((member) => ({ $ref: `${schemaPrefix}${member}` })),
      discriminator: { ...discriminator, mapping: Object.fromEntries(Object.entries(mapping).filter(([, ref]) => allowed.some((member) => ref === `${schemaPrefix}${member}`))) },
    };
  }

  /** A foreign entity cut down to its scalar properties, so it drags nothing else in. */
  private stub(name: string): Obj {
    const properties: Obj = {};
    for (const [property, schema] of this.ownAndInheritedProperties(name)) {
      if (isScalar(schema)) properties[property] = this.schema(schema);
    }
    return { allOf: [{ $ref: `${schemaPrefix}${entityBase}` }, { type: 'object', properties: sortKeys(properties) }], 'x-idgov-stub': true };
  }

  private ownAndInheritedProperties(name: string): [string, unknown][] {
    const schema = this.schemas[name];
    if (name === entityBase || !isRecord(schema)) return [];
    const parts = Array.isArray(schema['allOf']) ? (schema['allOf'] as unknown[]) : [schema];
    return parts.flatMap((part) => {
      const base = refName(part);
      if (base !== undefined) return this.ownAndInheritedProperties(base);
      return isRecord(part) && isRecord(part['properties']) ? Object.entries(part['properties']) : [];
    });
  }

  private inheritedProperty(schema: string, property: string): Obj | undefined {
    const found = this.ownAndInheritedProperties(schema).find(([name]) => name === property);
    if (found !== undefined) return this.property(found[1]);
    const base = this.schemas[entityBase];
    const entityProperties = isRecord(base) && isRecord(base['properties']) ? base['properties'] : {};
    return property in entityProperties ? this.property(entityProperties[property]) : undefined;
  }
}

function isScalar(schema: unknown): boolean {
  if (!isRecord(schema) || schema['$ref'] !== undefined || schema['anyOf'] !== undefined || schema['allOf'] !== undefined) return false;
  if (schema['type'] === 'array') return isScalar(schema['items']);
  return typeof schema['type'] === 'string' && primitiveTypes.has(schema['type']);
}

function isNullMarker(member: unknown): boolean {
  return isRecord(member) && member['type'] === 'object' && member['nullable'] === true && member['properties'] === undefined;
}

function nullable(schema: Obj): Obj {
  const type = schema['type'];
  if (typeof type !== 'string') return { anyOf: [schema, { type: 'null' }] };
  const out: Obj = { ...schema, type: [type, 'null'] };
  if (Array.isArray(schema['enum'])) out['enum'] = [...(schema['enum'] as unknown[]), null];
  return out;
}

/**
 * Graph's instance annotation `@odata.type` names the concrete type of a value, which writes of
 * derived types need; the roots of the inheritance chains declare it so closed objects accept it.
 */
function addTypeAnnotation(schema: Obj): Obj {
  if (schema['type'] !== 'object' || schema['allOf'] !== undefined || schema['additionalProperties'] === true) return schema;
  const properties = isRecord(schema['properties']) ? schema['properties'] : {};
  return { ...schema, properties: { '@odata.type': { type: 'string' }, ...properties } };
}

function capabilityExtensions(capability: PropertyCapability): Obj {
  return {
    ...(capability.filter === undefined ? {} : { 'x-idgov-filter': capability.filter }),
    ...(capability.orderBy === true ? { 'x-idgov-orderby': true } : {}),
    ...(capability.expand === true ? { 'x-idgov-expand': true } : {}),
  };
}

/** Applies the config's capabilities, re-declaring inherited properties where they need them. */
function withCapabilities(
  schema: Obj,
  capabilities: Readonly<Record<string, PropertyCapability>> | undefined,
  name: string,
  inherited: (property: string) => Obj | undefined,
): Obj {
  if (capabilities === undefined) return schema;
  const own = ownPart(schema);
  const properties = (own['properties'] ?? {}) as Obj;
  for (const [property, capability] of Object.entries(capabilities)) {
    const current = properties[property] ?? inherited(property);
    if (!isRecord(current)) throw new CodegenError(`slice config: capabilities.${name}.${property}: no such property`);
    properties[property] = { ...current, ...capabilityExtensions(capability) };
  }
  own['properties'] = properties;
  return schema;
}

function ownPart(schema: Obj): Obj {
  if (!Array.isArray(schema['allOf'])) return schema;
  const members = schema['allOf'] as Obj[];
  const own = members.find((member) => member['$ref'] === undefined);
  if (own !== undefined) return own;
  const created: Obj = { type: 'object', properties: {} };
  members.push(created);
  return created;
}

function assertUniqueOperationIds(paths: Obj): void {
  const seen = new Map<string, string>();
  for (const [path, item] of Object.entries(paths)) {
    for (const method of methods) {
      const operation = (item as Obj)[method];
      if (!isRecord(operation)) continue;
      const id = operation['operationId'] as string;
      const other = seen.get(id);
      // G13: openapi-typescript keys operations by id, so a duplicate would silently merge two.
      if (other !== undefined) throw new CodegenError(`duplicate operationId ${id}: ${other} and ${method.toUpperCase()} ${path}`);
      seen.set(id, `${method.toUpperCase()} ${path}`);
    }
  }
}

/**
 * G23: `deletedItems/workflows/…` mirrors `workflows/…`. Path items that are equal but for their
 * operationIds become one `components.pathItems` entry that both paths reference.
 */
function sharePathItems(paths: Obj, components: { pathItems: Obj }, root: string): number {
  const groups = new Map<string, string[]>();
  for (const [path, item] of Object.entries(paths).sort(([a], [b]) => compareStrings(a, b))) {
    const key = JSON.stringify(item, (k, v: unknown) => (k === 'operationId' ? undefined : v));
    groups.set(key, [...(groups.get(key) ?? []), path]);
  }
  let shared = 0;
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const canonical = group.find((path) => !path.includes('/deletedItems/')) ?? group[0];
    if (canonical === undefined) continue;
    const name = pathItemName(canonical, root);
    if (name in components.pathItems) throw new CodegenError(`two shared path items would be named ${name}`);
    components.pathItems[name] = paths[canonical];
    for (const path of group) paths[path] = { $ref: `#/components/pathItems/${name}` };
    shared++;
  }
  return shared;
}

function pathItemName(path: string, root: string): string {
  return path
    .slice(root.length + 1)
    .split('/')
    .map((segment) => {
      if (segment.startsWith('{')) return 'item';
      if (segment === '$count') return 'count';
      return (/\.([A-Za-z]+)(\(.*\))?$/.exec(segment)?.[1] ?? segment).replace(/[^A-Za-z0-9_-]/g, '');
    })
    .join('.');
}

/**
 * Inline parameters that are the same everywhere (path keys, `$select`, `$orderby`, `$expand`)
 * become `components.parameters` entries: one declaration instead of one per operation.
 */
function compactParameters(paths: Obj, components: { parameters: Obj; pathItems: Obj }): void {
  const compact = (parameters: unknown): unknown =>
    Array.isArray(parameters)
      ? parameters.map((parameter: Obj) => {
          if (parameter['$ref'] !== undefined) return parameter;
          const name = parameter['name'] as string;
          const key = parameter['in'] === 'path' ? name : name.replace(/^\$/, '');
          const existing = components.parameters[key];
          if (existing === undefined) components.parameters[key] = parameter;
          else if (JSON.stringify(existing) !== JSON.stringify(parameter)) return parameter;
          return { $ref: `#/components/parameters/${key}` };
        })
      : parameters;
  for (const item of [...Object.values(paths), ...Object.values(components.pathItems)] as Obj[]) {
    if (item['$ref'] !== undefined) continue;
    if (item['parameters'] !== undefined) item['parameters'] = compact(item['parameters']);
    for (const method of methods) {
      const operation = item[method];
      if (isRecord(operation) && operation['parameters'] !== undefined) operation['parameters'] = compact(operation['parameters']);
    }
  }
}

function countOperations(item: unknown, components: { pathItems: Obj }): number {
  if (!isRecord(item)) return 0;
  const ref = item['$ref'];
  const resolved = typeof ref === 'string' ? components.pathItems[ref.slice('#/components/pathItems/'.length)] : item;
  return isRecord(resolved) ? methods.filter((method) => resolved[method] !== undefined).length : 0;
}

/** Counts the schemas every path under the root reaches when nothing is pruned or stubbed. */
function naiveClosure(doc: OpenApiDocument, root: string, schemas: Record<string, unknown>): number {
  const seen = new Set<string>();
  const stack: unknown[] = Object.entries(doc.paths).filter(([path]) => path.startsWith(root)).map(([, item]) => item);
  const resolve = (ref: string): unknown => {
    const [, , kind, name] = ref.split('/');
    const all = kind === undefined ? undefined : doc.components[kind];
    return isRecord(all) && name !== undefined ? all[name] : undefined;
  };
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...(node as unknown[]));
    else if (isRecord(node)) {
      const ref = node['$ref'];
      if (typeof ref === 'string') {
        if (seen.has(ref)) continue;
        seen.add(ref);
        stack.push(ref.startsWith(schemaPrefix) ? schemas[ref.slice(schemaPrefix.length)] : resolve(ref));
      } else stack.push(...Object.values(node));
    }
  }
  return [...seen].filter((ref) => ref.startsWith(schemaPrefix)).length;
}

export function refName(schema: unknown): string | undefined {
  if (!isRecord(schema) || typeof schema['$ref'] !== 'string') return undefined;
  const ref = schema['$ref'];
  return ref.startsWith(schemaPrefix) ? ref.slice(schemaPrefix.length) : undefined;
}

function pick(raw: Obj, keys: readonly string[], extra: Obj): Obj {
  const out: Obj = {};
  for (const key of keys) if (raw[key] !== undefined) out[key] = raw[key];
  return { ...out, ...extra };
}

function sortKeys(record: Obj): Obj {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareStrings(a, b)));
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/** Code-unit order: the same on every machine, unlike `localeCompare`. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
