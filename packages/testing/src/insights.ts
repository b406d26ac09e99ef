import type { Scenario, ScenarioRun, ScenarioWorkflow } from './scenario.js';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;

/** The `startDateTime`/`endDateTime` of a function call, or the 400 message for them. */
export function parseRange(params: Readonly<Record<string, string>>): { readonly from: number; readonly to: number } | string {
  const start = params['startDateTime'] ?? '';
  const end = params['endDateTime'] ?? '';
  const from = Date.parse(start);
  const to = Date.parse(end);
  if (!DATE_TIME.test(start) || Number.isNaN(from)) return `The parameter 'startDateTime' must be a date-time such as 2024-01-01T00:00:00Z, not '${start.slice(0, 40)}'.`;
  if (!DATE_TIME.test(end) || Number.isNaN(to)) return `The parameter 'endDateTime' must be a date-time such as 2024-01-01T00:00:00Z, not '${end.slice(0, 40)}'.`;
  if (to < from) return "The parameter 'endDateTime' must not be before 'startDateTime'.";
  return { from, to };
}

interface Range {
  readonly from: number;
  readonly to: number;
}
const within = (range: Range, at: string | null | undefined): boolean => {
  const t = Date.parse(at ?? '');
  return t >= range.from && t <= range.to;
};
const sum = <T>(items: readonly T[], pick: (item: T) => number | null | undefined): number => items.reduce((n, i) => n + (pick(i) ?? 0), 0);
/** `Map.groupBy`, which Node 20 lacks. */
function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list === undefined) out.set(k, [item]);
    else list.push(item);
  }
  return out;
}

const failedRun = (r: ScenarioRun): boolean => r.run.processingStatus === 'failed' || r.run.processingStatus === 'completedWithErrors';

/**
 * The `summary(startDateTime,endDateTime)` functions of a workflow's runs, user processing results
 * and task reports: counts over the items scheduled in the range.
 * @see https://learn.microsoft.com/graph/api/identitygovernance-run-summary
 */
export function summarize(resultType: string, w: ScenarioWorkflow | undefined, values: readonly object[], range: Range): Record<string, number> {
  if (resultType.endsWith('runSummary')) {
    const runs = (values as ScenarioRun['run'][]).filter((r) => within(range, r.scheduledDateTime));
    return {
      failedRuns: runs.filter((r) => r.processingStatus === 'failed' || r.processingStatus === 'completedWithErrors').length,
      failedTasks: sum(runs, (r) => r.failedTasksCount),
      successfulRuns: runs.filter((r) => r.processingStatus === 'completed').length,
      totalRuns: runs.length,
      totalTasks: sum(runs, (r) => r.totalTasksCount),
      totalUsers: sum(runs, (r) => r.totalUsersCount),
    };
  }
  if (resultType.endsWith('userSummary')) {
    const users = (values as ScenarioRun['userProcessingResults'][number]['result'][]).filter((u) => within(range, u.scheduledDateTime));
    return {
      failedTasks: sum(users, (u) => u.failedTasksCount),
      failedUsers: users.filter((u) => u.processingStatus === 'failed').length,
      successfulUsers: users.filter((u) => u.processingStatus === 'completed').length,
      totalTasks: sum(users, (u) => u.totalTasksCount),
      totalUsers: users.length,
    };
  }
  const runIds = new Set(w?.runs.filter((r) => within(range, r.run.scheduledDateTime)).map((r) => r.run.id));
  const reports = (values as ScenarioWorkflow['taskReports']).filter((r) => runIds.has(r.runId));
  return {
    failedTasks: sum(reports, (r) => r.failedUsersCount),
    successfulTasks: sum(reports, (r) => r.successfulUsersCount),
    totalTasks: sum(reports, (r) => r.totalUsersCount),
    unprocessedTasks: sum(reports, (r) => r.unprocessedUsersCount),
  };
}

