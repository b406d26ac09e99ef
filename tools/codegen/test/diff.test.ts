import { beforeAll, describe, expect, it } from 'vitest';
import type { ChangeReport } from '../src/index.js';
import { diffSlices, diffSources, formatReport, layoutFrom } from '../src/index.js';
import { repoRoot, upstream } from './paths.js';

describe('diff 2023-10-03 → 2024-10-01 (real descriptions)', () => {
  let report: ChangeReport;
  beforeAll(async () => {
    report = await diffSources(
      upstream('graph-v1.0-identity-governance.2023-10-03.openapi.yml'),
      upstream('graph-v1.0-identity-governance.2024-10-01.openapi.yml'),
      layoutFrom(repoRoot),
    );
  });

  it('finds the seven insights operations and five schemas that were added', () => {
    const added = (kind: string) => report.changes.filter((c) => c.kind === kind && c.change === 'added').map((c) => c.subject);
    expect(added('operation')).toEqual([
      'DELETE /identityGovernance/lifecycleWorkflows/insights',
      'GET /identityGovernance/lifecycleWorkflows/insights',
      'GET /identityGovernance/lifecycleWorkflows/insights/microsoft.graph.identityGovernance.topTasksProcessedSummary(startDateTime={startDateTime},endDateTime={endDateTime})',
      'GET /identityGovernance/lifecycleWorkflows/insights/microsoft.graph.identityGovernance.topWorkflowsProcessedSummary(startDateTime={startDateTime},endDateTime={endDateTime})',
      'GET /identityGovernance/lifecycleWorkflows/insights/microsoft.graph.identityGovernance.workflowsProcessedByCategory(startDateTime={startDateTime},endDateTime={endDateTime})',
      'GET /identityGovernance/lifecycleWorkflows/insights/microsoft.graph.identityGovernance.workflowsProcessedSummary(startDateTime={startDateTime},endDateTime={endDateTime})',
      'PATCH /identityGovernance/lifecycleWorkflows/insights',
    ]);
    expect(added('schema')).toEqual([
      'microsoft.graph.identityGovernance.insights',
      'microsoft.graph.identityGovernance.topTasksInsightsSummary',
      'microsoft.graph.identityGovernance.topWorkflowsInsightsSummary',
      'microsoft.graph.identityGovernance.workflowsInsightsByCategory',
      'microsoft.graph.identityGovernance.workflowsInsightsSummary',
    ]);
    expect(added('property')).toContain('microsoft.graph.customExtensionClientConfiguration.maximumRetries');
  });

  it('reports the $select/$orderby/$expand value lists widening, and nothing breaking', () => {
    const widened = report.changes.filter((c) => c.change === 'allowed values widened to any string');
    expect(widened.length).toBeGreaterThan(100);
    expect(widened.map((c) => c.subject)).toContain('GET /identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}/userProcessingResults $select');
    expect(report.changes.filter((c) => c.impact !== 'non-breaking')).toEqual([]);
    expect(report.bump).toBe('minor');
  });

  it('counts prose-only changes without listing them', () => {
    expect(report.proseChanges).toBeGreaterThan(0);
    expect(formatReport(report)).toContain(`Prose-only changes: ${report.proseChanges}`);
    expect(formatReport(report)).not.toMatch(/description/i);
  });
});

describe('diffSlices classification', () => {
  const slice = (schemas: Record<string, unknown>, paths: Record<string, unknown> = {}) => ({ paths, components: { schemas } });
  const object = (properties: Record<string, unknown>) => ({ type: 'object', properties });

  const cases: { name: string; before: Record<string, unknown>; after: Record<string, unknown>; want: { impact: string; change: string }[] }[] = [
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
    expect(diffSlices(same, same)).toEqual({ changes: [], proseChanges: 0, bump: 'none' });
  });
});
