import { createHash } from 'node:crypto';
import { isRecord } from './config.js';
import { compareStrings, refName } from './slice.js';

type Obj = Record<string, unknown>;

/** How a change affects a TypeScript consumer of `@idgov/types`. */
export type Impact = 'breaking' | 'runtime' | 'non-breaking';

export type ChangeKind = 'operation' | 'parameter' | 'schema' | 'property' | 'enum';

/** One change at one place in the slice. */
export interface Change {
  readonly impact: Impact;
  readonly kind: ChangeKind;
  /** Where: `GET /path`, `GET /path $select`, a schema, or `schema.property`. */
  readonly subject: string;
  readonly change: string;
}

/** One upstream change and every place it shows: one line of the report. */
export interface ChangeGroup {
  readonly impact: Impact;
  readonly kind: ChangeKind;
  /** The line as a person reads it, without the count. */
  readonly summary: string;
  /** How many paths (operations, parameters) or schemas (schemas, properties, enums) it touches. */
  readonly count: number;
  readonly unit: 'paths' | 'schemas';
  readonly subjects: readonly string[];
}

export interface ChangeReport {
  /** The changes grouped: breaking at compile time first, then at run time, then the rest. */
  readonly groups: readonly ChangeGroup[];
  readonly changes: readonly Change[];
  /**
   * Paths and schemas whose upstream prose alone changed, from the slices' prose fingerprints;
   * `null` when one of the slices carries none.
   */
  readonly proseChanges: number | null;
  /** The semver bump the changes call for; {@link formatChangeset} applies it as 0.x versions take it. */
  readonly bump: 'major' | 'minor' | 'patch' | 'none';
}

/** A change, and what makes it the same upstream change as one seen elsewhere. */
interface Found extends Change {
  readonly key: string;
  /** The path or schema it touches. */
  readonly where: string;
  /** The line when the change shows in several places. */
  readonly shared: string;
}

type Add = (found: Omit<Found, 'key'>, identity: string) => void;

const methods = ['get', 'put', 'post', 'delete', 'patch'] as const;
const impacts = ['breaking', 'runtime', 'non-breaking'] as const;
const kinds: readonly ChangeKind[] = ['operation', 'parameter', 'schema', 'property', 'enum'];
/** Query options whose allowed values name properties of the returned entity. */
const propertyLists = new Set(['$select', '$orderby', '$expand']);

/** Compares two slices. */
export function diffSlices(before: Obj, after: Obj): ChangeReport {
  const found: Found[] = [];
  const add: Add = (change, identity) => {
    found.push({ ...change, key: `${change.impact}|${change.kind}|${identity}|${change.change}` });
  };

  const opsBefore = operations(before);
  const opsAfter = operations(after);
  for (const subject of union(opsBefore, opsAfter)) {
    const a = opsBefore.get(subject);
    const b = opsAfter.get(subject);
    const [method = '', path = ''] = subject.split(' ');
    const operation = (impact: Impact, change: string): void => {
      add({ impact, kind: 'operation', subject, change, where: path, shared: `operation ${method} …/${pathTail(path)}: ${change}` }, `${method} ${pathTail(path)}`);
    };
    if (a === undefined) operation('non-breaking', 'added');
    else if (b === undefined) operation('breaking', 'removed');
    else diffParameters({ method, path, subject }, a, b, before, after, add);
  }

  const schemasBefore = schemas(before);
  const schemasAfter = schemas(after);
  for (const name of union(schemasBefore, schemasAfter)) {
    const a = schemasBefore.get(name);
    const b = schemasAfter.get(name);
    const schema = (impact: Impact, change: string): void => {
      add({ impact, kind: 'schema', subject: name, change, where: name, shared: `schema ${name}: ${change}` }, name);
    };
    if (a === undefined) schema('non-breaking', 'added');
    else if (b === undefined) schema('breaking', 'removed');
    else if (isEnumLike(a) || isEnumLike(b)) diffEnum(name, a, b, add);
    else if (unionMembers(a) !== undefined || unionMembers(b) !== undefined) diffUnion(name, a, b, add);
    else diffProperties(name, properties(name, a, schemasBefore), properties(name, b, schemasAfter), add);
  }

  const changes = found.map(({ impact, kind, subject, change }) => ({ impact, kind, subject, change }));
  const proseChanges = countProseChanges(before, after, found);
  const bump = changes.some((c) => c.impact !== 'non-breaking') ? 'major' : changes.length > 0 ? 'minor' : (proseChanges ?? 0) > 0 ? 'patch' : 'none';
  return { groups: group(found), changes: sortChanges(changes), proseChanges, bump };
}

