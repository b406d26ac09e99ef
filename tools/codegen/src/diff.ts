import { isRecord } from './config.js';
import { compareStrings, refName } from './slice.js';

type Obj = Record<string, unknown>;

/** How a change affects a TypeScript consumer of `@idgov/types`. */
export type Impact = 'breaking' | 'runtime' | 'non-breaking';

export interface Change {
  readonly impact: Impact;
  readonly kind: 'operation' | 'schema' | 'property' | 'enum' | 'parameter';
  readonly subject: string;
  readonly change: string;
}

export interface ChangeReport {
  readonly changes: readonly Change[];
  /** Upstream prose (descriptions, summaries) that changed inside the slice: counted, not listed. */
  readonly proseChanges: number;
  readonly bump: 'major' | 'minor' | 'patch' | 'none';
}

const methods = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * Compares two slices. `proseChanges` comes from the caller, who still holds the upstream text
 * the slices dropped.
 */
export function diffSlices(before: Obj, after: Obj, proseChanges = 0): ChangeReport {
  const changes: Change[] = [];
  const add = (impact: Impact, kind: Change['kind'], subject: string, change: string): void => {
    changes.push({ impact, kind, subject, change });
  };

  const opsBefore = operations(before);
  const opsAfter = operations(after);
  for (const key of union(opsBefore, opsAfter)) {
    const a = opsBefore.get(key);
    const b = opsAfter.get(key);
    if (a === undefined) add('non-breaking', 'operation', key, 'added');
    else if (b === undefined) add('breaking', 'operation', key, 'removed');
    else diffParameters(key, a, b, before, after, add);
  }

  const schemasBefore = schemas(before);
  const schemasAfter = schemas(after);
  for (const name of union(schemasBefore, schemasAfter)) {
    const a = schemasBefore.get(name);
    const b = schemasAfter.get(name);
    if (a === undefined) add('non-breaking', 'schema', name, 'added');
    else if (b === undefined) add('breaking', 'schema', name, 'removed');
    else if (isEnumLike(a) || isEnumLike(b)) diffEnum(name, a, b, add);
    else diffProperties(name, properties(a, schemasBefore), properties(b, schemasAfter), add);
  }

  const order: Record<Impact, number> = { breaking: 0, runtime: 1, 'non-breaking': 2 };
  changes.sort((x, y) => order[x.impact] - order[y.impact] || compareStrings(x.subject, y.subject) || compareStrings(x.change, y.change));
  const bump = changes.some((c) => c.impact !== 'non-breaking')
    ? 'major'
    : changes.length > 0
      ? 'minor'
      : proseChanges > 0
        ? 'patch'
        : 'none';
  return { changes, proseChanges, bump };
}

type Add = (impact: Impact, kind: Change['kind'], subject: string, change: string) => void;

function diffEnum(name: string, a: Obj, b: Obj, add: Add): void {
  const flagsBefore = Array.isArray(a['x-idgov-flags']);
  const flagsAfter = Array.isArray(b['x-idgov-flags']);
  // Values of a flags enum may arrive comma-joined: code that switches on single members breaks.
  if (flagsBefore !== flagsAfter) add(flagsAfter ? 'runtime' : 'breaking', 'enum', name, flagsAfter ? 'became a flags enum' : 'is no longer a flags enum');
  const membersBefore = enumMembers(a);
  const membersAfter = enumMembers(b);
  for (const member of membersAfter) if (!membersBefore.includes(member)) add('non-breaking', 'enum', name, `member ${member} added`);
  for (const member of membersBefore) if (!membersAfter.includes(member)) add('breaking', 'enum', name, `member ${member} removed`);
}

function diffProperties(name: string, a: Map<string, Obj>, b: Map<string, Obj>, add: Add): void {
  for (const property of union(a, b)) {
    const before = a.get(property);
    const after = b.get(property);
    const subject = `${name}.${property}`;
    if (before === undefined) add('non-breaking', 'property', subject, 'added');
    else if (after === undefined) add('breaking', 'property', subject, 'removed');
    else {
      const typeBefore = typeOf(before);
      const typeAfter = typeOf(after);
      if (typeBefore !== typeAfter) add('breaking', 'property', subject, `type ${typeBefore} → ${typeAfter}`);
      const nullBefore = isNullable(before);
      const nullAfter = isNullable(after);
      if (nullBefore !== nullAfter) add(nullAfter ? 'breaking' : 'non-breaking', 'property', subject, nullAfter ? 'became nullable' : 'no longer nullable');
      diffCapabilities(subject, before, after, add);
    }
  }
}

