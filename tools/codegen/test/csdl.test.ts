import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedDocument, SliceResult } from '../src/index.js';
import { CsdlDocument, loadDocument, parseConfig, parseCsdl, slice, sliceToYaml } from '../src/index.js';
import { fixtures } from './paths.js';

const config = parseConfig(
  {
    output: 'tiny.slice.yaml',
    title: 'Tiny CSDL slice',
    root: '/identityGovernance/lifecycleWorkflows',
    include: ['/workflows'],
    namespaces: ['microsoft.graph.identityGovernance'],
  },
  'inline config',
);
const root = '/identityGovernance/lifecycleWorkflows';

let source: LoadedDocument;
let result: SliceResult;

const dig = (value: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), value);
const schema = (name: string): unknown => dig(result.document, 'components', 'schemas', `microsoft.graph.identityGovernance.${name}`);
/** A path item, through the shared `components.pathItems` entry when it is one. */
const item = (path: string): unknown => {
  const raw = dig(result.document, 'paths', `${root}${path}`);
  const ref = dig(raw, '$ref');
  return typeof ref === 'string' ? dig(result.document, 'components', 'pathItems', ref.split('/').at(-1) ?? '') : raw;
};

beforeAll(async () => {
  source = await loadDocument(join(fixtures, 'tiny.csdl.xml'));
  result = slice(source.document, config, source);
});

