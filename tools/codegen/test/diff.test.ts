import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChangeReport } from '../src/index.js';
import { diffSlices, diffSources, formatChangeset, formatGroup, formatReport, layoutFrom, loadDocument, sliceUpstream } from '../src/index.js';
import { repoRoot, upstream } from './paths.js';

const layout = layoutFrom(repoRoot);
const october2023 = upstream('graph-v1.0-identity-governance.2023-10-03.openapi.yml');
const october2024 = upstream('graph-v1.0-identity-governance.2024-10-01.openapi.yml');
const lines = (report: ChangeReport, impact: string): string[] => report.groups.filter((g) => g.impact === impact).map(formatGroup);
const root = '/identityGovernance/lifecycleWorkflows';
const insightsOperations = [
  `DELETE ${root}/insights`,
  `GET ${root}/insights/microsoft.graph.identityGovernance.topTasksProcessedSummary(startDateTime={startDateTime},endDateTime={endDateTime})`,
  `GET ${root}/insights/microsoft.graph.identityGovernance.topWorkflowsProcessedSummary(startDateTime={startDateTime},endDateTime={endDateTime})`,
  `GET ${root}/insights/microsoft.graph.identityGovernance.workflowsProcessedByCategory(startDateTime={startDateTime},endDateTime={endDateTime})`,
  `GET ${root}/insights/microsoft.graph.identityGovernance.workflowsProcessedSummary(startDateTime={startDateTime},endDateTime={endDateTime})`,
  `GET ${root}/insights`,
  `PATCH ${root}/insights`,
];
const insightsSchemas = ['insights', 'topTasksInsightsSummary', 'topWorkflowsInsightsSummary', 'workflowsInsightsByCategory', 'workflowsInsightsSummary'].map(
  (name) => `microsoft.graph.identityGovernance.${name}`,
);

describe('diff 2023-10-03 → 2024-10-01 (real descriptions)', () => {
  let report: ChangeReport;
  beforeAll(async () => {
    report = await diffSources(october2023, october2024, layout);
  });

  it('lists each upstream change once: the insights API, two properties, three widened value lists', () => {
    expect(lines(report, 'breaking')).toEqual([]);
    expect(lines(report, 'runtime')).toEqual([]);
    expect(lines(report, 'non-breaking')).toEqual([
      ...insightsOperations.map((op) => `operation ${op}: added`),
      // The GETs that had a value list in 2023: every one but the new /insights.
      'parameter $expand: allowed values widened to any string (115 paths)',
      'parameter $orderby: allowed values widened to any string (35 paths)',
      'parameter $select: allowed values widened to any string (115 paths)',
      ...insightsSchemas.map((schema) => `schema ${schema}: added`),
      'property microsoft.graph.customExtensionClientConfiguration.maximumRetries: added',
      'property microsoft.graph.user.isManagementRestricted: added',
    ]);
    expect(report.bump).toBe('minor');
  });

  it('keeps every place a grouped change touches', () => {
    const select = report.groups.find((g) => g.summary === 'parameter $select: allowed values widened to any string');
    expect(select?.subjects).toHaveLength(115);
    expect(select?.subjects).toContain(`GET ${root}/workflows/{workflow-id}/runs/{run-id}/userProcessingResults $select`);
    expect(report.changes.filter((c) => c.change === 'allowed values widened to any string')).toHaveLength(265);
  });

  it('counts prose-only changes without listing them', () => {
    expect(report.proseChanges).toBeGreaterThan(0);
    expect(formatReport(report)).toContain(`Prose-only changes: ${String(report.proseChanges)} paths or schemas`);
    expect(formatReport(report)).not.toMatch(/description/i);
  });

  it('reports the same from a committed slice as from the upstream it was cut from, prose included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'idgov-diff-'));
    const committed = join(dir, 'slice.yaml');
    await writeFile(committed, (await sliceUpstream(await loadDocument(october2023), layout, { allowUnmatchedIncludes: true })).yaml);
    expect(await diffSources(committed, october2024, layout)).toEqual(report);
  });

  it('reports a new user property once for the 27 user $select lists, and a value the stub lacks not at all', async () => {
    const before = (await sliceUpstream(await loadDocument(october2023), layout, { allowUnmatchedIncludes: true })).document;
    const after = structuredClone(before);
    const offer = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(offer);
      else if (typeof node === 'object' && node !== null) {
        const values = (node as { name?: unknown; schema?: { items?: { enum?: unknown } } }).schema?.items?.enum;
        if ((node as { name?: unknown }).name === '$select' && Array.isArray(values) && values.includes('businessPhones')) values.push('hypotheticalDate', 'manager');
        Object.values(node).forEach(offer);
      }
    };
    offer(after);
    const user = (after['components'] as { schemas: Record<string, { allOf: { properties: Record<string, unknown> }[] }> }).schemas['microsoft.graph.user'];
    if (user?.allOf[1] === undefined) throw new Error('the 2023-10-03 slice has no user stub');
    user.allOf[1].properties['hypotheticalDate'] = { type: 'string', format: 'date-time' };
    expect(diffSlices(before, after).groups.map(formatGroup)).toEqual([
      'parameter $select: allowed values added: hypotheticalDate (27 paths)',
      'property microsoft.graph.user.hypotheticalDate: added',
    ]);
  });
});

