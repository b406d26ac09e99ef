import { createTaskProcessingResult, createUserProcessingResult, isFinal, taskDefinitionSpec } from './factories.js';
import type { RunFixture, TaskProcessingResultFixture } from './factories.js';
import type { Random } from './random.js';
import { graphDateTime } from './random.js';
import { recount } from './scenario.js';
import type { ScenarioRun, ScenarioUserResult, ScenarioWorkflow } from './scenario.js';

/** The built-in task "Run a Custom Task Extension": it waits for `resume`. */
export const CUSTOM_TASK_EXTENSION_DEFINITION = '4262b724-8dba-4fad-afc3-43fcbb497a0e';

/** When one task of one user starts and ends, decided when the run is created. */
interface TaskStep {
  readonly tpr: TaskProcessingResultFixture;
  readonly startAt: number;
  /** Infinity: the task waits for its custom task extension to call back (`resume`). */
  readonly endAt: number;
  readonly fails: boolean;
}

/** A run started on demand whose results move on as the fake's clock advances. */
export interface PendingRun {
  readonly w: ScenarioWorkflow;
  readonly record: ScenarioRun;
  readonly steps: ReadonlyMap<ScenarioUserResult, readonly TaskStep[]>;
}

/** Who a run processes, and which of the workflow's tasks (default: all). */
export interface RunSubject {
  readonly id: string;
  readonly taskIds?: ReadonlySet<string>;
}

/** How a run was started: `activate`, `activateWithScope` (with its scope) or `previewWorkflow`. */
export interface RunStart {
  readonly executionType: 'onDemand' | 'activatedWithScope' | 'preview';
  readonly activatedOnScope?: NonNullable<RunFixture['activatedOnScope']>;
}

/** How likely an on-demand task fails (the scenarios' default failure rate). */
const FAILURE_RATE = 0.1;

/**
 * Starts an on-demand run of a workflow for some users at `atMs`: every user and task queued,
 * with a timeline of seconds ahead, so a poller sees queued → inProgress → completed/failed as
 * the clock (real or fake timers) moves on. Counts agree at every instant.
 */
export function startRun(random: Random, w: ScenarioWorkflow, subjects: readonly RunSubject[], atMs: number, start: RunStart = { executionType: 'onDemand' }): PendingRun {
  const scheduled = graphDateTime(atMs, random.int(0, 9999));
  const run = {
    id: random.guid(),
    processingStatus: 'queued' as const,
    scheduledDateTime: scheduled,
    workflowExecutionType: start.executionType,
    ...(start.activatedOnScope === undefined ? {} : { activatedOnScope: start.activatedOnScope }),
  };
  const record: ScenarioRun = { run, userProcessingResults: [] };
  const steps = new Map<ScenarioUserResult, TaskStep[]>();
  const used = new Set<string>();
  for (const { id, taskIds } of subjects) {
    const result = createUserProcessingResult(random, {
      scheduledDateTime: scheduled,
      startedDateTime: null,
      completedDateTime: null,
      processingStatus: 'queued',
      workflowExecutionType: start.executionType,
      workflowVersion: w.workflow.version,
      subject: { id },
    });
    const mine = taskIds === undefined ? w.tasks : w.tasks.filter((t) => taskIds.has(t.id));
    const failing = random.chance(FAILURE_RATE) && mine.length > 0 ? random.int(0, mine.length - 1) : -1;
    let clock = atMs + random.int(1_000, 3_000);
    const plan: TaskStep[] = [];
    const tasks = mine.map((task, i) => {
      used.add(task.id);
      const tpr = createTaskProcessingResult(random, { createdDateTime: scheduled, subject: { id }, task, processingStatus: 'queued', startedDateTime: null, completedDateTime: null });
      const startAt = clock + random.int(50, 400);
      const waits = task.taskDefinitionId === CUSTOM_TASK_EXTENSION_DEFINITION;
      const endAt = waits ? Infinity : startAt + random.int(300, 2_500);
      clock = waits ? startAt : endAt;
      plan.push({ tpr, startAt, endAt, fails: i === failing });
      return tpr;
    });
    const user = { result, taskProcessingResults: tasks };
    record.userProcessingResults.push(user);
    steps.set(user, plan);
  }
  w.runs.push(record);
  for (const task of w.tasks.filter((t) => used.has(t.id))) w.taskReports.push({ id: random.guid(), runId: run.id, processingStatus: 'queued', task });
  recount(w, record);
  return { w, record, steps };
}

/**
 * Moves a pending run's tasks to where they are at `nowMs`; a failed task cancels the rest unless
 * it continues on error. Returns whether anything changed, and whether the run is still pending.
 */
