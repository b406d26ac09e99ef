import { beforeAll, describe, expect, it } from 'vitest';
import { layoutFrom, loadDocument, sliceUpstream } from '../src/index.js';
import { repoRoot, upstream } from './paths.js';

// The 2024-10-01 OpenAPI module and the 2025-10-27 CSDL describe the same service a year apart.
// Restricted to what both describe, their slices must agree; each difference that remains is
// listed here with its reason. A new difference, or a listed one that disappears, fails.
type Obj = Record<string, unknown>;
const isRecord = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
let openapi: Obj;
let csdl: Obj;

beforeAll(async () => {
  const layout = layoutFrom(repoRoot);
  openapi = (await sliceUpstream(await loadDocument(upstream('graph-v1.0-identity-governance.2024-10-01.openapi.yml')), layout)).document;
  csdl = (await sliceUpstream(await loadDocument(upstream('graph-v1.0.2025-10-27.csdl.xml')), layout)).document;
});

const section = (doc: Obj, kind: string): Obj => {
  const components = doc['components'];
  const entries = isRecord(components) ? components[kind] : undefined;
  return isRecord(entries) ? entries : {};
};

/** Follows `$ref`s into `components`, but not into schemas: those are compared by name. */
function resolve(doc: Obj, node: unknown): unknown {
  let current = node;
  while (isRecord(current) && typeof current['$ref'] === 'string' && !current['$ref'].startsWith('#/components/schemas/')) {
    const [, , kind = '', name = ''] = current['$ref'].split('/');
    current = section(doc, kind)[name];
  }
  return current;
}

/** `METHOD path` → the operation with its path item's parameters, every reference resolved. */
function operations(doc: Obj): Map<string, Obj> {
  const out = new Map<string, Obj>();
  for (const [path, raw] of Object.entries(doc['paths'] as Obj)) {
    const item = resolve(doc, raw) as Obj;
    for (const method of ['get', 'post', 'patch', 'delete']) {
      const operation = item[method];
      if (!isRecord(operation)) continue;
      const parameters = [...((item['parameters'] as unknown[] | undefined) ?? []), ...((operation['parameters'] as unknown[] | undefined) ?? [])];
      out.set(`${method.toUpperCase()} ${path}`, {
        ...operation,
        parameters: parameters.map((p) => resolve(doc, p)),
        requestBody: resolve(doc, operation['requestBody']),
        responses: Object.fromEntries(Object.entries(operation['responses'] as Obj).map(([code, response]) => [code, resolve(doc, response)])),
      });
    }
  }
  return out;
}

/** A schema's own properties: itself, or the inline members of its `allOf`. */
function ownProperties(schema: unknown): Obj {
  const parts = isRecord(schema) && Array.isArray(schema['allOf']) ? (schema['allOf'] as unknown[]) : [schema];
  return Object.assign({}, ...parts.map((part) => (isRecord(part) && isRecord(part['properties']) ? part['properties'] : {}))) as Obj;
}

const shape = (schema: unknown): string => (isRecord(schema) && Array.isArray(schema['oneOf']) ? 'union of derived types' : 'object');
const base = (schema: unknown): unknown => (isRecord(schema) && Array.isArray(schema['allOf']) ? (schema['allOf'] as unknown[])[0] : undefined);

describe('the 2024-10-01 OpenAPI module and the 2025-10-27 CSDL agree', () => {
  it('on the operations', () => {
    expect([...operations(csdl).keys()].sort()).toEqual([...operations(openapi).keys()].sort());
  });

  it('on operationIds, but where the module mangles them (G14)', () => {
    const fromCsdl = operations(csdl);
    const differing = [...operations(openapi)].filter(([key, op]) => fromCsdl.get(key)?.['operationId'] !== op['operationId']);
    // The module's converter writes "By" as "GraphBPre"; the CSDL reader spells the property out.
    expect(differing.map(([key, op]) => [key, String(op['operationId']).replace('GraphBPre', 'By')])).toEqual(differing.map(([key]) => [key, fromCsdl.get(key)?.['operationId']]));
    expect(differing).toHaveLength(11);
  });

  it('on parameters, request bodies and responses', () => {
    const fromCsdl = operations(csdl);
    for (const [key, op] of operations(openapi)) {
      const other = fromCsdl.get(key);
      expect({ key, parameters: other?.['parameters'], requestBody: other?.['requestBody'], responses: other?.['responses'] }).toEqual({
        key,
        parameters: op['parameters'],
        requestBody: op['requestBody'],
        responses: op['responses'],
      });
    }
  });

  it('on property types, but for these', () => {
    const c1 = 'nullable in the CSDL, which the service follows (it sends null); the module writes a bare $ref (C1)';
    const known: Record<string, string> = {
      'microsoft.graph.customCalloutExtension.authenticationConfiguration': c1,
      'microsoft.graph.customCalloutExtension.clientConfiguration': c1,
      'microsoft.graph.customCalloutExtension.endpointConfiguration': c1,
      'microsoft.graph.identityGovernance.customTaskExtension.callbackConfiguration': c1,
      'microsoft.graph.identityGovernance.customTaskExtensionCallbackData.operationStatus': c1,
      'microsoft.graph.identityGovernance.workflowBase.executionConditions': c1,
      'microsoft.graph.identityGovernance.workflowTemplate.executionConditions': c1,
      // A derived type of an abstract one names itself, so that a union can tell its members apart (C2).
      'microsoft.graph.identityGovernance.customTaskExtensionCallbackData.@odata.type': 'a derived type names itself in @odata.type (C2)',
      // The CSDL declares this type abstract: its property moved into its derived type (G3).
      'microsoft.graph.customExtensionCallbackConfiguration.@odata.type': 'abstract in the CSDL: a union, whose members declare @odata.type (G3)',
      'microsoft.graph.customExtensionCallbackConfiguration.timeoutDuration': 'abstract in the CSDL: customTaskExtensionCallbackConfiguration carries it (G3)',
    };
    const a = section(openapi, 'schemas');
    const b = section(csdl, 'schemas');
    const differences: string[] = [];
    for (const name of Object.keys(a).filter((n) => n in b)) {
      const pa = ownProperties(a[name]);
      const pb = ownProperties(b[name]);
      for (const property of new Set([...Object.keys(pa), ...Object.keys(pb)])) {
        if (JSON.stringify(pa[property]) !== JSON.stringify(pb[property])) differences.push(`${name}.${property}`);
      }
    }
    expect(differences.sort()).toEqual(Object.keys(known).sort());
  });

  it('on schemas and inheritance, but for the polymorphism only the CSDL has (G2, G3)', () => {
    const a = section(openapi, 'schemas');
    const b = section(csdl, 'schemas');
    const common = Object.keys(a).filter((n) => n in b);
    // Abstract in the CSDL: the union of their derived types; empty open objects in the module.
    expect(common.filter((n) => shape(a[n]) !== shape(b[n])).sort()).toEqual([
      'microsoft.graph.customExtensionAuthenticationConfiguration',
      'microsoft.graph.customExtensionCallbackConfiguration',
      'microsoft.graph.customExtensionEndpointConfiguration',
      'microsoft.graph.identityGovernance.workflowExecutionConditions',
    ]);
    // A member of a union carries its abstract base's properties itself instead of referring to it.
    expect(common.filter((n) => JSON.stringify(base(a[n])) !== JSON.stringify(base(b[n])))).toEqual(['microsoft.graph.identityGovernance.customTaskExtensionCallbackData']);
    expect(Object.keys(a).filter((n) => !(n in b))).toEqual(['microsoft.graph.customExtensionData']);
  });
});