describe('diff 2024-10-01 → 2023-10-03 (back in history)', () => {
  it('reports what the older description lacks as breaking removals instead of refusing it', async () => {
    const report = await diffSources(october2024, october2023, layout);
    expect(lines(report, 'breaking')).toEqual([
      ...insightsOperations.map((op) => `operation ${op}: removed`),
      'parameter $expand: narrowed to a list of allowed values (115 paths)',
      'parameter $orderby: narrowed to a list of allowed values (35 paths)',
      'parameter $select: narrowed to a list of allowed values (115 paths)',
      ...insightsSchemas.map((schema) => `schema ${schema}: removed`),
      'property microsoft.graph.customExtensionClientConfiguration.maximumRetries: removed',
      'property microsoft.graph.user.isManagementRestricted: removed',
    ]);
    expect(report.bump).toBe('major');
  });
});

const ig = 'microsoft.graph.identityGovernance';
const newActions = ['activateWithScope', 'cancelProcessing', 'clearQuarantine', 'previewTaskFailures', 'previewWorkflow'].map(
  (action) => `operation POST …/workflows/{workflow-id}/${ig}.${action}: added (2 paths)`,
);
const newMembers = ['lifecycleWorkflowProcessingStatus: member canceling', 'lifecycleWorkflowProcessingStatus: member quarantined', 'workflowExecutionType: member activatedWithScope', 'workflowExecutionType: member preview'].map(
  (member) => `enum ${ig}.${member} added`,
);
// Read in the 2026-08-20 CSDL, absent from the 2025-10-27 one.
const newProperties = [
  'workflow.quarantineDetails', 'workflow.settings', 'workflow.previewScope', 'run.activatedOnScope', 'run.reprocessedRuns',
  'userProcessingResult.reprocessedRuns', 'taskProcessingResult.processingInfo', 'lifecycleManagementSettings.quarantineConfiguration',
].map((property) => `property ${ig}.${property}: added`);
const newQuarantineTypes = ['quarantineCondition', 'countBasedQuarantineCondition', 'percentageBasedQuarantineCondition', 'quarantineConfiguration', 'quarantineDetails', 'quarantineType'].map(
  (type) => `schema ${ig}.${type}: added`,
);