function group(found: readonly Found[]): ChangeGroup[] {
  const byKey = new Map<string, Found[]>();
  for (const change of found) byKey.set(change.key, [...(byKey.get(change.key) ?? []), change]);
  const groups = [...byKey.values()].map((members): ChangeGroup => {
    const [first] = members as [Found, ...Found[]];
    const subjects = members.map((m) => m.subject).sort(compareStrings);
    return {
      impact: first.impact,
      kind: first.kind,
      summary: members.length === 1 ? `${first.kind} ${first.subject}: ${first.change}` : first.shared,
      count: new Set(members.map((m) => m.where)).size,
      unit: first.kind === 'operation' || first.kind === 'parameter' ? 'paths' : 'schemas',
      subjects,
    };
  });
  return groups.sort((x, y) => impacts.indexOf(x.impact) - impacts.indexOf(y.impact) || kinds.indexOf(x.kind) - kinds.indexOf(y.kind) || compareStrings(x.summary, y.summary));
}

function sortChanges(changes: Change[]): Change[] {
  return changes.sort((x, y) => impacts.indexOf(x.impact) - impacts.indexOf(y.impact) || compareStrings(x.subject, y.subject) || compareStrings(x.change, y.change));
}

/**
 * The part of a path that says which operation it is, wherever it is reached from: from the
 * collection above the last key segment (`taskProcessingResults/{taskProcessingResult-id}/…resume`
 * is the same action under runs, tasks and the `deletedItems` mirror, G23), or the last two segments.
 */
function pathTail(path: string): string {
  const segments = path.split('/');
  const lastKey = segments.findLastIndex((segment) => segment.startsWith('{'));
  // A key met twice on one path is numbered (`{run-id1}`): the same key all the same.
  return segments.slice(lastKey >= 1 ? lastKey - 1 : Math.max(segments.length - 2, 0)).join('/').replace(/\{([^}]*?)\d+\}/g, '{$1}');
}

function diffEnum(name: string, a: Obj, b: Obj, add: Add): void {
  const change = (impact: Impact, text: string): void => {
    add({ impact, kind: 'enum', subject: name, change: text, where: name, shared: `enum ${name}: ${text}` }, name);
  };
  const flagsBefore = Array.isArray(a['x-idgov-flags']);
  const flagsAfter = Array.isArray(b['x-idgov-flags']);
  // Values of a flags enum may arrive comma-joined: code that switches on single members breaks.
  if (flagsBefore !== flagsAfter) change(flagsAfter ? 'runtime' : 'breaking', flagsAfter ? 'became a flags enum' : 'is no longer a flags enum');
  const membersBefore = enumMembers(a);
  const membersAfter = enumMembers(b);
  for (const member of membersAfter) if (!membersBefore.includes(member)) change('non-breaking', `member ${member} added`);
  for (const member of membersBefore) if (!membersAfter.includes(member)) change('breaking', `member ${member} removed`);
}

/** The derived types of an abstract type, written as a `oneOf` discriminated by `@odata.type`. */
function unionMembers(schema: Obj): string[] | undefined {
  return Array.isArray(schema['oneOf']) ? schema['oneOf'].map(refName).filter((m): m is string => m !== undefined) : undefined;
}