/** Query capabilities: a query the service accepted may now be refused (a run-time break). */
function diffCapabilities(subject: string, before: Obj, after: Obj, add: Add): void {
  const operators = (schema: Obj): string[] => asArray(schema['x-idgov-filter']).filter((op): op is string => typeof op === 'string');
  const opsBefore = operators(before);
  const opsAfter = operators(after);
  const removed = opsBefore.filter((op) => !opsAfter.includes(op));
  const added = opsAfter.filter((op) => !opsBefore.includes(op));
  if (removed.length > 0) add('runtime', 'property', subject, `$filter no longer supports ${removed.join(', ')}`);
  if (added.length > 0) add('non-breaking', 'property', subject, `$filter now supports ${added.join(', ')}`);
  for (const [key, option] of [['x-idgov-orderby', '$orderby'], ['x-idgov-expand', '$expand']] as const) {
    if (before[key] === true && after[key] !== true) add('runtime', 'property', subject, `${option} no longer supported`);
    if (before[key] !== true && after[key] === true) add('non-breaking', 'property', subject, `${option} now supported`);
  }
}

function diffParameters(key: string, a: Obj, b: Obj, before: Obj, after: Obj, add: Add): void {
  const paramsBefore = parameterMap(a, before);
  const paramsAfter = parameterMap(b, after);
  for (const name of union(paramsBefore, paramsAfter)) {
    const pa = paramsBefore.get(name);
    const pb = paramsAfter.get(name);
    if (pa === undefined) add(pb?.['required'] === true ? 'breaking' : 'non-breaking', 'parameter', `${key} ${name}`, 'added');
    else if (pb === undefined) add('breaking', 'parameter', `${key} ${name}`, 'removed');
    else {
      const valuesBefore = allowedValues(pa);
      const valuesAfter = allowedValues(pb);
      if (valuesBefore !== undefined && valuesAfter === undefined) add('non-breaking', 'parameter', `${key} ${name}`, 'allowed values widened to any string');
      else if (valuesBefore === undefined && valuesAfter !== undefined) add('breaking', 'parameter', `${key} ${name}`, 'narrowed to a list of allowed values');
      else if (valuesBefore !== undefined && valuesAfter !== undefined) {
        const removed = valuesBefore.filter((v) => !valuesAfter.includes(v));
        const added = valuesAfter.filter((v) => !valuesBefore.includes(v));
        if (removed.length > 0) add('breaking', 'parameter', `${key} ${name}`, `allowed values removed: ${removed.join(', ')}`);
        if (added.length > 0) add('non-breaking', 'parameter', `${key} ${name}`, `allowed values added: ${added.join(', ')}`);
      }
    }
  }
}

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

function allowedValues(parameter: Obj): string[] | undefined {
  const schema = isRecord(parameter['schema']) ? parameter['schema'] : {};
  const items = isRecord(schema['items']) ? schema['items'] : schema;
  return Array.isArray(items['enum']) ? (items['enum'] as string[]) : undefined;
}

function schemas(slice: Obj): Map<string, Obj> {
  const components = isRecord(slice['components']) ? slice['components'] : {};
  const all = isRecord(components['schemas']) ? components['schemas'] : {};
  return new Map(Object.entries(all).filter((entry): entry is [string, Obj] => isRecord(entry[1])));
}

function properties(schema: Obj, all: Map<string, Obj>): Map<string, Obj> {
  const parts = Array.isArray(schema['allOf']) ? (schema['allOf'] as Obj[]) : [schema];
  const out = new Map<string, Obj>();
  for (const part of parts) {
    const base = refName(part);
    if (base !== undefined) {
      const baseSchema = all.get(base);
      if (baseSchema !== undefined) for (const [k, v] of properties(baseSchema, all)) out.set(k, v);
    } else if (isRecord(part['properties'])) {
      for (const [k, v] of Object.entries(part['properties'])) if (isRecord(v)) out.set(k, v);
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

/** The report as a person reads it. */
export function formatReport(report: ChangeReport): string {
  const lines: string[] = [];
  const titles: Record<Impact, string> = { breaking: 'Breaking at compile time', runtime: 'Breaking at run time', 'non-breaking': 'Non-breaking' };
  for (const impact of ['breaking', 'runtime', 'non-breaking'] as const) {
    const group = report.changes.filter((c) => c.impact === impact);
    if (group.length === 0) continue;
    lines.push(`${titles[impact]} (${group.length}):`);
    for (const c of group) lines.push(`  ${c.kind} ${c.subject}: ${c.change}`);
  }
  if (report.changes.length === 0) lines.push('No changes to operations, schemas, properties, enums or parameters.');
  lines.push(`Prose-only changes: ${report.proseChanges}`);
  lines.push(`Suggested bump for @idgov/types: ${report.bump}`);
  return lines.join('\n');
}
