import type { LifecycleWorkflowProcessingStatus, TriggerAndScopeBasedConditions, WorkflowExecutionTrigger } from '@idgov/types';
import { departments, taskDefinitionSpecs, workflowBlueprints } from './catalog.js';
import {
  createRun,
  createTask,
  createTaskDefinitions,
  createTaskProcessingResult,
  createTaskReport,
  createUser,
  createUserProcessingResult,
  createWorkflow,
  createWorkflowTemplate,
  createWorkflowVersion,
  isFinal,
  later,
  taskDefinitionSpec,
} from './factories.js';
import type {
  RunFixture,
  TaskDefinitionFixture,
  TaskFixture,
  TaskProcessingResultFixture,
  TaskReportFixture,
  UserFixture,
  UserProcessingResultFixture,
  WorkflowFixture,
  WorkflowTemplateFixture,
  WorkflowVersionFixture,
} from './factories.js';
import type { Random } from './random.js';
import { createRandom } from './random.js';

/** One user's processing in a run, with the tasks it ran. */
export interface ScenarioUserResult {
  readonly result: UserProcessingResultFixture;
  readonly taskProcessingResults: TaskProcessingResultFixture[];
}

/** One run of a workflow, with every user it processed. */
export interface ScenarioRun {
  readonly run: RunFixture;
  readonly userProcessingResults: ScenarioUserResult[];
}

/** A workflow with its tasks, versions, runs and task reports (one per run and task). */
export interface ScenarioWorkflow {
  readonly workflow: WorkflowFixture;
  readonly tasks: TaskFixture[];
  readonly versions: WorkflowVersionFixture[];
  readonly runs: ScenarioRun[];
  readonly taskReports: TaskReportFixture[];
  /** Id of the user who created and last modified the workflow (`createdBy`, `lastModifiedBy`). */
  readonly ownerId?: string;
}

/** A workflow template with its tasks. */
export interface ScenarioTemplate {
  readonly template: WorkflowTemplateFixture;
  readonly tasks: TaskFixture[];
}

/** Everything the fake Graph serves. Plain data: build it with {@link createScenario} or by hand. */
export interface Scenario {
  readonly seed: number;
  /** The scenario's "now": runs lie before it, the 7-day result window ends at it. */
  readonly now: string;
  readonly users: UserFixture[];
  readonly taskDefinitions: TaskDefinitionFixture[];
  readonly workflowTemplates: ScenarioTemplate[];
  readonly workflows: ScenarioWorkflow[];
  readonly deletedWorkflows: ScenarioWorkflow[];
}

/** Options for {@link createScenario}; every one has a default. */
export interface ScenarioOptions {
  /** Same seed, same data on every platform (default 1). */
  readonly seed?: number;
  /** ISO date-time all timestamps are relative to (default `2024-10-01T06:00:00Z`): no wall clock. */
  readonly now?: string;
  /** Number of workflows, cycling joiner, mover, leaver (default 3). */
  readonly workflows?: number;
  /** Runs per workflow, one per `runIntervalHours` back from `now` (default 3). */
  readonly runsPerWorkflow?: number;
  /** Distinct users processed by each run (default 25). */
  readonly usersPerRun?: number;
  /** Enabled tasks per workflow, at most its blueprint's 3–5 (default: all of them). */
  readonly tasksPerWorkflow?: number;
  /** Probability that a user's processing fails in a task (default 0.1). */
  readonly failureRate?: number;
  /** Size of the user pool runs draw from (default: twice `usersPerRun`, at least 50). */
  readonly users?: number;
  /** Hours between a workflow's runs (default 24). */
  readonly runIntervalHours?: number;
  /** Leave the last 30% of users of each workflow's latest run in progress (default false). */
  readonly latestRunInProgress?: boolean;
  /** Mail domain of the users (default `contoso.com`). */
  readonly domain?: string;
}

export const DEFAULT_NOW = '2024-10-01T06:00:00Z';
const HOUR = 3_600_000;

/**
 * Builds consistent, deterministic data: a run's counts equal the sum over its users, a user's
 * status and counts agree with its task processing results, timestamps are in order
 * (scheduled ≤ started ≤ completed) and all before `now`.
 * @example createScenario({ seed: 42, workflows: 2, runsPerWorkflow: 3, usersPerRun: 25 })
 */