describe('CSDL in, the same kind of slice out', () => {
  it('tells CSDL from OpenAPI by content', () => {
    expect(source.document).toBeInstanceOf(CsdlDocument);
    expect(dig(result.document, 'x-idgov-source')).toEqual({ format: 'CSDL 4.0', sha256: source.sha256 });
  });

  const kinds: [string, unknown][] = [
    ['string', { type: 'string' }],
    ['boolean', { type: 'boolean' }],
    ['byte', { maximum: 255, minimum: 0, type: 'integer', format: 'uint8' }],
    ['int16', { maximum: 32767, minimum: -32768, type: 'integer', format: 'int16' }],
    ['int32', { maximum: 2147483647, minimum: -2147483648, type: 'integer', format: 'int32' }],
    ['int64', { type: 'integer', format: 'int64' }],
    ['double', { type: 'number', format: 'double' }],
    ['decimal', { type: 'number', format: 'decimal' }],
    ['dateTimeOffset', { pattern: expect.stringMatching(/^\^\[0-9\]\{4,\}-/) as unknown, type: 'string', format: 'date-time' }],
    ['date', { pattern: '^[0-9]{4,}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$', type: 'string', format: 'date' }],
    ['timeOfDay', { pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]{1,12})?$', type: 'string', format: 'time' }],
    ['duration', { pattern: '^-?P([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+([.][0-9]+)?S)?)?$', type: 'string', format: 'duration' }],
    ['guid', { pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$', type: 'string', format: 'uuid' }],
    ['binary', { type: 'string', format: 'base64url' }],
    // C1: without Nullable="false" a property is nullable.
    ['nullableString', { type: ['string', 'null'] }],
    ['strings', { type: 'array', items: { type: 'string' } }],
    ['nullableStrings', { type: 'array', items: { type: ['string', 'null'] } }],
    ['flags', { $ref: '#/components/schemas/microsoft.graph.identityGovernance.lifecycleTaskCategory' }],
    ['status', { anyOf: [{ $ref: '#/components/schemas/microsoft.graph.identityGovernance.processingStatus' }, { type: 'null' }] }],
    ['summary', { anyOf: [{ $ref: '#/components/schemas/microsoft.graph.identityGovernance.summary' }, { type: 'null' }] }],
    ['summaries', { type: 'array', items: { $ref: '#/components/schemas/microsoft.graph.identityGovernance.summary' } }],
  ];
  for (const [property, want] of kinds) {
    it(`types ${property} as the OpenAPI modules do`, () => {
      expect(dig(schema('kinds'), 'properties', property)).toEqual(want);
    });
  }

  it('keeps flags enums (G15) and evolvable enums (G16)', () => {
    expect(schema('lifecycleTaskCategory')).toEqual({
      type: 'string',
      pattern: '^(joiner|leaver|unknownFutureValue|mover)(,(joiner|leaver|unknownFutureValue|mover))*$',
      'x-idgov-flags': ['joiner', 'leaver', 'unknownFutureValue', 'mover'],
    });
    expect(schema('processingStatus')).toEqual({ enum: ['queued', 'unknownFutureValue', 'canceling'], type: 'string' });
  });

  it('makes an abstract type the union of its derived types on @odata.type (C2)', () => {
    expect(schema('conditions')).toEqual({
      oneOf: [
        { $ref: '#/components/schemas/microsoft.graph.identityGovernance.onDemand' },
        { $ref: '#/components/schemas/microsoft.graph.identityGovernance.scheduled' },
      ],
      discriminator: {
        propertyName: '@odata.type',
        mapping: {
          '#microsoft.graph.identityGovernance.onDemand': '#/components/schemas/microsoft.graph.identityGovernance.onDemand',
          '#microsoft.graph.identityGovernance.scheduled': '#/components/schemas/microsoft.graph.identityGovernance.scheduled',
        },
      },
    });
    expect(schema('scheduled')).toEqual({
      required: ['@odata.type'],
      type: 'object',
      properties: {
        '@odata.type': { type: 'string', enum: ['#microsoft.graph.identityGovernance.scheduled'] },
        offsetInDays: { maximum: 2147483647, minimum: -2147483648, type: 'integer', format: 'int32' },
        owner: { anyOf: [{ $ref: '#/components/schemas/microsoft.graph.user' }, { type: 'null' }] },
      },
    });
    expect(dig(schema('workflow'), 'allOf', '1', 'properties', 'executionConditions')).toEqual({
      anyOf: [{ $ref: '#/components/schemas/microsoft.graph.identityGovernance.conditions' }, { type: 'null' }],
    });
  });

  it('derives the paths from containment under the root singleton (C5)', () => {
    expect(Object.keys(dig(result.document, 'paths') as object)).toEqual(
      [
        '/workflows',
        '/workflows/$count',
        '/workflows/{workflow-id}',
        '/workflows/{workflow-id}/createdBy',
        '/workflows/{workflow-id}/microsoft.graph.identityGovernance.activate',
        '/workflows/{workflow-id}/microsoft.graph.identityGovernance.restore',
        '/workflows/{workflow-id}/runs',
        '/workflows/{workflow-id}/runs/$count',
        '/workflows/{workflow-id}/runs/microsoft.graph.identityGovernance.summary(startDateTime={startDateTime},endDateTime={endDateTime})',
        '/workflows/{workflow-id}/runs/{run-id}',
        '/workflows/{workflow-id}/runs/{run-id}/reprocessedRuns',
        '/workflows/{workflow-id}/runs/{run-id}/reprocessedRuns/$count',
        '/workflows/{workflow-id}/runs/{run-id}/reprocessedRuns/{run-id1}',
        '/workflows/{workflow-id}/versions',
        '/workflows/{workflow-id}/versions/$count',
        '/workflows/{workflow-id}/versions/{workflowVersion-versionNumber}',
      ].map((path) => `${root}${path}`),
    );
  });

  it('names operations as the converter does, and lets restrictions decide the methods', () => {
    const methods = (path: string): Record<string, unknown> =>
      Object.fromEntries(Object.entries(item(path) as object).filter(([key]) => key !== 'parameters').map(([method, op]) => [method, dig(op, 'operationId')]));
    expect(methods('/workflows')).toEqual({ get: 'identityGovernance.lifecycleWorkflow_ListWorkflow', post: 'identityGovernance.lifecycleWorkflow_CreateWorkflow' });
    expect(methods('/workflows/{workflow-id}')).toEqual({
      get: 'identityGovernance.lifecycleWorkflow_GetWorkflow',
      patch: 'identityGovernance.lifecycleWorkflow_UpdateWorkflow',
      delete: 'identityGovernance.lifecycleWorkflow_DeleteWorkflow',
    });
    // workflow/runs is annotated not insertable, updatable or deletable.
    expect(methods('/workflows/{workflow-id}/runs')).toEqual({ get: 'identityGovernance.lifecycleWorkflow.workflow_ListRun' });
    expect(methods('/workflows/{workflow-id}/runs/{run-id}')).toEqual({ get: 'identityGovernance.lifecycleWorkflow.workflow_GetRun' });
    // Non-containment navigation is read, not followed further.
    expect(methods('/workflows/{workflow-id}/createdBy')).toEqual({ get: 'identityGovernance.lifecycleWorkflow.workflow_GetCreatedBy' });
    expect(methods('/workflows/{workflow-id}/runs/{run-id}/reprocessedRuns/{run-id1}')).toEqual({ get: 'identityGovernance.lifecycleWorkflow.workflow.run_GetReprocessedRun' });
  });

  it('types int32 keys as numbers (G19) and $count as text/plain (G9)', () => {
    expect(dig(result.document, 'components', 'parameters', 'workflowVersion-versionNumber', 'schema')).toEqual({
      maximum: 2147483647, minimum: -2147483648, type: 'integer', format: 'int32',
    });
    expect(dig(item('/workflows/$count'), 'get', 'responses', '2XX')).toEqual({ $ref: '#/components/responses/ODataCountResponse' });
    expect(dig(result.document, 'components', 'responses', 'ODataCountResponse', 'content')).toEqual({
      'text/plain': { schema: { $ref: '#/components/schemas/ODataCountResponse' } },
    });
  });

  it('posts actions with a body from their parameters, and puts function parameters in the segment (G10)', () => {
    expect(dig(item('/workflows/{workflow-id}/microsoft.graph.identityGovernance.activate'), 'post', 'requestBody')).toEqual({
      required: true,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: {
              subjects: { type: 'array', items: { $ref: '#/components/schemas/microsoft.graph.user' } },
              reason: { type: ['string', 'null'] },
            },
          },
        },
      },
    });
    expect(dig(item('/workflows/{workflow-id}/microsoft.graph.identityGovernance.activate'), 'post', 'responses', '2XX')).toEqual({ description: '' });
    const summary = item('/workflows/{workflow-id}/runs/microsoft.graph.identityGovernance.summary(startDateTime={startDateTime},endDateTime={endDateTime})');
    expect(dig(summary, 'get', 'parameters')).toEqual([
      { $ref: '#/components/parameters/workflow-id' },
      { $ref: '#/components/parameters/startDateTime' },
      { $ref: '#/components/parameters/endDateTime' },
    ]);
    expect(dig(summary, 'get', 'responses', '2XX', 'content', 'application/json', 'schema')).toEqual({
      $ref: '#/components/schemas/microsoft.graph.identityGovernance.summary',
    });
  });

  it('stubs foreign entities and carries no prose (C4)', () => {
    expect(dig(result.document, 'components', 'schemas', 'microsoft.graph.user')).toEqual({
      allOf: [{ $ref: '#/components/schemas/microsoft.graph.entity' }, { type: 'object', properties: { displayName: { type: ['string', 'null'] } } }],
      'x-idgov-stub': true,
    });
    const yaml = sliceToYaml(result.document, source);
    expect(yaml).not.toContain('Supports $filter');
    expect(yaml).not.toContain('Microsoft Entra user account');
  });
});