function runsIn(scenario: Scenario, range: Range): { w: ScenarioWorkflow; r: ScenarioRun }[] {
  return [...scenario.workflows, ...scenario.deletedWorkflows].flatMap((w) => w.runs.filter((r) => within(range, r.run.scheduledDateTime)).map((r) => ({ w, r })));
}

/**
 * The tenant-wide insights functions, computed from the scenario's runs scheduled in the range:
 * one summary object, or the items of a "top" list, most processed first.
 * @see https://learn.microsoft.com/graph/api/resources/identitygovernance-insights
 */
export function insight(name: string, scenario: Scenario, range: Range): Record<string, unknown> | Record<string, unknown>[] {
  const runs = runsIn(scenario, range);
  switch (name) {
    case 'workflowsProcessedSummary': {
      const all = runs.map((x) => x.r.run);
      const failedTasks = sum(all, (r) => r.failedTasksCount);
      const unprocessed = sum(all, (r) => r.totalUnprocessedTasksCount);
      const totalTasks = sum(all, (r) => r.totalTasksCount);
      return {
        failedRuns: runs.filter((x) => failedRun(x.r)).length,
        failedTasks,
        failedUsers: sum(all, (r) => r.failedUsersCount),
        successfulRuns: all.filter((r) => r.processingStatus === 'completed').length,
        successfulTasks: totalTasks - failedTasks - unprocessed,
        successfulUsers: sum(all, (r) => r.successfulUsersCount),
        totalRuns: all.length,
        totalTasks,
        totalUsers: sum(all, (r) => r.totalUsersCount),
      };
    }
    case 'workflowsProcessedByCategory': {
      const out: Record<string, number> = {};
      for (const category of ['Joiner', 'Leaver', 'Mover']) {
        const mine = runs.filter((x) => x.w.workflow.category === category.toLowerCase());
        out[`failed${category}Runs`] = mine.filter((x) => failedRun(x.r)).length;
        out[`successful${category}Runs`] = mine.filter((x) => x.r.run.processingStatus === 'completed').length;
        out[`total${category}Runs`] = mine.length;
      }
      return out;
    }
    case 'topWorkflowsProcessedSummary': {
      const byWorkflow = groupBy(runs, (x) => x.w);
      return [...byWorkflow].map(([w, mine]) => ({
        failedRuns: mine.filter((x) => failedRun(x.r)).length,
        failedUsers: sum(mine, (x) => x.r.run.failedUsersCount),
        successfulRuns: mine.filter((x) => x.r.run.processingStatus === 'completed').length,
        successfulUsers: sum(mine, (x) => x.r.run.successfulUsersCount),
        totalRuns: mine.length,
        totalUsers: sum(mine, (x) => x.r.run.totalUsersCount),
        workflowCategory: w.workflow.category,
        workflowDisplayName: w.workflow.displayName,
        workflowId: w.workflow.id,
        workflowVersion: w.workflow.version,
      })).sort((a, b) => b.totalRuns - a.totalRuns || a.workflowId.localeCompare(b.workflowId));
    }
    default: {
      const results = runs.flatMap((x) => x.r.userProcessingResults.flatMap((u) => u.taskProcessingResults));
      const byDefinition = groupBy(results, (t) => t.task?.taskDefinitionId ?? '');
      return [...byDefinition].map(([id, mine]) => {
        const users = (status?: string): number => new Set(mine.filter((t) => status === undefined || t.processingStatus === status).map((t) => t.subject?.id)).size;
        return {
          failedTasks: mine.filter((t) => t.processingStatus === 'failed').length,
          failedUsers: users('failed'),
          successfulTasks: mine.filter((t) => t.processingStatus === 'completed').length,
          successfulUsers: users('completed'),
          taskDefinitionDisplayName: scenario.taskDefinitions.find((d) => d.id === id)?.displayName ?? mine[0]?.task?.displayName ?? '',
          taskDefinitionId: id,
          totalTasks: mine.length,
          totalUsers: users(),
        };
      }).sort((a, b) => b.totalTasks - a.totalTasks || a.taskDefinitionId.localeCompare(b.taskDefinitionId));
    }
  }
}