export function createScenario(options: ScenarioOptions = {}): Scenario {
  const seed = options.seed ?? 1;
  const now = options.now ?? DEFAULT_NOW;
  const nowMs = Date.parse(now);
  if (Number.isNaN(nowMs)) throw new RangeError(`createScenario: 'now' must be an ISO date-time, not '${now}'.`);
  const counts = { workflows: options.workflows ?? 3, runsPerWorkflow: options.runsPerWorkflow ?? 3, usersPerRun: options.usersPerRun ?? 25 };
  for (const [name, value] of Object.entries(counts)) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`createScenario: '${name}' must be a non-negative integer, not ${value}.`);
  }
  const failureRate = options.failureRate ?? 0.1;
  if (!(failureRate >= 0 && failureRate <= 1)) throw new RangeError(`createScenario: 'failureRate' must be between 0 and 1, not ${failureRate}.`);
  const random = createRandom(seed);
  const poolSize = Math.max(options.users ?? Math.max(counts.usersPerRun * 2, 50), counts.usersPerRun);
  const taken = new Map<string, number>();
  const users = Array.from({ length: poolSize }, () => {
    const user = createUser(random, {}, { domain: options.domain ?? 'contoso.com' });
    const n = taken.get(user.userPrincipalName) ?? 0;
    taken.set(user.userPrincipalName, n + 1);
    if (n === 0) return user;
    // A second Jonas Hughes gets jonas.hughes2@…, as directories do.
    const upn = user.userPrincipalName.replace('@', `${n + 1}@`);
    return { ...user, userPrincipalName: upn, mail: upn };
  });
  const workflowTemplates = workflowBlueprints.map((b) => {
    const template = createWorkflowTemplate(random, { category: b.category, description: b.description, displayName: b.displayName, executionConditions: conditions(b.trigger, null) });
    return { template, tasks: b.taskDefinitionIds.map((id, i) => createTask(random, { taskDefinitionId: id, executionSequence: i + 1 })) };
  });
  const workflows: ScenarioWorkflow[] = [];
  for (let w = 0; w < counts.workflows; w++) {
    const blueprint = workflowBlueprints[w % workflowBlueprints.length] ?? workflowBlueprints[0];
    if (blueprint === undefined) break;
    const department = departments[w % departments.length] ?? 'Sales';
    const owner = users.length === 0 ? undefined : random.pick(users);
    const version = random.int(1, 3);
    const workflow = createWorkflow(
      random,
      {
        category: blueprint.category,
        description: blueprint.description,
        displayName: `${blueprint.displayName} (${department})`,
        executionConditions: conditions(blueprint.trigger, `(department eq '${department}')`),
        version,
      },
      now,
    );
    const taskIds = blueprint.taskDefinitionIds.slice(0, Math.max(1, options.tasksPerWorkflow ?? blueprint.taskDefinitionIds.length));
    const tasks = taskIds.map((id, i) => createTask(random, { taskDefinitionId: id, executionSequence: i + 1, continueOnError: random.chance(0.3) }));
    const record: ScenarioWorkflow = {
      workflow,
      tasks,
      versions: Array.from({ length: version }, (_, i) => createWorkflowVersion(workflow, i + 1)),
      runs: [],
      taskReports: [],
      ...(owner === undefined ? {} : { ownerId: owner.id }),
    };
    for (let k = counts.runsPerWorkflow - 1; k >= 0; k--) {
      const scheduledMs = nowMs - k * (options.runIntervalHours ?? 24) * HOUR - 2 * HOUR - w * 17 * 60_000 - random.int(0, 3_599_999);
      const inProgress = options.latestRunInProgress === true && k === 0;
      record.runs.push(createRunRecord(random, record, users, { scheduledMs, usersPerRun: counts.usersPerRun, failureRate, inProgress }));
    }
    workflows.push(record);
  }
  return { seed, now, users, taskDefinitions: createTaskDefinitions(), workflowTemplates, workflows, deletedWorkflows: [] };
}