describe('diff 2025-10-27 CSDL → 2026-08-20 CSDL (real descriptions)', () => {
  let report: ChangeReport;
  beforeAll(async () => {
    report = await diffSources(upstream('graph-v1.0.2025-10-27.csdl.xml'), upstream('graph-v1.0.2026-08-20.csdl.xml'), layout);
  });

  it('finds only additions (C6): nothing breaks', () => {
    expect(report.groups.filter((g) => g.impact !== 'non-breaking').map(formatGroup)).toEqual([]);
    expect(report.bump).toBe('minor');
  });

  it('lists the five new actions once each, under workflows and the deletedItems mirror', () => {
    expect(lines(report, 'non-breaking')).toEqual(expect.arrayContaining(newActions));
    const activate = report.groups.find((g) => g.summary.endsWith(`${ig}.activateWithScope: added`));
    expect(activate?.subjects).toEqual([
      `POST ${root}/deletedItems/workflows/{workflow-id}/${ig}.activateWithScope`,
      `POST ${root}/workflows/{workflow-id}/${ig}.activateWithScope`,
    ]);
  });

  it('lists the new enum members, properties, quarantine types and the new derived trigger', () => {
    expect(lines(report, 'non-breaking')).toEqual(
      expect.arrayContaining([
        ...newMembers,
        ...newProperties,
        ...newQuarantineTypes,
        `schema ${ig}.userInactivityTrigger: added`,
        `schema ${ig}.workflowExecutionTrigger: derived type ${ig}.userInactivityTrigger added`,
        'property microsoft.graph.user.identityParentId: added',
      ]),
    );
  });

  it('counts no prose: the CSDL reader keeps none to compare', () => {
    expect(report.proseChanges).toBeNull();
  });
});

describe('diff 2024-10-01 OpenAPI → 2026-08-20 CSDL (real descriptions)', () => {
  let report: ChangeReport;
  beforeAll(async () => {
    report = await diffSources(october2024, upstream('graph-v1.0.2026-08-20.csdl.xml'), layout);
  });

  it('reports the nullability the CSDL declares (C1) and the typed execution conditions (C2) as breaking at compile time', () => {
    expect(lines(report, 'breaking')).toEqual(
      expect.arrayContaining([
        `property ${ig}.workflowBase.executionConditions: became nullable (3 schemas)`,
        `property ${ig}.customTaskExtension.callbackConfiguration: became nullable`,
        `property ${ig}.customTaskExtensionCallbackData.operationStatus: became nullable`,
        `schema ${ig}.workflowExecutionConditions: became a union of ${ig}.onDemandExecutionOnly, ${ig}.triggerAndScopeBasedConditions`,
      ]),
    );
    expect(report.bump).toBe('major');
  });

  it('lists what workflow creation needs, the new actions and enum members as additions', () => {
    const derived = ['triggerAndScopeBasedConditions', 'onDemandExecutionOnly', 'timeBasedAttributeTrigger', 'attributeChangeTrigger', 'membershipChangeTrigger', 'userInactivityTrigger', 'ruleBasedSubjectSet', 'groupBasedSubjectSet'];
    expect(lines(report, 'non-breaking')).toEqual(
      expect.arrayContaining([...newActions, ...newMembers, ...newProperties, ...newQuarantineTypes, ...derived.map((type) => `schema ${ig}.${type}: added`)]),
    );
  });

  it('puts every breaking line before the first non-breaking one', () => {
    const impacts = report.groups.map((g) => g.impact);
    expect(impacts).toEqual([...impacts].sort((a, b) => ['breaking', 'runtime', 'non-breaking'].indexOf(a) - ['breaking', 'runtime', 'non-breaking'].indexOf(b)));
    expect(impacts).toContain('breaking');
  });
});

type Obj = Record<string, unknown>;
const slice = (schemas: Obj, paths: Obj = {}): Obj => ({ paths, components: { schemas } });
const object = (properties: Obj): Obj => ({ type: 'object', properties });
const derived = (base: string, properties: Obj): Obj => ({ allOf: [{ $ref: `#/components/schemas/${base}` }, object(properties)] });
const returning = (schema: string, parameters: Obj[] = []): Obj => ({
  get: { operationId: `get ${schema}`, parameters, responses: { '2XX': { description: '', content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } } } } },
});
const select = (...values: string[]): Obj => ({ name: '$select', in: 'query', schema: { type: 'array', items: { type: 'string', enum: values } } });
const listing = (parameters: Obj[]): Obj => ({
  get: { operationId: 'list', parameters, responses: { '2XX': { description: '', content: { 'application/json': { schema: object({ value: { type: 'array', items: { $ref: '#/components/schemas/user' } } }) } } } } },
});
const user = (properties: Obj): Obj => ({ ...derived('entity', properties), 'x-idgov-stub': true });