/** A union narrows what a body may be: becoming one, or losing a member, breaks code that compiled. */
function diffUnion(name: string, a: Obj, b: Obj, add: Add): void {
  const change = (impact: Impact, text: string): void => {
    add({ impact, kind: 'schema', subject: name, change: text, where: name, shared: `schema ${name}: ${text}` }, name);
  };
  const before = unionMembers(a);
  const after = unionMembers(b);
  if (before === undefined) change('breaking', `became a union of ${(after ?? []).join(', ')}`);
  else if (after === undefined) change('breaking', 'is no longer a union of derived types');
  else {
    for (const member of after) if (!before.includes(member)) change('non-breaking', `derived type ${member} added`);
    for (const member of before) if (!after.includes(member)) change('breaking', `derived type ${member} removed`);
  }
}

/** A property as a schema sees it, and the schema that declares it (its own or a base). */
interface PropertyOf {
  readonly schema: Obj;
  readonly declaredBy: string;
}

function diffProperties(name: string, a: Map<string, PropertyOf>, b: Map<string, PropertyOf>, add: Add): void {
  for (const property of union(a, b)) {
    const before = a.get(property);
    const after = b.get(property);
    // An inherited property changes once, in its base: one line for every schema that sees it.
    const declaredBy = (after ?? before)?.declaredBy ?? name;
    const change = (impact: Impact, text: string): void => {
      add({ impact, kind: 'property', subject: `${name}.${property}`, change: text, where: name, shared: `property ${declaredBy}.${property}: ${text}` }, `${declaredBy}.${property}`);
    };
    if (before === undefined) change('non-breaking', 'added');
    else if (after === undefined) change('breaking', 'removed');
    else {
      const typeBefore = typeOf(before.schema);
      const typeAfter = typeOf(after.schema);
      if (typeBefore !== typeAfter) change('breaking', `type ${typeBefore} → ${typeAfter}`);
      const nullBefore = isNullable(before.schema);
      const nullAfter = isNullable(after.schema);
      if (nullBefore !== nullAfter) change(nullAfter ? 'breaking' : 'non-breaking', nullAfter ? 'became nullable' : 'no longer nullable');
      diffCapabilities(before.schema, after.schema, change);
    }
  }
}

/** Query capabilities: a query the service accepted may now be refused (a run-time break). */
function diffCapabilities(before: Obj, after: Obj, change: (impact: Impact, text: string) => void): void {
  const operators = (schema: Obj): string[] => asArray(schema['x-idgov-filter']).filter((op): op is string => typeof op === 'string');
  const opsBefore = operators(before);
  const opsAfter = operators(after);
  const removed = opsBefore.filter((op) => !opsAfter.includes(op));
  const added = opsAfter.filter((op) => !opsBefore.includes(op));
  if (removed.length > 0) change('runtime', `$filter no longer supports ${removed.join(', ')}`);
  if (added.length > 0) change('non-breaking', `$filter now supports ${added.join(', ')}`);
  for (const [key, option] of [['x-idgov-orderby', '$orderby'], ['x-idgov-expand', '$expand']] as const) {
    if (before[key] === true && after[key] !== true) change('runtime', `${option} no longer supported`);
    if (before[key] !== true && after[key] === true) change('non-breaking', `${option} now supported`);
  }
}

interface OperationKey {
  readonly method: string;
  readonly path: string;
  readonly subject: string;
}

function diffParameters(key: OperationKey, a: Obj, b: Obj, before: Obj, after: Obj, add: Add): void {
  const paramsBefore = parameterMap(a, before);
  const paramsAfter = parameterMap(b, after);
  for (const name of union(paramsBefore, paramsAfter)) {
    const pa = paramsBefore.get(name);
    const pb = paramsAfter.get(name);
    const change = (impact: Impact, text: string): void => {
      add({ impact, kind: 'parameter', subject: `${key.subject} ${name}`, change: text, where: key.path, shared: `parameter ${name}: ${text}` }, name);
    };
    if (pa === undefined) change(pb?.['required'] === true ? 'breaking' : 'non-breaking', 'added');
    else if (pb === undefined) change('breaking', 'removed');
    else {
      const valuesBefore = allowedValues(pa, a, before);
      const valuesAfter = allowedValues(pb, b, after);
      if (valuesBefore !== undefined && valuesAfter === undefined) change('non-breaking', 'allowed values widened to any string');
      else if (valuesBefore === undefined && valuesAfter !== undefined) change('breaking', 'narrowed to a list of allowed values');
      else if (valuesBefore !== undefined && valuesAfter !== undefined) {
        const removed = valuesBefore.filter((v) => !valuesAfter.includes(v));
        const added = valuesAfter.filter((v) => !valuesBefore.includes(v));
        if (removed.length > 0) change('breaking', `allowed values removed: ${removed.join(', ')}`);
        if (added.length > 0) change('non-breaking', `allowed values added: ${added.join(', ')}`);
      }
    }
  }
}

