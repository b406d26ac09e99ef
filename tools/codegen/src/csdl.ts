import { SaxesParser } from 'saxes';
import type { SaxesTagPlain } from 'saxes';
import { CodegenError } from './errors.js';

/** A type as CSDL writes it on a property, parameter or return: `Collection(graph.user)`, `Edm.String`. */
export interface CsdlTypeRef {
  /** Qualified name with aliases resolved: `microsoft.graph.user`, `Edm.String`. */
  readonly type: string;
  readonly collection: boolean;
  /** CSDL's default is nullable: only `Nullable="false"` says otherwise (GRAPH-QUIRKS C1). */
  readonly nullable: boolean;
}

export interface CsdlProperty extends CsdlTypeRef {
  readonly name: string;
  readonly navigation: boolean;
  readonly containsTarget: boolean;
}

export interface CsdlStructuredType {
  readonly kind: 'entity' | 'complex';
  readonly name: string;
  readonly baseType?: string;
  readonly abstract: boolean;
  readonly key?: readonly string[];
  readonly properties: readonly CsdlProperty[];
}

export interface CsdlEnumType {
  readonly kind: 'enum';
  readonly name: string;
  readonly flags: boolean;
  readonly members: readonly string[];
}

export interface CsdlParameter extends CsdlTypeRef {
  readonly name: string;
}

/** A bound action or function; unbound ones are reached through imports, which the slice never keeps. */
export interface CsdlOperation {
  readonly kind: 'action' | 'function';
  readonly name: string;
  readonly binding: CsdlTypeRef;
  readonly parameters: readonly CsdlParameter[];
  readonly returnType?: CsdlTypeRef;
}

/**
 * The facts of an `Org.OData.Capabilities.V1.*` annotation: a bare boolean (`TopSupported`) or the
 * boolean fields of its record (`InsertRestrictions/Insertable`). Nothing else of CSDL's
 * annotations is kept: `Core.Description` and the like are prose (GRAPH-QUIRKS C4).
 */
export interface CsdlCapability {
  readonly value?: boolean;
  readonly fields: Readonly<Record<string, boolean>>;
}

/** The parts of a CSDL document (`$metadata`) the slicer needs, with aliases resolved. */
export class CsdlDocument {
  constructor(
    /** `edmx:Edmx/@Version`, e.g. `4.0`. */
    readonly version: string,
    readonly types: ReadonlyMap<string, CsdlStructuredType | CsdlEnumType>,
    readonly operations: readonly CsdlOperation[],
    /** Singletons and entity sets of the entity container: name → entity type. */
    readonly singletons: ReadonlyMap<string, string>,
    /** Annotation target (`ns.type/property`) → term (`InsertRestrictions`) → facts. */
    readonly capabilities: ReadonlyMap<string, ReadonlyMap<string, CsdlCapability>>,
  ) {}
}

const capabilityPrefix = 'Org.OData.Capabilities.V1.';

/** Whether a text is XML rather than YAML or JSON: the only thing a description's format is told by. */
export function looksLikeXml(text: string): boolean {
  return /^\uFEFF?\s*</.test(text);
}

/**
 * Reads CSDL XML in one streaming pass with saxes, keeping types, bound operations, the entity
 * container and capability annotations, and skipping everything else as it goes by.
 */
