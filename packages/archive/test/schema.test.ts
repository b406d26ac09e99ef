import { describe, expect, it } from 'vitest';
import { entities } from '@idgov/types';
import type { EntityMetadata } from '@idgov/types';
import { snakeCase, tables } from '../src/index.js';

const metadata: Readonly<Record<string, EntityMetadata>> = entities;

describe('tables derived from the generated metadata', () => {
  it.each(Object.values(tables).map((t) => [t.name, t] as const))('%s has a column for every structural and single-valued navigation property', (_name, table) => {
    const properties = Object.entries(metadata[table.entity]?.properties ?? {});
    expect(properties.length).toBeGreaterThan(0);
    const names = new Set([...table.parents, ...table.columns.map((c) => c.name)]);
    for (const [property, info] of properties) {
      if (info.collection && (info.navigation || info.type?.startsWith('microsoft.graph.identityGovernance.workflowVersion') === true)) continue;
      expect(names).toContain(info.navigation ? `${snakeCase(property)}_id` : snakeCase(property));
    }
    expect(table.columns.map((c) => c.name)).toEqual(expect.arrayContaining(table.key.filter((k) => !table.parents.includes(k))));
  });

  it('types columns by the property kind', () => {
    const run = new Map(tables.runs.columns.map((c) => [c.name, c.type]));
    expect(Object.fromEntries(['id', 'scheduled_date_time', 'total_users_count', 'processing_status'].map((n) => [n, run.get(n)]))).toEqual({
      id: 'text',
      scheduled_date_time: 'timestamptz',
      total_users_count: 'integer',
      processing_status: 'text',
    });
    expect(tables.workflows.columns.find((c) => c.name === 'execution_conditions')?.type).toBe('jsonb');
    expect(tables.userProcessingResults.columns.find((c) => c.name === 'subject_id')?.from).toBe("{item}->'subject'->>'id'");
  });
});
