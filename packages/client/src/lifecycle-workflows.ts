import type { entities, UserProcessingResult } from '@idgov/types';
import type { GraphClient } from './client.js';
import { mergeConcurrently } from './concurrency.js';
import type { LifecycleWorkflowsTree } from './generated/resource-tree.js';
import { resourceTree } from './generated/resource-tree.js';
import type { ListQuery, LooseClient } from './resource-tree.js';
import { buildNode } from './resource-tree.js';
import type { Shaped } from './select.js';

type UserProcessingResultMeta = (typeof entities)['microsoft.graph.identityGovernance.userProcessingResult'];

/** One run's results for {@link LifecycleWorkflows.userProcessingResultsAcrossRuns}, a page at a time. */
export interface RunResultsPage<T> {
  readonly workflowId: string;
  readonly runId: string;
  readonly value: T[];
}

/** Identifies a run. */
export interface RunRef {
  readonly workflowId: string;
  readonly runId: string;
}

/**
 * Every Lifecycle Workflows operation as a typed tree (generated from the slice): collections are
 * called with a key to reach a member (`workflows(id)`), and carry `list`, `get`, `create`, `update`,
 * `delete`, `count` where the service has them; actions and functions are methods by their short
 * names (`workflows(id).activate({ subjects })`, `runs.summary({ startDateTime, endDateTime })`).
 */
export interface LifecycleWorkflows extends LifecycleWorkflowsTree {
  /**
   * The user processing results of many runs, reading `concurrency` runs at a time (default 4),
   * yielded a page at a time as they arrive; memory stays at about `concurrency` pages.
   */
  userProcessingResultsAcrossRuns<const Q extends ListQuery<UserProcessingResult, UserProcessingResultMeta> = { readonly select?: never }>(
    runs: Iterable<RunRef>,
    query?: Q,
    options?: { readonly concurrency?: number },
  ): AsyncIterable<RunResultsPage<Shaped<UserProcessingResult, Q>>>;
}

const root = '/identityGovernance/lifecycleWorkflows';

/**
 * The typed tree over every Lifecycle Workflows operation of a client:
 *
 * ```ts
 * const lcw = lifecycleWorkflows(createClient({ credential }));
 * for await (const r of lcw.workflows(workflowId).runs(runId).userProcessingResults.list({ filter: "processingStatus eq 'failed'", select: ['id', 'subject'] })) …
 * await lcw.workflows(workflowId).activate({ subjects: [{ id: userId }] });
 * ```
 * @see https://learn.microsoft.com/graph/api/resources/identitygovernance-lifecycleworkflows-overview
 */
export function lifecycleWorkflows(client: GraphClient): LifecycleWorkflows {
  const tree = buildNode(client as unknown as LooseClient, resourceTree, root) as LifecycleWorkflowsTree;
  const acrossRuns: LifecycleWorkflows['userProcessingResultsAcrossRuns'] = (refs, query, options) => {
    const merged = mergeConcurrently(refs, options?.concurrency ?? 4, (ref: RunRef) =>
      tree.workflows(ref.workflowId).runs(ref.runId).userProcessingResults.list(query as never).pages(),
    );
    return {
      async *[Symbol.asyncIterator]() {
        for await (const { source, value } of merged) yield { workflowId: source.workflowId, runId: source.runId, value: value.value };
      },
    };
  };
  return Object.assign(tree, { userProcessingResultsAcrossRuns: acrossRuns });
}