export function advanceRun(pending: PendingRun, nowMs: number, random: Random): { changed: boolean; done: boolean } {
  let changed = false;
  let done = true;
  for (const [user, plan] of pending.steps) {
    let stopped = false;
    for (const step of plan) {
      const tpr = step.tpr;
      if (stopped) {
        if (tpr.processingStatus === 'queued') {
          tpr.processingStatus = 'canceled';
          changed = true;
        }
        continue;
      }
      if (tpr.processingStatus === 'queued' && step.startAt <= nowMs) {
        tpr.processingStatus = 'inProgress';
        tpr.startedDateTime = graphDateTime(step.startAt, random.int(0, 9999));
        user.result.startedDateTime ??= tpr.startedDateTime;
        changed = true;
      }
      if (tpr.processingStatus === 'inProgress' && step.endAt <= nowMs) {
        tpr.processingStatus = step.fails ? 'failed' : 'completed';
        tpr.completedDateTime = graphDateTime(step.endAt, random.int(0, 9999));
        if (step.fails) tpr.failureReason = taskDefinitionSpec(tpr.task?.taskDefinitionId ?? '')?.failureReason ?? 'The task failed.';
        changed = true;
      }
      if (!isFinal(tpr.processingStatus)) break;
      stopped = tpr.processingStatus === 'failed' && tpr.task?.continueOnError !== true;
    }
    const finished = user.taskProcessingResults.every((t) => isFinal(t.processingStatus));
    if (finished && user.result.completedDateTime === null) {
      const last = user.taskProcessingResults.map((t) => Date.parse(t.completedDateTime ?? '')).filter((t) => !Number.isNaN(t));
      user.result.completedDateTime = graphDateTime(last.length === 0 ? nowMs : Math.max(...last) + 100, random.int(0, 9999));
      changed = true;
    }
    if (!finished) done = false;
  }
  if (changed) recount(pending.w, pending.record);
  return { changed, done };
}

/**
 * `cancelProcessing`: a run's tasks not yet final are canceled, and with them its users and the run.
 * @see https://learn.microsoft.com/graph/api/identitygovernance-workflow-cancelprocessing
 */
export function cancelRun(w: ScenarioWorkflow, record: ScenarioRun): void {
  for (const user of record.userProcessingResults) {
    let touched = false;
    for (const tpr of user.taskProcessingResults) {
      if (isFinal(tpr.processingStatus)) continue;
      tpr.processingStatus = 'canceled';
      touched = true;
    }
    if (touched) user.result.completedDateTime ??= record.run.lastUpdatedDateTime ?? record.run.scheduledDateTime;
  }
  recount(w, record);
}

/** A quarantine rule: a count of failed users, or a percentage of a run's users. */
interface QuarantineRule {
  readonly '@odata.type'?: string;
  readonly threshold?: number;
  readonly percentage?: number;
}

/**
 * After a run ends: quarantines the workflow when its failures exceed the workflow's (else the
 * tenant's) quarantine configuration, as `quarantineDetails` reports; `clearQuarantine` lifts it.
 */
export function quarantineIfNeeded(w: ScenarioWorkflow, record: ScenarioRun, tenant: { conditions?: readonly QuarantineRule[]; matchMode?: string | null } | null | undefined, nowMs: number): boolean {
  const own = (w.workflow as { settings?: { quarantineConfiguration?: typeof tenant } }).settings?.quarantineConfiguration;
  const config = own ?? tenant;
  const conditions = config?.conditions ?? [];
  if (conditions.length === 0) return false;
  const failed = record.run.failedUsersCount ?? 0;
  const total = record.run.totalUsersCount ?? 0;
  const hits = conditions.map((c) => (c.threshold !== undefined ? failed >= c.threshold : c.percentage !== undefined && total > 0 && (failed * 100) / total >= c.percentage));
  const exceeded = config?.matchMode === 'all' ? hits.every(Boolean) : hits.some(Boolean);
  if (!exceeded) return false;
  const count = conditions.some((c, i) => hits[i] === true && c.threshold !== undefined);
  const share = conditions.some((c, i) => hits[i] === true && c.percentage !== undefined);
  const type = count && share ? 'multipleConditionsExceeded' : count ? 'countBasedThresholdExceeded' : 'percentageBasedThresholdExceeded';
  Object.assign(w.workflow, { quarantineDetails: { quarantinedDateTime: graphDateTime(nowMs), quarantineReason: `Run ${record.run.id} failed for ${failed} of ${total} users.`, quarantineType: type } });
  return true;
}

/** Whether a workflow is quarantined (no runs until `clearQuarantine`). */
export function isQuarantined(w: ScenarioWorkflow): boolean {
  const details = (w.workflow as { quarantineDetails?: { quarantineType?: string | null } | null }).quarantineDetails;
  return details?.quarantineType != null && details.quarantineType !== 'notQuarantined';
}
