import { entities, enums } from '@idgov/types';
import type { EntityMetadata, EnumMetadata } from '@idgov/types';

const entityTypes: Readonly<Record<string, EntityMetadata>> = entities;
const enumTypes: Readonly<Record<string, EnumMetadata>> = enums;

/** What to rewrite in a property: an evolvable enum, or a nested value that may hold one. */
type Rewrite = { readonly hidden: ReadonlySet<string>; readonly flags: boolean } | { readonly type: string };

/** Per type, the properties whose values can hold an enum member declared after `unknownFutureValue`. */
const rewrites: ReadonlyMap<string, readonly (readonly [string, Rewrite])[]> = (() => {
  const reaches = new Set<string>();
  const evolvable = (type: string | undefined): boolean => (enumTypes[type ?? '']?.evolvableMembers.length ?? 0) > 0;
  // Fixpoint: a type reaches an evolvable member directly or through a nested type that does.
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, entity] of Object.entries(entityTypes)) {
      if (reaches.has(name)) continue;
      if (Object.values(entity.properties).some((p) => (p.kind === 'enum' ? evolvable(p.type) : reaches.has(p.type ?? '')))) {
        reaches.add(name);
        grew = true;
      }
    }
  }
  const out = new Map<string, (readonly [string, Rewrite])[]>();
  for (const name of reaches) {
    const plan: (readonly [string, Rewrite])[] = [];
    for (const [prop, meta] of Object.entries(entityTypes[name]?.properties ?? {})) {
      const e = meta.kind === 'enum' ? enumTypes[meta.type ?? ''] : undefined;
      if (e !== undefined && e.evolvableMembers.length > 0) plan.push([prop, { hidden: new Set(e.evolvableMembers), flags: e.flags }]);
      else if (meta.kind !== 'enum' && reaches.has(meta.type ?? '')) plan.push([prop, { type: meta.type ?? '' }]);
    }
    out.set(name, plan);
  }
  return out;
})();

function maskMember(value: unknown, how: { readonly hidden: ReadonlySet<string>; readonly flags: boolean }): unknown {
  if (typeof value !== 'string') return Array.isArray(value) ? value.map((v) => maskMember(v, how)) : value;
  if (!how.flags) return how.hidden.has(value) ? 'unknownFutureValue' : value;
  const members = value.split(',').map((m) => (how.hidden.has(m.trim()) ? 'unknownFutureValue' : m.trim()));
  return [...new Set(members)].join(',');
}

/**
 * A value of `type` as a client that did not send `Prefer: include-unknown-enum-members` sees it:
 * members declared after `unknownFutureValue` (`mover`, …) read `unknownFutureValue`, in nested
 * and expanded values too. The input is never changed; unchanged parts are shared.
 * @see https://learn.microsoft.com/graph/best-practices-concept#handling-future-members-in-evolvable-enumerations
 */
export function hideEvolvableMembers<T>(value: T, type: string | undefined): T {
  const plan = rewrites.get(type ?? '');
  if (plan === undefined || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const mapped: unknown[] = value.map((v: unknown) => hideEvolvableMembers(v, type));
    return (mapped.some((v, i) => v !== (value as unknown[])[i]) ? mapped : value) as T;
  }
  let out: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const [prop, how] of plan) {
    const current = record[prop];
    if (current === undefined || current === null) continue;
    const next = 'type' in how ? hideEvolvableMembers(current, how.type) : maskMember(current, how);
    if (next !== current) {
      out ??= { ...record };
      out[prop] = next;
    }
  }
  return (out ?? value) as T;
}

/** Whether a `Prefer` header asks for evolvable enum members as they are. */
export function wantsUnknownEnumMembers(prefer: string | null): boolean {
  return prefer?.split(',').some((p) => p.trim().toLowerCase() === 'include-unknown-enum-members') === true;
}

/**
 * Collections the service counts without `$count=true`: their documented responses carry
 * `@odata.count` ("List taskDefinitions", "List runs", "List taskReports", "List tasks" of a
 * workflow version, "List customTaskExtensions"). `$count=false` still turns it off.
 */
export function countedByDefault(template: readonly string[]): boolean {
  const last = template.at(-1) ?? '';
  if (last === 'tasks') return template.at(-3) === 'versions';
  return last === 'taskDefinitions' || last === 'runs' || last === 'taskReports' || last === 'customTaskExtensions';
}