function conditions(trigger: WorkflowExecutionTrigger, rule: string | null): TriggerAndScopeBasedConditions {
  return {
    '@odata.type': '#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions',
    scope: { '@odata.type': '#microsoft.graph.identityGovernance.ruleBasedSubjectSet', rule: rule ?? "(department eq 'Marketing')" },
    trigger,
  };
}

interface RunPlan {
  readonly scheduledMs: number;
  readonly usersPerRun: number;
  readonly failureRate: number;
  readonly inProgress: boolean;
}

function createRunRecord(random: Random, workflow: ScenarioWorkflow, pool: readonly UserFixture[], plan: RunPlan): ScenarioRun {
  const scheduled = later(random, new Date(plan.scheduledMs).toISOString(), 0);
  const run = createRun(random, { scheduledDateTime: scheduled, workflowExecutionType: random.chance(0.2) ? 'onDemand' : 'scheduled' });
  const chosen = sample(random, pool.length, plan.usersPerRun);
  const waitingFrom = plan.inProgress ? Math.ceil(chosen.length * 0.7) : chosen.length;
  const record: ScenarioRun = { run, userProcessingResults: [] };
  chosen.forEach((userIndex, i) => {
    const user = pool[userIndex];
    if (user === undefined) return;
    record.userProcessingResults.push(processUser(random, workflow, run, user.id, { fails: random.chance(plan.failureRate), waiting: i >= waitingFrom }));
  });
  for (const task of workflow.tasks) workflow.taskReports.push(createTaskReport(random, { runId: run.id, task }));
  recount(workflow, record);
  return record;
}

/** `n` distinct indexes below `size`, in a seeded order (partial Fisher–Yates). */
function sample(random: Random, size: number, n: number): number[] {
  const order = Array.from({ length: size }, (_, i) => i);
  const count = Math.min(n, size);
  for (let i = 0; i < count; i++) {
    const j = random.int(i, size - 1);
    const a = order[i] ?? i;
    order[i] = order[j] ?? j;
    order[j] = a;
  }
  return order.slice(0, count);
}

/**
 * Runs one user through a workflow's tasks: a failing task fails, the tasks after it are
 * canceled unless it continues on error; a waiting user has its first task in progress.
 */
export function processUser(
  random: Random,
  workflow: ScenarioWorkflow,
  run: RunFixture,
  userId: string,
  how: { readonly fails: boolean; readonly waiting: boolean },
): ScenarioUserResult {
  const scheduled = run.scheduledDateTime;
  const result = createUserProcessingResult(random, {
    scheduledDateTime: scheduled,
    workflowExecutionType: run.workflowExecutionType ?? 'scheduled',
    workflowVersion: workflow.workflow.version,
    subject: { id: userId },
  });
  const failing = how.fails && workflow.tasks.length > 0 ? random.int(0, workflow.tasks.length - 1) : -1;
  let clock = result.startedDateTime ?? scheduled;
  let stopped = false;
  const taskProcessingResults = workflow.tasks.map((task, i) => {
    const base = { createdDateTime: scheduled, subject: { id: userId }, task };
    if (how.waiting) {
      const status: LifecycleWorkflowProcessingStatus = i === 0 ? 'inProgress' : 'queued';
      return createTaskProcessingResult(random, { ...base, processingStatus: status, startedDateTime: i === 0 ? clock : null, completedDateTime: null });
    }
    if (stopped) return createTaskProcessingResult(random, { ...base, processingStatus: 'canceled', startedDateTime: null, completedDateTime: null });
    const started = later(random, clock, random.int(50, 400));
    clock = later(random, started, random.int(300, 2_500));
    if (i === failing) {
      stopped = !task.continueOnError;
      const reason = taskDefinitionSpec(task.taskDefinitionId)?.failureReason ?? taskDefinitionSpecs[0]?.failureReason ?? null;
      return createTaskProcessingResult(random, { ...base, processingStatus: 'failed', startedDateTime: started, completedDateTime: clock, failureReason: reason });
    }
    return createTaskProcessingResult(random, { ...base, processingStatus: 'completed', startedDateTime: started, completedDateTime: clock });
  });
  const record: ScenarioUserResult = { result, taskProcessingResults };
  if (!how.waiting) result.completedDateTime = later(random, clock, random.int(50, 400));
  summarizeUser(record);
  return record;
}

