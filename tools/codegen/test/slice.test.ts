import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedDocument, SliceResult } from '../src/index.js';
import { layoutFrom, loadDocument, sliceToYaml, sliceUpstream } from '../src/index.js';
import { repoRoot, upstream } from './paths.js';

let source: LoadedDocument;
let result: SliceResult & { yaml: string };

/** Reads a value at a path of keys in plain JSON data. */
function dig(value: unknown, ...keys: (string | number)[]): unknown {
  return keys.reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), value);
}
const schema = (name: string): unknown => dig(result.document, 'components', 'schemas', name);
/** A schema's own part: itself, or the inline member of its `allOf`. */
const own = (name: string, ...keys: string[]): unknown => {
  const s = schema(name);
  const allOf = dig(s, 'allOf');
  const part: unknown = Array.isArray(allOf) ? allOf.find((member) => dig(member, '$ref') === undefined) : s;
  return dig(part, ...keys);
};
const paths = (): Record<string, unknown> => dig(result.document, 'paths') as Record<string, unknown>;

beforeAll(async () => {
  source = await loadDocument(upstream('graph-v1.0-identity-governance.2024-10-01.openapi.yml'));
  result = await sliceUpstream(source, layoutFrom(repoRoot));
});

describe('slice of the 2024-10-01 Identity.Governance description', () => {
  it('keeps the Lifecycle Workflows paths users need and prunes the rest of Graph', () => {
    expect(result.report).toMatchObject({ paths: 182, operations: 204, schemas: 54, naiveClosure: 601 });
    const kept = Object.keys(paths());
    expect(kept).toContain('/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}/userProcessingResults');
    expect(kept).toContain(
      '/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/microsoft.graph.identityGovernance.summary(startDateTime={startDateTime},endDateTime={endDateTime})',
    );
    expect(kept).toContain('/identityGovernance/lifecycleWorkflows/deletedItems/workflows/{workflow-id}/microsoft.graph.identityGovernance.restore');
    expect(kept.filter((p) => p.includes('mailboxSettings') || p.includes('serviceProvisioningErrors'))).toEqual([]);
    expect(kept.every((p) => p.startsWith('/identityGovernance/lifecycleWorkflows/'))).toBe(true);
  });

  it('stubs the user entity to its scalar properties and says why each foreign schema stays', () => {
    expect(dig(schema('microsoft.graph.user'), 'x-idgov-stub')).toBe(true);
    const properties = Object.values(dig(schema('microsoft.graph.user'), 'allOf', 1, 'properties') as object);
    expect(properties.length).toBeGreaterThan(20);
    expect(JSON.stringify(properties)).not.toContain('$ref');
    expect(result.report.foreign.find((f) => f.name === 'microsoft.graph.user')).toMatchObject({ treatment: 'stub' });
    expect(result.report.foreign.find((f) => f.name === 'microsoft.graph.customCalloutExtension')).toEqual({
      name: 'microsoft.graph.customCalloutExtension',
      treatment: 'whole',
      reason: 'base type of microsoft.graph.identityGovernance.customTaskExtension',
    });
  });

  it('carries no upstream prose', () => {
    const prose = result.yaml.split('\n').filter((line) => /^\s*(description|summary|externalDocs|title): /.test(line));
    // Responses must carry a description; ours are empty. The one title is the config's.
    expect(new Set(prose.map((line) => line.trim()))).toEqual(new Set(["description: ''", 'title: Microsoft Graph Lifecycle Workflows (v1.0), sliced by idgov']));
    expect(result.yaml).not.toContain('learn.microsoft.com');
    expect(result.yaml).not.toContain('x-ms-docs-operation-type');
  });

  it('records its source at the top', () => {
    expect(result.yaml.split('\n')[1]).toBe(`# source: graph-v1.0-identity-governance.2024-10-01.openapi.yml sha256:${source.sha256}`);
    expect(dig(result.document, 'x-idgov-source')).toEqual({
      file: 'graph-v1.0-identity-governance.2024-10-01.openapi.yml',
      sha256: 'fc19ec6124ac662ae4f5e4b5295da7145407bf872f70165752f3f80758bdb5e2',
      openapi: '3.0.1',
      infoVersion: 'v1.0',
    });
  });

  it('turns capability prose into structured extensions, and adds the documented ones', () => {
    const upr = (property: string): unknown => own('microsoft.graph.identityGovernance.userProcessingResult', 'properties', property);
    expect(upr('completedDateTime')).toMatchObject({ 'x-idgov-filter': ['lt', 'le', 'gt', 'ge', 'eq', 'ne'], 'x-idgov-orderby': true });
    expect(upr('processingStatus')).toMatchObject({ 'x-idgov-filter': ['eq', 'ne'], 'x-idgov-orderby': true });
    expect(upr('subject')).toMatchObject({ 'x-idgov-filter': ['eq', 'ne'], 'x-idgov-expand': true });
    expect(upr('id')).toMatchObject({ type: 'string', 'x-idgov-filter': ['eq', 'ne'] });
    expect(own('microsoft.graph.identityGovernance.workflow', 'properties', 'nextScheduleRunDateTime')).toMatchObject({ 'x-idgov-filter': ['lt', 'gt'] });
  });

  it('fixes what breaks typed writes and reads (G1, G2, G15)', () => {
    expect(result.yaml).not.toMatch(/additionalProperties:\n\s+type: object/);
    expect(dig(schema('microsoft.graph.entity'), 'properties', '@odata.type')).toEqual({ type: 'string' });
    expect(own('microsoft.graph.identityGovernance.userProcessingResult', 'properties', 'subject', 'anyOf')).toEqual([
      { $ref: '#/components/schemas/microsoft.graph.user' },
      { type: 'null' },
    ]);
    expect(schema('microsoft.graph.identityGovernance.lifecycleTaskCategory')).toEqual({
      type: 'string',
      pattern: '^(joiner|leaver|unknownFutureValue|mover)(,(joiner|leaver|unknownFutureValue|mover))*$',
      'x-idgov-flags': ['joiner', 'leaver', 'unknownFutureValue', 'mover'],
    });
    expect(dig(schema('microsoft.graph.identityGovernance.lifecycleWorkflowProcessingStatus'), 'enum')).toEqual([
      'queued', 'inProgress', 'completed', 'completedWithErrors', 'canceled', 'failed', 'unknownFutureValue',
    ]);
  });

  it('shares the deletedItems mirror with workflows (G23)', () => {
    const runs = paths()['/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}/userProcessingResults'];
    expect(runs).toEqual({ $ref: '#/components/pathItems/workflows.item.runs.item.userProcessingResults' });
    expect(paths()['/identityGovernance/lifecycleWorkflows/deletedItems/workflows/{workflow-id}/runs/{run-id}/userProcessingResults']).toEqual(runs);
    expect(result.report.sharedPathItems).toBe(67);
  });

  it('parses YAML as 1.2: parameters named `on` stay strings (G20)', () => {
    const names: unknown[] = [];
    JSON.stringify(source.document, (key, value: unknown) => {
      if (key === 'name') names.push(value);
      return value;
    });
    expect(names.filter((name) => name === 'on')).toHaveLength(30);
    expect(names).not.toContain(true);
  });

  it('is deterministic and matches the committed slice byte for byte', async () => {
    expect(sliceToYaml(result.document, source)).toBe(result.yaml);
    const committed = await readFile(join(repoRoot, 'openapi/lifecycle-workflows.v1.0.yaml'), 'utf8');
    expect(committed === result.yaml, 'openapi/lifecycle-workflows.v1.0.yaml is stale: run `pnpm spec:update <upstream>`').toBe(true);
  });
});
