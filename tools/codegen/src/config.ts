import { readFile } from 'node:fs/promises';
import { CodegenError } from './errors.js';
import { parseYaml } from './load.js';

export interface PropertyCapability {
  readonly filter?: readonly string[];
  readonly orderBy?: boolean;
  readonly expand?: boolean;
}

/** `openapi/slice.config.yaml`: what to cut from the upstream description. */
export interface SliceConfig {
  readonly output: string;
  readonly title: string;
  readonly root: string;
  readonly include: readonly string[];
  readonly excludeSegments: readonly string[];
  readonly namespaces: readonly string[];
  readonly capabilities: Readonly<Record<string, Readonly<Record<string, PropertyCapability>>>>;
  /** Abstract types shared with other Graph APIs → the derived types these paths accept. */
  readonly derivedTypes: Readonly<Record<string, readonly string[]>>;
}

const filterOperators = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'in', 'has', 'startswith', 'endswith', 'contains', 'any', 'all']);

export async function loadConfig(path: string): Promise<SliceConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new CodegenError(`${path}: no such config file`);
  }
  return parseConfig(parseYaml(text, path), path);
}

export function parseConfig(raw: unknown, source: string): SliceConfig {
  const fail = (what: string): never => {
    throw new CodegenError(`${source}: ${what}`);
  };
  if (!isRecord(raw)) return fail('expected a mapping');
  const text = (key: string): string => {
    const value = raw[key];
    return typeof value === 'string' && value !== '' ? value : fail(`"${key}" must be a non-empty string`);
  };
  const list = (key: string): string[] => {
    const value = raw[key] ?? [];
    if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
      return fail(`"${key}" must be a list of strings`);
    }
    return value;
  };
  const capabilities: Record<string, Record<string, PropertyCapability>> = {};
  const rawCapabilities = raw['capabilities'] ?? {};
  if (!isRecord(rawCapabilities)) return fail('"capabilities" must be a mapping');
  for (const [schema, properties] of Object.entries(rawCapabilities)) {
    if (!isRecord(properties)) return fail(`capabilities.${schema} must be a mapping`);
    const byProperty: Record<string, PropertyCapability> = {};
    for (const [property, capability] of Object.entries(properties)) {
      if (!isRecord(capability)) return fail(`capabilities.${schema}.${property} must be a mapping`);
      const filter = capability['filter'];
      if (filter !== undefined && (!Array.isArray(filter) || !filter.every((op) => typeof op === 'string' && filterOperators.has(op)))) {
        return fail(`capabilities.${schema}.${property}.filter must list operators of ${[...filterOperators].join(', ')}`);
      }
      byProperty[property] = {
        ...(filter === undefined ? {} : { filter: filter as string[] }),
        ...(capability['orderBy'] === true ? { orderBy: true } : {}),
        ...(capability['expand'] === true ? { expand: true } : {}),
      };
    }
    capabilities[schema] = byProperty;
  }
  const rawDerived = raw['derivedTypes'] ?? {};
  if (!isRecord(rawDerived)) return fail('"derivedTypes" must be a mapping');
  const derivedTypes: Record<string, string[]> = {};
  for (const [base, members] of Object.entries(rawDerived)) {
    if (!Array.isArray(members) || members.length === 0 || !members.every((m): m is string => typeof m === 'string')) {
      return fail(`derivedTypes.${base} must be a non-empty list of type names`);
    }
    derivedTypes[base] = members;
  }
  const include = list('include');
  if (include.length === 0) fail('"include" must name at least one path prefix');
  return {
    output: text('output'),
    title: text('title'),
    root: text('root'),
    include,
    excludeSegments: list('excludeSegments'),
    namespaces: list('namespaces'),
    capabilities,
    derivedTypes,
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