export function parseCsdl(text: string, source: string): CsdlDocument {
  const parser = new SaxesParser<{ xmlns: false; fileName: string }>({ xmlns: false, fileName: source });
  const aliases = new Map<string, string>();
  const raw = { types: [] as MutableType[], operations: [] as MutableOperation[], singletons: new Map<string, string>() };
  const capabilities = new Map<string, Map<string, CsdlCapability>>();
  let version: string | undefined;
  let namespace = '';
  let type: MutableStructuredType | undefined;
  let operation: MutableOperation | undefined;
  let enumType: { name: string; flags: boolean; members: string[] } | undefined;
  let annotationsTarget: string | undefined;
  let capability: { target: string; term: string; value?: boolean; fields: Record<string, boolean> } | undefined;
  let recordDepth = 0;
  let property: string | undefined;

  parser.on('opentag', (tag: SaxesTagPlain) => {
    const a = tag.attributes;
    switch (tag.name) {
      case 'edmx:Edmx':
        version = a['Version'];
        break;
      case 'Schema':
        namespace = a['Namespace'] ?? '';
        if (a['Alias'] !== undefined) aliases.set(a['Alias'], namespace);
        break;
      case 'EntityType':
      case 'ComplexType':
        type = {
          kind: tag.name === 'EntityType' ? 'entity' : 'complex',
          name: `${namespace}.${required(a, 'Name', tag.name)}`,
          baseType: a['BaseType'],
          abstract: a['Abstract'] === 'true',
          properties: [],
        };
        raw.types.push(type);
        break;
      case 'PropertyRef':
        if (type !== undefined) type.key = [...(type.key ?? []), required(a, 'Name', 'PropertyRef')];
        break;
      case 'Property':
      case 'NavigationProperty':
        property = a['Name'];
        type?.properties.push({
          name: required(a, 'Name', tag.name),
          typeText: required(a, 'Type', tag.name),
          nullable: a['Nullable'] !== 'false',
          navigation: tag.name === 'NavigationProperty',
          containsTarget: a['ContainsTarget'] === 'true',
        });
        break;
      case 'EnumType':
        enumType = { name: `${namespace}.${required(a, 'Name', 'EnumType')}`, flags: a['IsFlags'] === 'true', members: [] };
        break;
      case 'Member':
        enumType?.members.push(required(a, 'Name', 'Member'));
        break;
      case 'Action':
      case 'Function':
        operation = { kind: tag.name === 'Action' ? 'action' : 'function', name: `${namespace}.${required(a, 'Name', tag.name)}`, bound: a['IsBound'] === 'true', parameters: [] };
        break;
      case 'Parameter':
        operation?.parameters.push({ name: required(a, 'Name', 'Parameter'), typeText: required(a, 'Type', 'Parameter'), nullable: a['Nullable'] !== 'false' });
        break;
      case 'ReturnType':
        if (operation !== undefined) operation.returnType = { typeText: required(a, 'Type', 'ReturnType'), nullable: a['Nullable'] !== 'false' };
        break;
      case 'Singleton':
      case 'EntitySet':
        raw.singletons.set(required(a, 'Name', tag.name), required(a, tag.name === 'Singleton' ? 'Type' : 'EntityType', tag.name));
        break;
      case 'Annotations':
        annotationsTarget = a['Target'];
        break;
      case 'Annotation': {
        const term = a['Term'] ?? '';
        // An annotation written inside a type targets the type, or the property it sits in.
        const inline = type === undefined ? undefined : property === undefined ? type.name : `${type.name}/${property}`;
        const target = annotationsTarget ?? inline;
        if (term.startsWith(capabilityPrefix) && target !== undefined) {
          capability = { target, term: term.slice(capabilityPrefix.length), fields: {}, ...(a['Bool'] === undefined ? {} : { value: a['Bool'] === 'true' }) };
        }
        break;
      }
      case 'Record':
        recordDepth++;
        break;
      case 'PropertyValue':
        // Only the annotation's own record: nested records (e.g. permissions) are not booleans we use.
        if (capability !== undefined && recordDepth === 1 && a['Bool'] !== undefined) capability.fields[required(a, 'Property', 'PropertyValue')] = a['Bool'] === 'true';
        break;
    }
  });
  parser.on('closetag', (tag: SaxesTagPlain) => {
    switch (tag.name) {
      case 'EntityType':
      case 'ComplexType':
        type = undefined;
        break;
      case 'Property':
      case 'NavigationProperty':
        property = undefined;
        break;
      case 'EnumType':
        if (enumType !== undefined) raw.types.push({ kind: 'enum', ...enumType });
        enumType = undefined;
        break;
      case 'Action':
      case 'Function':
        if (operation !== undefined) raw.operations.push(operation);
        operation = undefined;
        break;
      case 'Annotations':
        annotationsTarget = undefined;
        break;
      case 'Record':
        recordDepth--;
        break;
      case 'Annotation':
        if (capability !== undefined) {
          const byTerm = capabilities.get(capability.target) ?? new Map<string, CsdlCapability>();
          byTerm.set(capability.term, { ...(capability.value === undefined ? {} : { value: capability.value }), fields: capability.fields });
          capabilities.set(capability.target, byTerm);
        }
        capability = undefined;
        break;
    }
  });

  try {
    parser.write(text).close();
  } catch (error) {
    throw new CodegenError((error as Error).message.replace(/^([^:]*:\d+:\d+): /, '$1: XML does not parse: '));
  }
  if (version === undefined) throw new CodegenError(`${source}: not a CSDL document (no edmx:Edmx element)`);

  const resolve = (name: string): string => {
    const dot = name.lastIndexOf('.');
    const prefix = aliases.get(name.slice(0, dot));
    return prefix === undefined ? name : `${prefix}${name.slice(dot)}`;
  };
  const typeRef = (text: string, nullable: boolean): CsdlTypeRef => {
    const inner = /^Collection\((.*)\)$/.exec(text)?.[1];
    return { type: resolve(inner ?? text), collection: inner !== undefined, nullable };
  };
  const types = new Map<string, CsdlStructuredType | CsdlEnumType>();
  for (const t of raw.types) {
    if (t.kind === 'enum') types.set(t.name, t);
    else {
      types.set(t.name, {
        kind: t.kind,
        name: t.name,
        ...(t.baseType === undefined ? {} : { baseType: resolve(t.baseType) }),
        abstract: t.abstract,
        ...(t.key === undefined ? {} : { key: t.key }),
        properties: t.properties.map(({ typeText, ...p }) => ({ ...p, ...typeRef(typeText, p.nullable) })),
      });
    }
  }
  const operations: CsdlOperation[] = [];
  for (const o of raw.operations) {
    const [binding, ...parameters] = o.parameters;
    if (!o.bound || binding === undefined) continue;
    operations.push({
      kind: o.kind,
      name: o.name,
      binding: typeRef(binding.typeText, binding.nullable),
      parameters: parameters.map(({ typeText, ...p }) => ({ ...p, ...typeRef(typeText, p.nullable) })),
      ...(o.returnType === undefined ? {} : { returnType: typeRef(o.returnType.typeText, o.returnType.nullable) }),
    });
  }
  const singletons = new Map([...raw.singletons].map(([name, entityType]) => [name, resolve(entityType)]));
  const resolvedCapabilities = new Map([...capabilities].map(([target, terms]) => [resolveTarget(target, resolve), terms]));
  return new CsdlDocument(version, types, operations, singletons, resolvedCapabilities);
}

interface MutableProperty {
  name: string;
  typeText: string;
  nullable: boolean;
  navigation: boolean;
  containsTarget: boolean;
}

interface MutableStructuredType {
  kind: 'entity' | 'complex';
  name: string;
  baseType: string | undefined;
  abstract: boolean;
  key?: string[];
  properties: MutableProperty[];
}

type MutableType = MutableStructuredType | { kind: 'enum'; name: string; flags: boolean; members: string[] };

interface MutableOperation {
  kind: 'action' | 'function';
  name: string;
  bound: boolean;
  parameters: { name: string; typeText: string; nullable: boolean }[];
  returnType?: { typeText: string; nullable: boolean };
}

function required(attributes: Record<string, string>, name: string, element: string): string {
  const value = attributes[name];
  if (value === undefined) throw new CodegenError(`CSDL: <${element}> without ${name}`);
  return value;
}

function resolveTarget(target: string, resolve: (name: string) => string): string {
  const [head = '', ...rest] = target.split('/');
  return [resolve(head), ...rest].join('/');
}