describe('diffSlices classification', () => {
  const cases: { name: string; before: Obj; after: Obj; want: { impact: string; change: string }[] }[] = [
    {
      name: 'an enum becoming a flags enum breaks at run time',
      before: slice({ e: { type: 'string', enum: ['a', 'b'] } }),
      after: slice({ e: { type: 'string', 'x-idgov-flags': ['a', 'b'] } }),
      want: [{ impact: 'runtime', change: 'became a flags enum' }],
    },
    {
      name: 'a removed enum member breaks at compile time, an added one does not',
      before: slice({ e: { type: 'string', enum: ['a', 'b'] } }),
      after: slice({ e: { type: 'string', enum: ['a', 'c'] } }),
      want: [
        { impact: 'breaking', change: 'member b removed' },
        { impact: 'non-breaking', change: 'member c added' },
      ],
    },
    {
      name: 'a property that becomes nullable breaks consumers',
      before: slice({ s: object({ p: { type: 'string' } }) }),
      after: slice({ s: object({ p: { type: ['string', 'null'] } }) }),
      want: [{ impact: 'breaking', change: 'became nullable' }],
    },
    {
      name: 'a changed type and a removed property break',
      before: slice({ s: object({ p: { type: 'string' }, q: { type: 'string' } }) }),
      after: slice({ s: object({ p: { type: 'integer', format: 'int32' } }) }),
      want: [
        { impact: 'breaking', change: 'type string → integer(int32)' },
        { impact: 'breaking', change: 'removed' },
      ],
    },
    {
      name: 'a capability the service drops breaks at run time, one it adds does not',
      before: slice({ s: object({ p: { type: 'string', 'x-idgov-filter': ['eq', 'ne', 'lt'], 'x-idgov-orderby': true } }) }),
      after: slice({ s: object({ p: { type: 'string', 'x-idgov-filter': ['eq', 'ne', 'in'], 'x-idgov-expand': true } }) }),
      want: [
        { impact: 'runtime', change: '$filter no longer supports lt' },
        { impact: 'runtime', change: '$orderby no longer supported' },
        { impact: 'non-breaking', change: '$expand now supported' },
        { impact: 'non-breaking', change: '$filter now supports in' },
      ],
    },
    {
      name: 'an open base that becomes a union of its derived types breaks bodies that compiled',
      before: slice({ base: object({}) }),
      after: slice({ base: { oneOf: [{ $ref: '#/components/schemas/a' }, { $ref: '#/components/schemas/b' }], discriminator: { propertyName: '@odata.type' } } }),
      want: [{ impact: 'breaking', change: 'became a union of a, b' }],
    },
    {
      name: 'a derived type added to a union does not break, one removed does',
      before: slice({ base: { oneOf: [{ $ref: '#/components/schemas/a' }, { $ref: '#/components/schemas/b' }] } }),
      after: slice({ base: { oneOf: [{ $ref: '#/components/schemas/a' }, { $ref: '#/components/schemas/c' }] } }),
      want: [
        { impact: 'breaking', change: 'derived type b removed' },
        { impact: 'non-breaking', change: 'derived type c added' },
      ],
    },
    {
      name: 'a removed operation breaks',
      before: slice({}, { '/a': { get: { operationId: 'a', responses: {} } } }),
      after: slice({}),
      want: [{ impact: 'breaking', change: 'removed' }],
    },
  ];
  for (const { name, before, after, want } of cases) {
    it(name, () => {
      const report = diffSlices(before, after);
      expect(report.changes.map(({ impact, change }) => ({ impact, change }))).toEqual(want);
      expect(report.bump).toBe(want.some((c) => c.impact !== 'non-breaking') ? 'major' : 'minor');
    });
  }

  it('reports no change and no bump for identical slices', () => {
    const same = slice({ s: object({ p: { type: 'string' } }) });
    expect(diffSlices(same, same)).toEqual({ groups: [], changes: [], proseChanges: null, bump: 'none' });
  });
});