function summarizeUser(record: ScenarioUserResult): void {
  const tasks = record.taskProcessingResults;
  const failed = tasks.filter((t) => t.processingStatus === 'failed').length;
  const waiting = tasks.filter((t) => !isFinal(t.processingStatus));
  const r = record.result;
  r.failedTasksCount = failed;
  r.totalTasksCount = tasks.length;
  r.totalUnprocessedTasksCount = tasks.filter((t) => t.processingStatus !== 'completed' && t.processingStatus !== 'failed').length;
  if (waiting.length > 0) {
    r.processingStatus = waiting.length === tasks.length && waiting.every((t) => t.processingStatus === 'queued') ? 'queued' : 'inProgress';
    r.completedDateTime = null;
  } else r.processingStatus = failed > 0 ? 'failed' : 'completed';
}

const latest = (values: readonly (string | null | undefined)[]): string | null =>
  values.reduce<string | null>((best, v) => (v == null ? best : best === null || Date.parse(v) > Date.parse(best) ? v : best), null);
const earliest = (values: readonly (string | null | undefined)[]): string | null =>
  values.reduce<string | null>((best, v) => (v == null ? best : best === null || Date.parse(v) < Date.parse(best) ? v : best), null);

/**
 * Recomputes a run's status, counts and timestamps from its users, each user's from its tasks,
 * and the run's task reports: after any change to task processing results.
 */
export function recount(workflow: ScenarioWorkflow, record: ScenarioRun): void {
  for (const u of record.userProcessingResults) summarizeUser(u);
  const results = record.userProcessingResults.map((u) => u.result);
  const run = record.run;
  const failedUsers = results.filter((r) => r.processingStatus === 'failed').length;
  const waiting = results.some((r) => !isFinal(r.processingStatus));
  run.totalUsersCount = results.length;
  run.failedUsersCount = failedUsers;
  run.successfulUsersCount = results.filter((r) => r.processingStatus === 'completed').length;
  run.totalTasksCount = results.reduce((n, r) => n + (r.totalTasksCount ?? 0), 0);
  run.failedTasksCount = results.reduce((n, r) => n + (r.failedTasksCount ?? 0), 0);
  run.totalUnprocessedTasksCount = results.reduce((n, r) => n + (r.totalUnprocessedTasksCount ?? 0), 0);
  run.processingStatus = waiting ? 'inProgress' : failedUsers === 0 ? 'completed' : failedUsers === results.length ? 'failed' : 'completedWithErrors';
  run.startedDateTime = earliest(results.map((r) => r.startedDateTime)) ?? run.scheduledDateTime;
  run.completedDateTime = waiting ? null : (latest(results.map((r) => r.completedDateTime)) ?? run.startedDateTime);
  run.lastUpdatedDateTime = latest([run.completedDateTime, ...results.map((r) => r.startedDateTime)]) ?? run.scheduledDateTime;
  for (const report of workflow.taskReports) {
    if (report.runId !== run.id) continue;
    const mine = record.userProcessingResults.flatMap((u) => u.taskProcessingResults.filter((t) => t.task?.id === report.task?.id));
    const failed = mine.filter((t) => t.processingStatus === 'failed').length;
    const done = mine.filter((t) => t.processingStatus === 'completed').length;
    const open = mine.some((t) => !isFinal(t.processingStatus));
    report.totalUsersCount = mine.length;
    report.failedUsersCount = failed;
    report.successfulUsersCount = done;
    report.unprocessedUsersCount = mine.length - failed - done;
    report.processingStatus = open ? 'inProgress' : failed === 0 ? 'completed' : 'completedWithErrors';
    report.startedDateTime = earliest(mine.map((t) => t.startedDateTime));
    report.completedDateTime = open ? null : latest(mine.map((t) => t.completedDateTime));
    report.lastUpdatedDateTime = latest([report.completedDateTime, report.startedDateTime]) ?? run.scheduledDateTime;
  }
}
