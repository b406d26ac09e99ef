import { entities } from '@idgov/types';
import type { EntityMetadata, PropertyKind, PropertyMetadata } from '@idgov/types';

/** A typed column, filled from the raw JSON of the item Graph sent. */
export interface Column {
  /** snake_case SQL name. */
  readonly name: string;
  /** The SQL type. */
  readonly type: string;
  /** SQL computing the value from the item's JSON, written as `{item}`. */
  readonly from: string;
}

/** One archive table: an entity of the generated metadata, the keys that place it, and its raw JSON. */
export interface Table {
  readonly name: string;
  /** The metadata's schema name, e.g. `microsoft.graph.identityGovernance.run`. */
  readonly entity: string;
  /** Columns naming the parents (`workflow_id`, `run_id`, …), given by the sync, not by the item. */
  readonly parents: readonly string[];
  /** Primary key after `tenant`. */
  readonly key: readonly string[];
  readonly columns: readonly Column[];
}

const sqlTypes: Partial<Record<PropertyKind, string>> = {
  string: 'text',
  boolean: 'boolean',
  int32: 'integer',
  int64: 'bigint',
  number: 'double precision',
  // Graph sends 7 fraction digits; the column keeps microseconds and `raw` keeps the exact text (G17).
  dateTimeOffset: 'timestamptz',
  date: 'date',
  duration: 'interval',
  enum: 'text',
  complex: 'jsonb',
  unknown: 'jsonb',
};

/** `processingStatus` → `processing_status`. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

const quote = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** The column a structural property, or a single-valued navigation property (by its id), is kept in. */
function columnOf(name: string, property: PropertyMetadata): Column | undefined {
  if (property.navigation) {
    // `subject`, `task`, `createdBy`: the id is what joins; the object stays in `raw`.
    return property.collection ? undefined : { name: `${snakeCase(name)}_id`, type: 'text', from: `{item}->${quote(name)}->>'id'` };
  }
  if (property.collection || property.kind === 'complex' || property.kind === 'unknown') {
    return { name: snakeCase(name), type: 'jsonb', from: `{item}->${quote(name)}` };
  }
  const type = sqlTypes[property.kind];
  if (type === undefined) return undefined;
  return { name: snakeCase(name), type, from: `({item}->>${quote(name)})::${type}` };
}

const metadata: Readonly<Record<string, EntityMetadata>> = entities;
const lcw = 'microsoft.graph.identityGovernance';

// Entities with a table of their own: a property holding them is not a column.
const archived = new Set(['workflow', 'workflowVersion', 'run', 'userProcessingResult', 'taskProcessingResult', 'taskReport'].map((e) => `${lcw}.${e}`));

function table(name: string, entity: string, parents: readonly string[], key: readonly string[]): Table {
  const meta = metadata[`${lcw}.${entity}`];
  if (meta === undefined) throw new Error(`the generated metadata has no ${lcw}.${entity}`);
  const taken = new Set(parents);
  const columns = Object.entries(meta.properties).flatMap(([property, info]) => {
    const column = info.collection && archived.has(info.type ?? '') ? undefined : columnOf(property, info);
    if (column === undefined || taken.has(column.name)) return [];
    taken.add(column.name);
    return [column];
  });
  return { name, entity: `${lcw}.${entity}`, parents, key, columns };
}

/**
 * The archive's tables, one per entity, derived from the generated metadata: a typed column per
 * scalar property, jsonb for complex ones, `<name>_id` for single-valued navigation properties.
 * A property the types learn later gets its column added (and filled from `raw`) by {@link migrate}.
 */
export const tables = {
  workflows: table('workflows', 'workflow', [], ['id']),
  workflowVersions: table('workflow_versions', 'workflowVersion', ['workflow_id'], ['workflow_id', 'version_number']),
  runs: table('runs', 'run', ['workflow_id'], ['id']),
  userProcessingResults: table('user_processing_results', 'userProcessingResult', ['workflow_id', 'run_id'], ['id']),
  taskProcessingResults: table('task_processing_results', 'taskProcessingResult', ['workflow_id', 'run_id', 'user_processing_result_id'], ['id']),
  taskReports: table('task_reports', 'taskReport', ['workflow_id'], ['id']),
} as const satisfies Record<string, Table>;

export type TableName = keyof typeof tables;

/** The `CREATE TABLE` of a table as the metadata describes it today. */
export function createTableSql(t: Table): string {
  const columns = [
    'tenant text NOT NULL',
    ...t.parents.map((p) => `${p} text NOT NULL`),
    ...t.columns.map((c) => `${c.name} ${c.type}${t.key.includes(c.name) ? ' NOT NULL' : ''}`),
    // Everything the service sent, properties newer than our types included.
    'raw jsonb NOT NULL',
    'archived_at timestamptz NOT NULL DEFAULT now()',
  ];
  return `CREATE TABLE IF NOT EXISTS ${t.name} (\n  ${columns.join(',\n  ')},\n  PRIMARY KEY (tenant, ${t.key.join(', ')})\n)`;
}

/**
 * An upsert of a JSON array of items (`$1`) into a table in one statement: the typed columns are
 * computed by the engine from each element, so a page costs one round trip. `$2` is the tenant,
 * then one parameter per parent column. `source` may replace the plain element list (e.g. to
 * unnest expanded collections) and must name the element `item` and give the parent columns.
 */
export function upsertSql(t: Table, source?: { readonly from: string; readonly parents: Readonly<Record<string, string>>; readonly raw: string }): string {
  const item = 'item';
  const parentValues = t.parents.map((p, i) => source?.parents[p] ?? `$${i + 3}`);
  const names = ['tenant', ...t.parents, ...t.columns.map((c) => c.name), 'raw', 'archived_at'];
  const values = ['$2', ...parentValues, ...t.columns.map((c) => c.from.replaceAll('{item}', item)), source?.raw ?? item, 'now()'];
  const from = source?.from ?? `jsonb_array_elements($1::jsonb) AS ${item}`;
  const updates = names.filter((n) => n !== 'tenant' && !t.key.includes(n)).map((n) => `${n} = excluded.${n}`);
  return `INSERT INTO ${t.name} (${names.join(', ')})\nSELECT ${values.join(', ')}\nFROM ${from}\nON CONFLICT (tenant, ${t.key.join(', ')}) DO UPDATE SET ${updates.join(', ')}`;
}