describe('diffSlices grouping: one line per upstream change', () => {
  const entity = object({ id: { type: 'string' } });
  const cases: { name: string; before: Obj; after: Obj; want: string[] }[] = [
    {
      name: 'one widening on many paths is one line with the number of paths',
      before: slice({ w: object({}) }, { '/a': returning('w', [select('x', 'y')]), '/b': returning('w', [select('x')]), '/c': returning('w', [select('y')]) }),
      after: slice({ w: object({}) }, { '/a': returning('w', [{ name: '$select', in: 'query', schema: { type: 'array', items: { type: 'string' } } }]), '/b': returning('w', [{ name: '$select', in: 'query', schema: { type: 'string' } }]), '/c': returning('w', [{ name: '$select', in: 'query' }]) }),
      want: ['parameter $select: allowed values widened to any string (3 paths)'],
    },
    {
      name: 'different values added to different lists are different lines',
      before: slice({ w: object({}) }, { '/a': returning('w', [select('x')]), '/b': returning('w', [select('x')]) }),
      after: slice({ w: object({}) }, { '/a': returning('w', [select('x', 'y')]), '/b': returning('w', [select('x', 'z')]) }),
      want: ['parameter GET /a $select: allowed values added: y', 'parameter GET /b $select: allowed values added: z'],
    },
    {
      name: 'an action added under workflows and its deletedItems mirror is one line',
      before: slice({}),
      after: slice({}, {
        '/lcw/workflows/{workflow-id}/ns.activate': { post: { operationId: 'a', responses: {} } },
        '/lcw/deletedItems/workflows/{workflow-id}/ns.activate': { post: { operationId: 'b', responses: {} } },
        '/lcw/workflows/{workflow-id}/runs/{run-id}/ns.activate': { post: { operationId: 'c', responses: {} } },
      }),
      want: ['operation POST /lcw/workflows/{workflow-id}/runs/{run-id}/ns.activate: added', 'operation POST …/workflows/{workflow-id}/ns.activate: added (2 paths)'],
    },
    {
      name: 'a key numbered because the path already has one is the same key',
      before: slice({}),
      after: slice({}, {
        '/lcw/runs/{run-id}/reprocessedRuns/{run-id1}': { get: { operationId: 'a', responses: {} } },
        '/lcw/results/{result-id}/reprocessedRuns/{run-id}': { get: { operationId: 'b', responses: {} } },
      }),
      want: ['operation GET …/reprocessedRuns/{run-id}: added (2 paths)'],
    },
    {
      name: 'a property added to a base is one line, counted on every schema that sees it',
      before: slice({ entity, base: derived('entity', {}), a: derived('base', {}), b: derived('base', {}) }),
      after: slice({ entity, base: derived('entity', { p: { type: 'string' } }), a: derived('base', {}), b: derived('base', {}) }),
      want: ['property base.p: added (3 schemas)'],
    },
    {
      name: 'the same property added to unrelated schemas is a line each',
      before: slice({ run: object({}), result: object({}) }),
      after: slice({ run: object({ reprocessedRuns: { type: 'array' } }), result: object({ reprocessedRuns: { type: 'array' } }) }),
      want: ['property result.reprocessedRuns: added', 'property run.reprocessedRuns: added'],
    },
    {
      name: 'a user $select value the stub does not keep is not an LCW change; one it keeps is',
      before: slice({ entity, user: user({ displayName: { type: 'string' } }) }, { '/createdBy': returning('user', [select('id', 'displayName', 'manager')]) }),
      after: slice({ entity, user: user({ displayName: { type: 'string' }, mail: { type: 'string' } }) }, {
        '/createdBy': returning('user', [select('id', 'displayName', 'mail', 'mailboxSettings', 'signInActivity')]),
      }),
      want: ['parameter GET /createdBy $select: allowed values added: mail', 'property user.mail: added'],
    },
    {
      name: 'a stub listed in a collection written into the response is filtered alike',
      before: slice({ entity, user: user({}) }, { '/users': listing([select('id')]) }),
      after: slice({ entity, user: user({}) }, { '/users': listing([select('id', 'manager')]) }),
      want: [],
    },
    {
      name: 'lines come breaking at compile time first, then at run time, then the rest',
      before: slice({ s: object({ a: { type: 'string', 'x-idgov-orderby': true }, b: { type: 'string' } }) }),
      after: slice({ s: object({ a: { type: 'string' }, c: { type: 'string' } }) }),
      want: ['property s.b: removed', 'property s.a: $orderby no longer supported', 'property s.c: added'],
    },
  ];
  for (const { name, before, after, want } of cases) {
    it(name, () => {
      expect(diffSlices(before, after).groups.map(formatGroup)).toEqual(want);
    });
  }

  it('counts a value list once per path when two operations of it change alike', () => {
    const item = (values: string[]): Obj => ({ ...returning('w', [select(...values)]), patch: { operationId: 'p', parameters: [select(...values)], responses: {} } });
    const report = diffSlices(slice({ w: object({}) }, { '/a': item(['x']) }), slice({ w: object({}) }, { '/a': item(['x', 'y']) }));
    expect(report.groups.map(formatGroup)).toEqual(['parameter $select: allowed values added: y (1 path)']);
  });

  it('counts prose changes from the prose fingerprints of both slices', () => {
    const fingerprinted = (prose: Obj): Obj => ({ ...slice({}), 'x-idgov-prose': prose });
    expect(diffSlices(fingerprinted({ a: '1', b: '2', c: '3' }), fingerprinted({ a: '1', b: '9', d: '4' }))).toMatchObject({ proseChanges: 1, bump: 'patch' });
    expect(diffSlices(slice({}), fingerprinted({ a: '1' })).proseChanges).toBeNull();
  });
});

