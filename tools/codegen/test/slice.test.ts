import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedDocument, SliceResult } from '../src/index.js';
import { layoutFrom, loadDocument, sliceToYaml, sliceUpstream } from '../src/index.js';
import { repoRoot, upstream } from './paths.js';

let source: LoadedDocument;
let result: SliceResult & { yaml: string };
let csdlSource: LoadedDocument;
let csdl: SliceResult & { yaml: string };

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
  csdlSource = await loadDocument(upstream('graph-v1.0.2026-08-20.csdl.xml'));
  csdl = await sliceUpstream(csdlSource, layoutFrom(repoRoot));
});

describe('slice of the 2024-10-01 Identity.Governance description', () => {
  it('keeps the Lifecycle Workflows paths users need and prunes the rest of Graph', () => {
    // Graph's collection envelopes live in the responses that use them, not among the schemas.
    expect(result.report).toMatchObject({ paths: 182, operations: 204, schemas: 44, naiveClosure: 601 });
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

  it('records what its source is at the top, not where it was read from', () => {
    expect(result.yaml.split('\n')[1]).toBe(`# source: OpenAPI 3.0.1 sha256:${source.sha256}`);
    expect(dig(result.document, 'x-idgov-source')).toEqual({ format: 'OpenAPI 3.0.1', sha256: 'fc19ec6124ac662ae4f5e4b5295da7145407bf872f70165752f3f80758bdb5e2' });
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

  it('is deterministic', () => {
    expect(sliceToYaml(result.document, source)).toBe(result.yaml);
  });
});

describe('slice of the 2026-08-20 CSDL, the committed one', () => {
  const lcw = (name: string): string => `microsoft.graph.identityGovernance.${name}`;
  const csdlSchema = (name: string): unknown => dig(csdl.document, 'components', 'schemas', name);
  const csdlOwn = (name: string, ...keys: string[]): unknown => {
    const s = csdlSchema(name);
    const allOf = dig(s, 'allOf');
    const part: unknown = Array.isArray(allOf) ? allOf.find((member) => dig(member, '$ref') === undefined) : s;
    return dig(part, ...keys);
  };
  const ref = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });

  it('keeps at most 80 schemas: derived types in, other APIs\' subject sets out', () => {
    expect(csdl.report).toMatchObject({ paths: 228, operations: 250, schemas: 80, naiveClosure: 861, sharedPathItems: 81 });
    expect(csdl.report.foreign.map((f) => f.name)).not.toContain('microsoft.graph.singleUser');
    expect(csdl.report.foreign.find((f) => f.name === 'microsoft.graph.group')).toMatchObject({ treatment: 'stub' });
  });

  it('types executionConditions as the union of its derived types, or null (C1, C2)', () => {
    expect(csdlOwn(lcw('workflowBase'), 'properties', 'executionConditions')).toEqual({ anyOf: [ref(lcw('workflowExecutionConditions')), { type: 'null' }] });
    expect(dig(csdlSchema(lcw('workflowExecutionConditions')), 'oneOf')).toEqual([ref(lcw('onDemandExecutionOnly')), ref(lcw('triggerAndScopeBasedConditions'))]);
    expect(dig(csdlSchema(lcw('workflowExecutionTrigger')), 'oneOf')).toEqual(
      ['attributeChangeTrigger', 'membershipChangeTrigger', 'timeBasedAttributeTrigger', 'userInactivityTrigger'].map((name) => ref(lcw(name))),
    );
    // The config names the subject sets Lifecycle Workflows takes; the CSDL has fourteen.
    expect(dig(csdlSchema('microsoft.graph.subjectSet'), 'oneOf')).toEqual([ref(lcw('ruleBasedSubjectSet')), ref(lcw('groupBasedSubjectSet'))]);
    expect(dig(csdlSchema(lcw('timeBasedAttributeTrigger')), 'properties', '@odata.type')).toEqual({
      type: 'string',
      enum: ['#microsoft.graph.identityGovernance.timeBasedAttributeTrigger'],
    });
    expect(dig(csdlSchema(lcw('timeBasedAttributeTrigger')), 'required')).toEqual(['@odata.type']);
  });

  it('follows CSDL nullability where the OpenAPI module lost it (C1)', () => {
    expect(csdlOwn(lcw('customTaskExtension'), 'properties', 'callbackConfiguration')).toEqual({
      anyOf: [ref('microsoft.graph.customExtensionCallbackConfiguration'), { type: 'null' }],
    });
    expect(csdlOwn(lcw('customTaskExtensionCallbackData'), 'properties', 'operationStatus')).toEqual({
      anyOf: [ref(lcw('customTaskExtensionOperationStatus')), { type: 'null' }],
    });
  });

  it('has the operations and members the 2024 module lacked', () => {
    const paths = Object.keys(dig(csdl.document, 'paths') as object);
    for (const action of ['activateWithScope', 'cancelProcessing', 'clearQuarantine', 'previewTaskFailures', 'previewWorkflow']) {
      expect(paths).toContain(`/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/microsoft.graph.identityGovernance.${action}`);
    }
    expect(paths).toContain('/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}/reprocessedRuns/{run-id1}');
    expect(dig(csdlSchema(lcw('lifecycleWorkflowProcessingStatus')), 'enum')).toEqual([
      'queued', 'inProgress', 'completed', 'completedWithErrors', 'canceled', 'failed', 'unknownFutureValue', 'canceling', 'quarantined',
    ]);
  });

  it('takes every capability from the config, the CSDL having no hints (C3)', () => {
    expect(csdlOwn(lcw('userProcessingResult'), 'properties', 'completedDateTime')).toMatchObject({ 'x-idgov-filter': ['lt', 'le', 'gt', 'ge', 'eq', 'ne'], 'x-idgov-orderby': true });
    expect(csdlOwn(lcw('task'), 'properties', 'displayName')).toMatchObject({ 'x-idgov-filter': ['eq', 'ne'], 'x-idgov-orderby': true });
  });

  it('shares the deletedItems mirror with workflows (G23)', () => {
    const paths = dig(csdl.document, 'paths') as Record<string, unknown>;
    const runs = paths['/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}/userProcessingResults'];
    expect(runs).toEqual({ $ref: '#/components/pathItems/workflows.item.runs.item.userProcessingResults' });
    expect(paths['/identityGovernance/lifecycleWorkflows/deletedItems/workflows/{workflow-id}/runs/{run-id}/userProcessingResults']).toEqual(runs);
  });

  it('carries no upstream prose (C4)', () => {
    const prose = csdl.yaml.split('\n').filter((line) => /^\s*(description|summary|externalDocs|title): /.test(line));
    expect(new Set(prose.map((line) => line.trim()))).toEqual(new Set(["description: ''", 'title: Microsoft Graph Lifecycle Workflows (v1.0), sliced by idgov']));
    expect(csdl.yaml).not.toContain('Supports $filter');
  });

  it('is deterministic and matches the committed slice byte for byte', async () => {
    expect(csdl.yaml.split('\n')[1]).toBe(`# source: CSDL 4.0 sha256:${csdlSource.sha256}`);
    expect(sliceToYaml(csdl.document, csdlSource)).toBe(csdl.yaml);
    const committed = await readFile(join(repoRoot, 'openapi/lifecycle-workflows.v1.0.yaml'), 'utf8');
    expect(committed === csdl.yaml, 'openapi/lifecycle-workflows.v1.0.yaml is stale: run `pnpm spec:update <upstream>`').toBe(true);
  });
});