/** Operations by `METHOD /path`, each with its path item's parameters before its own. */
function operations(slice: Obj): Map<string, Obj> {
  const out = new Map<string, Obj>();
  const paths = isRecord(slice['paths']) ? slice['paths'] : {};
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = resolve(slice, rawItem);
    for (const method of methods) {
      const operation = item[method];
      if (isRecord(operation)) out.set(`${method.toUpperCase()} ${path}`, { ...operation, parameters: [...asArray(item['parameters']), ...asArray(operation['parameters'])] });
    }
  }
  return out;
}

function parameterMap(operation: Obj, slice: Obj): Map<string, Obj> {
  return new Map(asArray(operation['parameters']).map((p) => resolve(slice, p)).map((p) => [String(p['name']), p]));
}

/**
 * A parameter's allowed values. Where an operation answers with a stub of a foreign entity
 * (`microsoft.graph.user`), a `$select`-like list offers all of that entity's properties; only
 * those the stub keeps are part of this API.
 */
function allowedValues(parameter: Obj, operation: Obj, slice: Obj): string[] | undefined {
  const schema = isRecord(parameter['schema']) ? parameter['schema'] : {};
  const items = isRecord(schema['items']) ? schema['items'] : schema;
  if (!Array.isArray(items['enum'])) return undefined;
  const values = items['enum'].filter((v): v is string => typeof v === 'string');
  const stub = propertyLists.has(String(parameter['name'])) ? stubProperties(operation, slice) : undefined;
  return stub === undefined ? values : values.filter((value) => stub.has(value.split(' ')[0] ?? value));
}

/** The properties of the stub an operation returns (one or a collection of), if it returns one. */
function stubProperties(operation: Obj, slice: Obj): Set<string> | undefined {
  const all = schemas(slice);
  const responses = isRecord(operation['responses']) ? operation['responses'] : {};
  const content = resolve(slice, responses['2XX'] ?? responses['200'])['content'];
  const json = isRecord(content) ? content['application/json'] : undefined;
  const body = isRecord(json) && isRecord(json['schema']) ? json['schema'] : {};
  const named = refName(body);
  // A collection's envelope, named or written into the response, holds the items in `value`.
  const value = properties(named ?? '', named === undefined ? body : (all.get(named) ?? {}), all).get('value')?.schema;
  const itemName = (value?.['type'] === 'array' ? refName(value['items']) : undefined) ?? named;
  const item = itemName === undefined ? undefined : all.get(itemName);
  return itemName !== undefined && item?.['x-idgov-stub'] === true ? new Set(properties(itemName, item, all).keys()) : undefined;
}

function schemas(slice: Obj): Map<string, Obj> {
  const components = isRecord(slice['components']) ? slice['components'] : {};
  const all = isRecord(components['schemas']) ? components['schemas'] : {};
  return new Map(Object.entries(all).filter((entry): entry is [string, Obj] => isRecord(entry[1])));
}