describe('formatChangeset', () => {
  const many = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`p${String(i).padStart(2, '0')}`, { type: 'string' }]));
  const report = diffSlices(
    slice({ s: object({ gone: { type: 'string' }, sorted: { type: 'string', 'x-idgov-orderby': true } }), e: { type: 'string', enum: ['a'] } }),
    slice({ s: object({ sorted: { type: 'string' }, ...many }), e: { type: 'string', enum: ['a', 'b'] }, t: object({}) }),
  );

  it('holds every breaking line and sums up the non-breaking ones past twenty', () => {
    expect(formatChangeset(report, '0.3.1', { name: 'graph.yml', sha256: 'abcdef0123456789' })).toMatchInlineSnapshot(`
      "---
      '@idgov/types': minor
      ---

      Regenerated from graph.yml (sha256 abcdef012345): 1 breaking at compile time, 1 breaking at run time, 27 non-breaking.

      Breaking at compile time:
      - property s.gone: removed

      Breaking at run time:
      - property s.sorted: $orderby no longer supported

      Non-breaking:
      - schema t: added
      - property s.p00: added
      - property s.p01: added
      - property s.p02: added
      - property s.p03: added
      - property s.p04: added
      - property s.p05: added
      - property s.p06: added
      - property s.p07: added
      - property s.p08: added
      - property s.p09: added
      - property s.p10: added
      - property s.p11: added
      - property s.p12: added
      - property s.p13: added
      - property s.p14: added
      - property s.p15: added
      - property s.p16: added
      - property s.p17: added
      - property s.p18: added
      - … and 7 more: 6 properties, 1 enum
      "
    `);
  });

  it('bumps the major version of a package past 0.x on a breaking change', () => {
    expect(formatChangeset(report, '1.2.0', { name: 'graph.yml', sha256: 'abcdef0123456789' }).split('\n')[1]).toBe("'@idgov/types': major");
  });
});
