import type { LifecycleWorkflowProcessingStatus, QuarantineConfiguration, TriggerAndScopeBasedConditions, WorkflowExecutionTrigger } from '@idgov/types';
import { departments, taskDefinitionSpecs, workflowBlueprints } from './catalog.js';
import {
  createCustomTaskExtension,
  createRun,
  createTask,
  createTaskDefinitions,
  createTaskReport,
  createUser,
  createWorkflow,
  createWorkflowTemplate,
  createWorkflowVersion,
  isFinal,
  later,
  taskDefinitionSpec,
} from './factories.js';
import type {
  CustomTaskExtensionFixture,
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
import { createRandom, graphDateTime } from './random.js';

/** One user's processing in a run, with the tasks it ran. */
export interface ScenarioUserResult {
  readonly result: UserProcessingResultFixture;
  readonly taskProcessingResults: TaskProcessingResultFixture[];
  /** Ids of the runs that reprocessed this result (`activateWithScope`), oldest first. */
  reprocessedRunIds?: string[];
}

/** One run of a workflow, with every user it processed. */
export interface ScenarioRun {
  readonly run: RunFixture;
  readonly userProcessingResults: ScenarioUserResult[];
  /** Ids of the runs that reprocessed this run (`activateWithScope`), oldest first. */
  reprocessedRunIds?: string[];
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
  /** Tasks of earlier versions by version number (`createNewVersion` keeps them); absent: every version has `tasks`. */
  versionTasks?: Record<number, TaskFixture[]>;
  /** Administrative units the workflow is limited to (`administrationScopeTargets`); none unless set. */
  administrationScopeTargets?: DirectoryObjectRef[];
  /** The subjects of the latest `previewWorkflow` (`previewScope`). */
  previewScope?: DirectoryObjectRef[];
}

/** A directory object as a navigation lists it: its type and id. */
export interface DirectoryObjectRef {
  readonly '@odata.type': string;
  readonly id: string;
}

/** A custom task extension (a Logic App a workflow task calls out to) and who made it. */
export interface ScenarioCustomTaskExtension {
  readonly extension: CustomTaskExtensionFixture;
  /** Id of the user who created and last modified it (`createdBy`, `lastModifiedBy`). */
  readonly ownerId?: string;
}

/** The tenant's Lifecycle Workflows settings (`…/lifecycleWorkflows/settings`). */
export interface ScenarioSettings {
  workflowScheduleIntervalInHours: number;
  emailSettings: { senderDomain: string; useCompanyBranding: boolean };
  /** When a run's failures quarantine a workflow that has no configuration of its own. */
  quarantineConfiguration?: QuarantineConfiguration | null;
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
  /** Custom task extensions (`createScenario` makes two; a fake fills in an empty list when absent). */
  customTaskExtensions?: ScenarioCustomTaskExtension[];
  /** Tenant settings (a fake fills in the defaults when absent: every 3 hours, the users' mail domain). */
  settings?: ScenarioSettings;
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
  // A generator of their own, so adding extensions leaves every other entity of a seed as it was.
  const extensionRandom = createRandom(seed ^ 0x0c7e);
  const customTaskExtensions = customTaskExtensionNames.map((displayName) => ({
    extension: createCustomTaskExtension(extensionRandom, { displayName, description: displayName }, now),
    ...(users.length === 0 ? {} : { ownerId: extensionRandom.pick(users).id }),
  }));
  const settings = { workflowScheduleIntervalInHours: 3, emailSettings: { senderDomain: options.domain ?? 'contoso.com', useCompanyBranding: true } };
  return { seed, now, users, taskDefinitions: createTaskDefinitions(), workflowTemplates, workflows, deletedWorkflows: [], customTaskExtensions, settings };
}

const customTaskExtensionNames = ['Grant manager access to mailbox and OneDrive', 'Query and assign Teams phone number'];

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

/**
 * A run's record. Its users are generated on first read of `userProcessingResults`, from a seed
 * of the run's own, so a scenario of 100,000 users per run starts at once and holds only the runs
 * someone looks at; the run's counts and task reports are computed up front from the same plans,
 * without building a single object per user.
 */
function createRunRecord(random: Random, workflow: ScenarioWorkflow, pool: readonly UserFixture[], plan: RunPlan): ScenarioRun {
  const scheduled = later(random, new Date(plan.scheduledMs).toISOString(), 0);
  const run = createRun(random, { scheduledDateTime: scheduled, workflowExecutionType: random.chance(0.2) ? 'onDemand' : 'scheduled' });
  const chosen = sample(random, pool.length, plan.usersPerRun);
  const runSeed = random.int(0, 0x7fff_ffff);
  const waitingFrom = plan.inProgress ? Math.ceil(chosen.length * 0.7) : chosen.length;
  const scheduledMs = Date.parse(scheduled);
  // What the users are built from, as it is now: a later write to the workflow must not change a run's past.
  const tasks = [...workflow.tasks];
  const context: UserContext = { tasks, version: workflow.workflow.version, scheduledDateTime: scheduled, executionType: run.workflowExecutionType ?? 'scheduled' };
  const reports = tasks.map((task) => createTaskReport(random, { runId: run.id, task }));
  workflow.taskReports.push(...reports);
  /** The users' plans, replayed in order from the run's seed: the same numbers for the counts and for the objects. */
  const plans = function* (): Generator<UserPlan> {
    const own = createRandom(runSeed);
    for (let i = 0; i < chosen.length; i++) yield planUser(own, tasks, scheduledMs, { fails: own.chance(plan.failureRate), waiting: i >= waitingFrom });
  };
  summarizeRun(run, reports, plans());
  return lazyUsers(run, () => {
    // Ids from a stream of their own, so building the objects leaves the plans' stream untouched.
    const ids = createRandom(runSeed ^ 0x1d5e_ed5);
    let i = 0;
    const results: ScenarioUserResult[] = [];
    for (const p of plans()) {
      const user = pool[chosen[i++] ?? -1];
      if (user !== undefined) results.push(materializeUser(ids, context, user.id, p));
    }
    return results;
  });
}

/** A run record whose `userProcessingResults` is built on first read, then a plain array like any other. */
function lazyUsers(run: RunFixture, build: () => ScenarioUserResult[]): ScenarioRun {
  const record = { run } as { run: RunFixture; userProcessingResults: ScenarioUserResult[] };
  const settle = (value: ScenarioUserResult[]): void => {
    Object.defineProperty(record, 'userProcessingResults', { value, writable: true, enumerable: true, configurable: true });
  };
  Object.defineProperty(record, 'userProcessingResults', {
    enumerable: true,
    configurable: true,
    get: () => {
      const value = build();
      settle(value);
      return value;
    },
    set: settle,
  });
  return record;
}

/** `n` distinct indexes below `size`, in a seeded order (partial Fisher–Yates). */
function sample(random: Random, size: number, n: number): Int32Array {
  const order = Int32Array.from({ length: size }, (_, i) => i);
  const count = Math.min(n, size);
  for (let i = 0; i < count; i++) {
    const j = random.int(i, size - 1);
    const a = order[i] ?? i;
    order[i] = order[j] ?? j;
    order[j] = a;
  }
  return order.slice(0, count);
}

/** An instant as milliseconds and the 0–9999 sub-millisecond ticks Graph's 7 fraction digits add. */
type Stamp = readonly [ms: number, ticks: number];
interface TaskPlan {
  readonly status: LifecycleWorkflowProcessingStatus;
  readonly started: Stamp | null;
  readonly completed: Stamp | null;
}
/** One user's processing as numbers: what the counts need, and what its objects are made of. */
interface UserPlan {
  readonly started: Stamp;
  readonly completed: Stamp | null;
  readonly tasks: readonly TaskPlan[];
}

const stamp = (random: Random, ms: number): Stamp => [ms, random.int(0, 9999)];
const text = (s: Stamp | null): string | null => (s === null ? null : graphDateTime(s[0], s[1]));

/**
 * Plans one user's run through a workflow's tasks: a failing task fails, the tasks after it are
 * canceled unless it continues on error; a waiting user has its first task in progress.
 */
function planUser(random: Random, tasks: readonly TaskFixture[], scheduledMs: number, how: { readonly fails: boolean; readonly waiting: boolean }): UserPlan {
  const failing = how.fails && tasks.length > 0 ? random.int(0, tasks.length - 1) : -1;
  const started = stamp(random, scheduledMs + random.int(2_000, 4_000));
  let clock = started[0];
  let stopped = false;
  const planned = tasks.map((task, i): TaskPlan => {
    if (how.waiting) return i === 0 ? { status: 'inProgress', started, completed: null } : { status: 'queued', started: null, completed: null };
    if (stopped) return { status: 'canceled', started: null, completed: null };
    const taskStarted = stamp(random, clock + random.int(50, 400));
    const taskCompleted = stamp(random, taskStarted[0] + random.int(300, 2_500));
    clock = taskCompleted[0];
    if (i !== failing) return { status: 'completed', started: taskStarted, completed: taskCompleted };
    stopped = !task.continueOnError;
    return { status: 'failed', started: taskStarted, completed: taskCompleted };
  });
  return { started, completed: how.waiting ? null : stamp(random, clock + random.int(50, 400)), tasks: planned };
}

/** The user's status and counts, as {@link summarizeUser} derives them from its tasks. */
function userCounts(tasks: readonly TaskPlan[]): { failed: number; unprocessed: number; status: LifecycleWorkflowProcessingStatus } {
  let failed = 0;
  let unprocessed = 0;
  let waiting = 0;
  let queued = 0;
  for (const t of tasks) {
    const status = t.status;
    if (status === 'failed') failed++;
    else if (status !== 'completed') unprocessed++;
    if (!isFinal(status)) waiting++;
    if (status === 'queued') queued++;
  }
  const status: LifecycleWorkflowProcessingStatus = waiting > 0 ? (waiting === tasks.length && queued === tasks.length ? 'queued' : 'inProgress') : failed > 0 ? 'failed' : 'completed';
  return { failed, unprocessed, status };
}

/** The earliest or latest of instants offered in order; on a tie in milliseconds the first stays, as in {@link recount}. */
function extreme(direction: 1 | -1): { offer(s: Stamp | null): void; value(): Stamp | null } {
  let best: Stamp | null = null;
  return {
    offer: (s) => {
      if (s !== null && (best === null || (s[0] - best[0]) * direction > 0)) best = s;
    },
    value: () => best,
  };
}

/** Fills a run's counts, status and timestamps and its task reports from its users' plans, as {@link recount} would from their objects. */
function summarizeRun(run: RunFixture, reports: readonly TaskReportFixture[], plans: Iterable<UserPlan>): void {
  let users = 0;
  let failedUsers = 0;
  let successfulUsers = 0;
  let totalTasks = 0;
  let failedTasks = 0;
  let unprocessedTasks = 0;
  let waiting = false;
  const firstStart = extreme(-1);
  const lastEnd = extreme(1);
  const lastStart = extreme(1);
  const perTask = reports.map(() => ({ failed: 0, done: 0, open: false, started: extreme(-1), completed: extreme(1) }));
  for (const plan of plans) {
    users++;
    const counts = userCounts(plan.tasks);
    if (counts.status === 'failed') failedUsers++;
    if (counts.status === 'completed') successfulUsers++;
    if (!isFinal(counts.status)) waiting = true;
    totalTasks += plan.tasks.length;
    failedTasks += counts.failed;
    unprocessedTasks += counts.unprocessed;
    firstStart.offer(plan.started);
    lastEnd.offer(plan.completed);
    lastStart.offer(plan.started);
    plan.tasks.forEach((t, k) => {
      const acc = perTask[k];
      if (acc === undefined) return;
      if (t.status === 'failed') acc.failed++;
      if (t.status === 'completed') acc.done++;
      if (!isFinal(t.status)) acc.open = true;
      acc.started.offer(t.started);
      acc.completed.offer(t.completed);
    });
  }
  run.totalUsersCount = users;
  run.failedUsersCount = failedUsers;
  run.successfulUsersCount = successfulUsers;
  run.totalTasksCount = totalTasks;
  run.failedTasksCount = failedTasks;
  run.totalUnprocessedTasksCount = unprocessedTasks;
  run.processingStatus = waiting ? 'inProgress' : failedUsers === 0 ? 'completed' : failedUsers === users ? 'failed' : 'completedWithErrors';
  run.startedDateTime = text(firstStart.value()) ?? run.scheduledDateTime;
  run.completedDateTime = waiting ? null : (text(lastEnd.value()) ?? run.startedDateTime);
  run.lastUpdatedDateTime = run.completedDateTime ?? text(lastStart.value()) ?? run.scheduledDateTime;
  reports.forEach((report, k) => {
    const acc = perTask[k];
    if (acc === undefined) return;
    report.totalUsersCount = users;
    report.failedUsersCount = acc.failed;
    report.successfulUsersCount = acc.done;
    report.unprocessedUsersCount = users - acc.failed - acc.done;
    report.processingStatus = acc.open ? 'inProgress' : acc.failed === 0 ? 'completed' : 'completedWithErrors';
    report.startedDateTime = text(acc.started.value());
    report.completedDateTime = acc.open ? null : text(acc.completed.value());
    report.lastUpdatedDateTime = report.completedDateTime ?? report.startedDateTime ?? run.scheduledDateTime;
  });
}

/** The workflow and run facts a user's objects carry. */
interface UserContext {
  readonly tasks: readonly TaskFixture[];
  readonly version: number;
  readonly scheduledDateTime: string;
  readonly executionType: NonNullable<RunFixture['workflowExecutionType']>;
}

/** Builds a user's result and task processing results from its plan, in Graph's property order. */
function materializeUser(random: Random, context: UserContext, userId: string, plan: UserPlan): ScenarioUserResult {
  const counts = userCounts(plan.tasks);
  const result: UserProcessingResultFixture = {
    id: random.guid(),
    completedDateTime: text(plan.completed),
    failedTasksCount: counts.failed,
    processingStatus: counts.status,
    scheduledDateTime: context.scheduledDateTime,
    startedDateTime: text(plan.started),
    totalTasksCount: plan.tasks.length,
    totalUnprocessedTasksCount: counts.unprocessed,
    workflowExecutionType: context.executionType,
    workflowVersion: context.version,
    subject: { id: userId },
  };
  const taskProcessingResults = plan.tasks.map((t, i): TaskProcessingResultFixture => {
    const task = context.tasks[i] ?? null;
    const reason = t.status === 'failed' ? (taskDefinitionSpec(task?.taskDefinitionId ?? '')?.failureReason ?? taskDefinitionSpecs[0]?.failureReason ?? null) : null;
    return {
      completedDateTime: text(t.completed),
      createdDateTime: context.scheduledDateTime,
      failureReason: reason,
      id: random.guid(),
      processingStatus: t.status,
      startedDateTime: text(t.started),
      subject: { id: userId },
      task,
    };
  });
  return { result, taskProcessingResults };
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
  } else if (failed > 0) r.processingStatus = 'failed';
  // Only a cancellation leaves tasks canceled without a failure before them.
  else r.processingStatus = tasks.some((t) => t.processingStatus === 'canceled') ? 'canceled' : 'completed';
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
  const queued = results.length > 0 && results.every((r) => r.processingStatus === 'queued');
  const canceled = !waiting && results.some((r) => r.processingStatus === 'canceled');
  run.processingStatus = queued ? 'queued' : waiting ? 'inProgress' : canceled ? 'canceled' : failedUsers === 0 ? 'completed' : failedUsers === results.length ? 'failed' : 'completedWithErrors';
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