function properties(name: string, schema: Obj, all: Map<string, Obj>): Map<string, PropertyOf> {
  const parts = Array.isArray(schema['allOf']) ? (schema['allOf'] as Obj[]) : [schema];
  const out = new Map<string, PropertyOf>();
  for (const part of parts) {
    const base = refName(part);
    if (base !== undefined) {
      const baseSchema = all.get(base);
      if (baseSchema !== undefined) for (const [k, v] of properties(base, baseSchema, all)) out.set(k, v);
    } else if (isRecord(part['properties'])) {
      for (const [k, v] of Object.entries(part['properties'])) if (isRecord(v)) out.set(k, { schema: v, declaredBy: name });
    }
  }
  return out;
}

function isEnumLike(schema: Obj): boolean {
  return Array.isArray(schema['enum']) || Array.isArray(schema['x-idgov-flags']);
}

function enumMembers(schema: Obj): string[] {
  const members = schema['x-idgov-flags'] ?? schema['enum'];
  return asArray(members).filter((m): m is string => typeof m === 'string');
}

/** A property's type, stripped of nullability: what a consumer's code depends on. */
function typeOf(schema: Obj): string {
  const anyOf = asArray(schema['anyOf']).filter(isRecord);
  const core = anyOf.find((member) => member['type'] !== 'null') ?? schema;
  const ref = refName(core);
  if (ref !== undefined) return ref;
  const types = (Array.isArray(core['type']) ? (core['type'] as string[]) : [String(core['type'])]).filter((t) => t !== 'null');
  const base = types.join('|');
  if (base === 'array') return `${typeOf(isRecord(core['items']) ? core['items'] : {})}[]`;
  return typeof core['format'] === 'string' ? `${base}(${core['format']})` : base;
}

function isNullable(schema: Obj): boolean {
  const anyOf = asArray(schema['anyOf']).filter(isRecord);
  if (anyOf.some((member) => member['type'] === 'null')) return true;
  return Array.isArray(schema['type']) && (schema['type'] as string[]).includes('null');
}

/**
 * One digest per kept path and schema of the upstream prose it had. The slice drops prose (G22)
 * but keeps these, so two slices, however obtained, count prose-only changes alike.
 */
export function proseFingerprint(upstream: unknown, slice: Obj): Record<string, string> | undefined {
  // The CSDL reader skips `Core.Description` and the like (C4): it has no prose to fingerprint.
  if (!isRecord(upstream) || !isRecord(upstream['paths'])) return undefined;
  const up = upstream as { paths?: Obj; components?: { schemas?: Obj } };
  const components = isRecord(slice['components']) ? slice['components'] : {};
  const kept = [
    ...Object.keys(isRecord(slice['paths']) ? slice['paths'] : {}).map((path) => [proseKey('path', path), up.paths?.[path]] as const),
    ...Object.keys(isRecord(components['schemas']) ? components['schemas'] : {}).map((name) => [proseKey('schema', name), up.components?.schemas?.[name]] as const),
  ];
  const entries = kept.map(([key, node]) => [key, digest(JSON.stringify([...proseOf(node)]))] as const);
  return Object.fromEntries(entries.sort(([a], [b]) => compareStrings(a, b)));
}

function proseOf(node: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (!isRecord(node) && !Array.isArray(node)) return out;
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'description' || key === 'summary') && typeof value === 'string') out.set(`${path}/${key}`, value);
    else proseOf(value, `${path}/${key}`, out);
  }
  return out;
}

/** Short, so the fingerprint stays a few KB; a collision could only hide one prose change. */
const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 10);
const proseKey = (kind: 'path' | 'schema', name: string): string => `${kind === 'path' ? 'p' : 's'}${digest(`${kind} ${name}`)}`;

/** Counts the paths and schemas in both slices whose prose alone changed: their facts did not. */
function countProseChanges(before: Obj, after: Obj, found: readonly Found[]): number | null {
  const a = before['x-idgov-prose'];
  const b = after['x-idgov-prose'];
  if (!isRecord(a) || !isRecord(b)) return null;
  const changed = new Set(found.map((f) => proseKey(f.kind === 'operation' || f.kind === 'parameter' ? 'path' : 'schema', f.where)));
  return Object.keys(b).filter((key) => key in a && a[key] !== b[key] && !changed.has(key)).length;
}

