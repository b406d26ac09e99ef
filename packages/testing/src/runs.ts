import { createTaskProcessingResult, createUserProcessingResult, isFinal, taskDefinitionSpec } from './factories.js';
import type { TaskProcessingResultFixture } from './factories.js';
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

/** How likely an on-demand task fails (the scenarios' default failure rate). */
const FAILURE_RATE = 0.1;

/**
 * Starts an on-demand run of a workflow for some users at `atMs`: every user and task queued,
 * with a timeline of seconds ahead, so a poller sees queued → inProgress → completed/failed as
 * the clock (real or fake timers) moves on. Counts agree at every instant.
 */
export function startRun(random: Random, w: ScenarioWorkflow, subjectIds: readonly string[], atMs: number): PendingRun {
  const scheduled = graphDateTime(atMs, random.int(0, 9999));
  const run = {
    id: random.guid(),
    processingStatus: 'queued' as const,
    scheduledDateTime: scheduled,
    workflowExecutionType: 'onDemand' as const,
  };
  const record: ScenarioRun = { run, userProcessingResults: [] };
  const steps = new Map<ScenarioUserResult, TaskStep[]>();
  for (const id of subjectIds) {
    const result = createUserProcessingResult(random, {
      scheduledDateTime: scheduled,
      startedDateTime: null,
      completedDateTime: null,
      processingStatus: 'queued',
      workflowExecutionType: 'onDemand',
      workflowVersion: w.workflow.version,
      subject: { id },
    });
    const failing = random.chance(FAILURE_RATE) && w.tasks.length > 0 ? random.int(0, w.tasks.length - 1) : -1;
    let clock = atMs + random.int(1_000, 3_000);
    const plan: TaskStep[] = [];
    const tasks = w.tasks.map((task, i) => {
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
  for (const task of w.tasks) w.taskReports.push({ id: random.guid(), runId: run.id, processingStatus: 'queued', task });
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
