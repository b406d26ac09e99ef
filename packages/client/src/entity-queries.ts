import type { EntityQueryBuilder } from '@idgov/odata';
import { entityQuery } from '@idgov/odata';
import type { components } from '@idgov/types';
import { entities, enums } from '@idgov/types';

const prefix = 'microsoft.graph.identityGovernance.';
type Entities = typeof entities;
type Schemas = components['schemas'];
interface Metadata {
  readonly entities: Entities;
  readonly enums: typeof enums;
}
type LcwEntity = Extract<keyof Entities, `${typeof prefix}${string}`>;

/** A query builder for each Lifecycle Workflows entity, by its short name (`userProcessingResult`). */
export type EntityQueries = {
  readonly [N in LcwEntity as N extends `${typeof prefix}${infer Short}` ? Short : never]: EntityQueryBuilder<Schemas[N & keyof Schemas], Entities[N], Metadata>;
};

function prebind(): EntityQueries {
  const builders: Record<string, unknown> = {};
  for (const name of Object.keys(entities) as (keyof Entities)[]) {
    if (!name.startsWith(prefix)) continue;
    let builder: unknown;
    Object.defineProperty(builders, name.slice(prefix.length), {
      enumerable: true,
      get: () => (builder ??= entityQuery()(entities[name], { entities, enums })),
    });
  }
  return builders as EntityQueries;
}

/**
 * `@idgov/odata` builders bound to each entity and the whole metadata, so the common case is short:
 *
 * ```ts
 * const failed = query.userProcessingResult.eq('processingStatus', 'failed');
 * lcw.workflows(w).runs(r).userProcessingResults.list({ filter: failed });
 * ```
 * Each is `entityQuery<T>()(entities[…], { entities, enums })`, built on first use.
 */
export const query: EntityQueries = /* @__PURE__ */ prebind();