function resolve(slice: Obj, node: unknown): Obj {
  if (!isRecord(node)) return {};
  const ref = node['$ref'];
  if (typeof ref !== 'string') return node;
  const [, , kind, name] = ref.split('/');
  const components = isRecord(slice['components']) ? slice['components'] : {};
  const group = components[kind ?? ''];
  return resolve(slice, isRecord(group) && name !== undefined ? group[name] : undefined);
}

function union<K>(a: Map<K, unknown>, b: Map<K, unknown>): K[] {
  return [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => compareStrings(String(x), String(y)));
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

const titles: Record<Impact, string> = { breaking: 'Breaking at compile time', runtime: 'Breaking at run time', 'non-breaking': 'Non-breaking' };

/** A group as one line: what changed, and how many paths or schemas show it. */
export function formatGroup(group: ChangeGroup): string {
  return group.subjects.length === 1 ? group.summary : `${group.summary} (${group.count} ${group.count === 1 ? group.unit.slice(0, -1) : group.unit})`;
}

/** The report as a person reads it. */
export function formatReport(report: ChangeReport): string {
  const lines: string[] = [];
  for (const impact of impacts) {
    const groups = report.groups.filter((g) => g.impact === impact);
    if (groups.length === 0) continue;
    lines.push(`${titles[impact]} (${groups.length}):`);
    for (const g of groups) lines.push(`  ${formatGroup(g)}`);
  }
  if (report.groups.length === 0) lines.push('No changes to operations, schemas, properties, enums or parameters.');
  lines.push(`Prose-only changes: ${report.proseChanges === null ? 'not counted (a slice without a prose fingerprint: one cut from CSDL, or by an older generator)' : `${report.proseChanges} paths or schemas`}`);
  lines.push(`Suggested bump for @idgov/types: ${report.bump}${report.bump === 'major' ? ' (minor while it is at 0.x)' : ''}`);
  return lines.join('\n');
}

const plurals: Record<ChangeKind, string> = { operation: 'operations', parameter: 'parameters', schema: 'schemas', property: 'properties', enum: 'enums' };

/** Non-breaking lines a changeset lists before it sums the rest up by kind. */
const listedNonBreaking = 20;

/**
 * The changeset for a report: every breaking line, then the non-breaking ones, summed up by kind
 * past the first {@link listedNonBreaking}. At 0.x a breaking change bumps the minor version.
 */
export function formatChangeset(report: ChangeReport, typesVersion: string | undefined, source: { name: string; sha256: string }): string {
  const bump = report.bump === 'none' ? 'patch' : report.bump === 'major' && typesVersion?.startsWith('0.') === true ? 'minor' : report.bump;
  const sections: string[] = [];
  const counts: string[] = [];
  for (const impact of impacts) {
    const groups = report.groups.filter((g) => g.impact === impact);
    if (groups.length === 0) continue;
    counts.push(`${groups.length} ${titles[impact].toLowerCase()}`);
    const listed = impact === 'non-breaking' ? groups.slice(0, listedNonBreaking) : groups;
    const rest = groups.slice(listed.length);
    const byKind = kinds.map((kind) => [kind, rest.filter((g) => g.kind === kind).length] as const).filter(([, n]) => n > 0);
    const more = rest.length > 0 ? [`- … and ${rest.length} more: ${byKind.map(([kind, n]) => `${n} ${n === 1 ? kind : plurals[kind]}`).join(', ')}`] : [];
    sections.push([`${titles[impact]}:`, ...listed.map((g) => `- ${formatGroup(g)}`), ...more].join('\n'));
  }
  const prose = report.proseChanges === null || report.proseChanges === 0 ? '' : ` Upstream prose changed on ${report.proseChanges} paths or schemas.`;
  const head = `Regenerated from ${source.name} (sha256 ${source.sha256.slice(0, 12)}): ${counts.join(', ') || 'no API changes'}.${prose}`;
  return `---\n'@idgov/types': ${bump}\n---\n\n${[head, ...sections].join('\n\n')}\n`;
}
