import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, loadDocument, resourceTreeOperations, slice } from '../src/index.js';
import { repoRoot, upstream } from './paths.js';

const root = '/identityGovernance/lifecycleWorkflows';
type Upstream = Parameters<typeof upstream>[0];

async function sliceOf(file: Upstream): Promise<Record<string, unknown>> {
  const config = await loadConfig(join(repoRoot, 'openapi/slice.config.yaml'));
  const source = await loadDocument(upstream(file));
  return slice(source.document, config, source, { allowUnmatchedIncludes: true }).document;
}

/** `METHOD path` of every operation in a slice. */
function operationsOf(document: Record<string, unknown>): string[] {
  const methods = ['get', 'put', 'post', 'patch', 'delete'];
  const components = document['components'] as { pathItems?: Record<string, Record<string, unknown>> };
  return Object.entries(document['paths'] as Record<string, Record<string, unknown>>).flatMap(([path, item]) => {
    const ref = item['$ref'];
    const resolved = typeof ref === 'string' ? (components.pathItems?.[ref.split('/').at(-1) ?? ''] ?? {}) : item;
    return methods.filter((m) => resolved[m] !== undefined).map((m) => `${m.toUpperCase()} ${path}`);
  });
}

const minus = (a: readonly string[], b: readonly string[]) => a.filter((x) => !b.includes(x)).sort();

let older: Record<string, unknown>;
let newer: Record<string, unknown>;
beforeAll(async () => {
  [older, newer] = await Promise.all([sliceOf('graph-v1.0.2025-10-27.csdl.xml'), sliceOf('graph-v1.0.2026-08-20.csdl.xml')]);
});

describe('the resource tree follows the slice, with no hand edit', () => {
  it('reaches every operation of each CSDL version exactly once', () => {
    for (const document of [older, newer]) {
      const tree = resourceTreeOperations(document, root);
      expect(new Set(tree).size).toBe(tree.length);
      expect([...tree].sort()).toEqual(operationsOf(document).sort());
    }
  });

  it('regenerated from the 2025-10-27 CSDL, loses exactly the operations that CSDL lacks', () => {
    const lost = minus(resourceTreeOperations(newer, root), resourceTreeOperations(older, root));
    expect(lost).toEqual(minus(operationsOf(newer), operationsOf(older)));
    expect(minus(resourceTreeOperations(older, root), resourceTreeOperations(newer, root))).toEqual([]);
    for (const action of ['activateWithScope', 'cancelProcessing', 'clearQuarantine']) {
      expect(lost).toContain(`POST ${root}/workflows/{workflow-id}/microsoft.graph.identityGovernance.${action}`);
    }
  });
});