describe('bad CSDL', () => {
  it('names the line and column of XML that does not parse', () => {
    expect(() => parseCsdl('<?xml version="1.0"?>\n<edmx:Edmx Version="4.0">\n  <Schema>\n</edmx:Edmx>\n', 'broken.xml')).toThrowErrorMatchingInlineSnapshot(
      `[CodegenError: broken.xml:4:12: XML does not parse: unexpected close tag.]`,
    );
  });

  it('refuses XML that is not CSDL', () => {
    expect(() => parseCsdl('<html><body/></html>', 'page.html')).toThrowErrorMatchingInlineSnapshot(`[CodegenError: page.html: not a CSDL document (no edmx:Edmx element)]`);
  });

  it('says when the root does not start at a singleton of the container', async () => {
    const csdl = parseCsdl(await readFile(join(fixtures, 'tiny.csdl.xml'), 'utf8'), 'tiny.csdl.xml');
    expect(() => slice(csdl, { ...config, root: '/governance/lifecycleWorkflows' }, { name: 'tiny.csdl.xml', sha256: '' })).toThrowErrorMatchingInlineSnapshot(
      `[CodegenError: CSDL: the slice root /governance/lifecycleWorkflows starts at "governance", which the entity container does not declare]`,
    );
    expect(() => slice(csdl, { ...config, root: '/identityGovernance/lifecycle' }, { name: 'tiny.csdl.xml', sha256: '' })).toThrowErrorMatchingInlineSnapshot(
      `[CodegenError: CSDL: the slice root /identityGovernance/lifecycle needs "lifecycle" to be a single-valued containment navigation property of microsoft.graph.identityGovernance]`,
    );
  });
});
