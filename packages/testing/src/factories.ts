import type {
  LifecycleWorkflowProcessingStatus,
  OnDemandExecutionOnly,
  Run,
  Task,
  TaskDefinition,
  TaskProcessingResult,
  TaskReport,
  User,
  UserProcessingResult,
  Workflow,
  WorkflowTemplate,
  WorkflowVersion,
} from '@idgov/types';
import { cities, departments, givenNames, jobTitles, surnames, taskDefinitionSpecs } from './catalog.js';
import type { TaskDefinitionSpec } from './catalog.js';
import type { Random } from './random.js';
import { graphDateTime } from './random.js';

/** `T` with the properties `K`, which fixtures always fill, required and non-null. */
type Filled<T, K extends keyof T> = T & { [P in K]-?: Exclude<T[P], undefined | null> };

/** A `microsoft.graph.user` stub as the fixtures fill it. */
export type UserFixture = Filled<User, 'id' | 'displayName' | 'userPrincipalName' | 'mail'>;
export type WorkflowFixture = Filled<Workflow, 'id' | 'category' | 'displayName' | 'version'>;
export type TaskFixture = Filled<Task, 'id' | 'displayName' | 'taskDefinitionId' | 'executionSequence' | 'continueOnError'>;
export type TaskDefinitionFixture = Filled<TaskDefinition, 'id' | 'displayName'>;
export type WorkflowTemplateFixture = Filled<WorkflowTemplate, 'id' | 'displayName'>;
export type WorkflowVersionFixture = Filled<WorkflowVersion, 'versionNumber'>;
export type RunFixture = Filled<Run, 'id' | 'processingStatus' | 'scheduledDateTime'>;
/** A user processing result; `subject` is the `{ id }` reference Graph returns without `$expand`. */
export type UserProcessingResultFixture = Filled<UserProcessingResult, 'id' | 'processingStatus' | 'scheduledDateTime'> & { subject: { id: string } | null };
export type TaskProcessingResultFixture = Filled<TaskProcessingResult, 'id' | 'processingStatus' | 'createdDateTime'> & { subject: { id: string } | null; task: TaskFixture | null };
export type TaskReportFixture = Filled<TaskReport, 'id' | 'runId' | 'processingStatus'> & { task: TaskFixture | null };

const DAY = 86_400_000;

/** A date-time `ms` after `base` (an ISO text), with random sub-millisecond ticks. */
export function later(random: Random, base: string, ms: number): string {
  return graphDateTime(Date.parse(base) + ms, random.int(0, 9999));
}

/**
 * A user stub with a realistic name, UPN and mail.
 * @example createUser(createRandom(1), { department: 'Sales' })
 */
export function createUser(random: Random, overrides: Partial<UserFixture> = {}, options: { domain?: string } = {}): UserFixture {
  const givenName = random.pick(givenNames);
  const surname = random.pick(surnames);
  const dept = random.pick(departments);
  const local = `${givenName}.${surname}`.normalize('NFD').replace(/[^A-Za-z.]/g, '').toLowerCase();
  const upn = `${local}@${options.domain ?? 'contoso.com'}`;
  return {
    id: random.guid(),
    accountEnabled: true,
    city: random.pick(cities),
    department: dept,
    displayName: `${givenName} ${surname}`,
    employeeId: String(random.int(100000, 999999)),
    givenName,
    jobTitle: jobTitles[departments.indexOf(dept)] ?? 'Specialist',
    mail: upn,
    surname,
    userPrincipalName: upn,
    userType: 'Member',
    ...overrides,
  };
}

/** The built-in task definitions, as `GET …/taskDefinitions` lists them. */
export function createTaskDefinitions(): TaskDefinitionFixture[] {
  return taskDefinitionSpecs.map((spec) => ({
    category: spec.category,
    continueOnError: false,
    description: spec.description,
    displayName: spec.displayName,
    id: spec.id,
    version: 1,
    parameters: spec.parameters.map((p) => ({ name: p.name, values: [...p.values], valueType: p.valueType })),
  }));
}

/** The catalogue entry of a built-in task definition. */
export function taskDefinitionSpec(id: string): TaskDefinitionSpec | undefined {
  return taskDefinitionSpecs.find((s) => s.id === id);
}

/** A workflow task built on a task definition (`taskDefinitionId`, default "Enable User Account"). */
export function createTask(random: Random, overrides: Partial<TaskFixture> = {}): TaskFixture {
  const spec = taskDefinitionSpec(overrides.taskDefinitionId ?? '') ?? taskDefinitionSpecs[0];
  return {
    arguments: spec?.parameters.some((p) => p.name === 'groupID') === true ? [{ name: 'groupID', value: random.guid() }] : [],
    category: spec?.category ?? 'joiner',
    continueOnError: false,
    description: spec?.description ?? null,
    displayName: spec?.displayName ?? 'Task',
    executionSequence: 1,
    id: random.guid(),
    isEnabled: true,
    taskDefinitionId: spec?.id ?? random.guid(),
    ...overrides,
  };
}

/** A workflow that runs only when activated: the default of the factories below. */
const onDemandOnly: OnDemandExecutionOnly = { '@odata.type': '#microsoft.graph.identityGovernance.onDemandExecutionOnly' };

/** A workflow (defaults: an enabled joiner workflow, version 1). */
export function createWorkflow(random: Random, overrides: Partial<WorkflowFixture> = {}, now = '2024-10-01T06:00:00Z'): WorkflowFixture {
  const created = later(random, now, -random.int(60, 200) * DAY - random.int(0, DAY - 1));
  return {
    category: 'joiner',
    description: null,
    displayName: 'Onboard new hire employee',
    lastModifiedDateTime: later(random, created, random.int(1, 40) * DAY + random.int(0, DAY - 1)),
    createdDateTime: created,
    deletedDateTime: null,
    id: random.guid(),
    isEnabled: true,
    isSchedulingEnabled: true,
    nextScheduleRunDateTime: later(random, now, 3 * 3_600_000),
    version: 1,
    executionConditions: onDemandOnly,
    ...overrides,
  };
}

/** A run (default: a completed scheduled run with no users). Counts are not derived: see `createScenario`. */
export function createRun(random: Random, overrides: Partial<RunFixture> = {}, now = '2024-10-01T06:00:00Z'): RunFixture {
  const scheduled = later(random, now, -random.int(2, 20) * 3_600_000);
  return {
    id: random.guid(),
    completedDateTime: later(random, scheduled, 60_000),
    failedTasksCount: 0,
    failedUsersCount: 0,
    lastUpdatedDateTime: later(random, scheduled, 60_000),
    processingStatus: 'completed',
    scheduledDateTime: scheduled,
    startedDateTime: later(random, scheduled, 2_000),
    successfulUsersCount: 0,
    totalTasksCount: 0,
    totalUnprocessedTasksCount: 0,
    totalUsersCount: 0,
    workflowExecutionType: 'scheduled',
    ...overrides,
  };
}

/** A user processing result, in the property order Graph's examples use. */
export function createUserProcessingResult(random: Random, overrides: Partial<UserProcessingResultFixture> = {}, now = '2024-10-01T06:00:00Z'): UserProcessingResultFixture {
  const scheduled = overrides.scheduledDateTime ?? later(random, now, -random.int(2, 20) * 3_600_000);
  const started = later(random, scheduled, random.int(2_000, 4_000));
  return {
    id: random.guid(),
    completedDateTime: later(random, started, random.int(4_000, 9_000)),
    failedTasksCount: 0,
    processingStatus: 'completed',
    scheduledDateTime: scheduled,
    startedDateTime: started,
    totalTasksCount: 0,
    totalUnprocessedTasksCount: 0,
    workflowExecutionType: 'scheduled',
    workflowVersion: 1,
    subject: { id: random.guid() },
    ...overrides,
  };
}

/** A task processing result (default: completed, with its task inline as Graph returns it). */
export function createTaskProcessingResult(random: Random, overrides: Partial<TaskProcessingResultFixture> = {}, now = '2024-10-01T06:00:00Z'): TaskProcessingResultFixture {
  const created = overrides.createdDateTime ?? later(random, now, -random.int(2, 20) * 3_600_000);
  const started = later(random, created, random.int(2_000, 4_000));
  return {
    completedDateTime: later(random, started, random.int(300, 2_500)),
    createdDateTime: created,
    failureReason: null,
    id: random.guid(),
    processingStatus: 'completed',
    startedDateTime: started,
    subject: { id: random.guid() },
    task: null,
    ...overrides,
  };
}

/** A task report (one task in one run); counts are not derived: see `createScenario`. */
export function createTaskReport(random: Random, overrides: Partial<TaskReportFixture> = {}): TaskReportFixture {
  return {
    completedDateTime: null,
    failedUsersCount: 0,
    id: random.guid(),
    lastUpdatedDateTime: graphDateTime(0),
    processingStatus: 'completed',
    runId: random.guid(),
    startedDateTime: null,
    successfulUsersCount: 0,
    totalUsersCount: 0,
    unprocessedUsersCount: 0,
    task: null,
    ...overrides,
  };
}

/** A workflow template with its tasks' definitions. */
export function createWorkflowTemplate(random: Random, overrides: Partial<WorkflowTemplateFixture> = {}): WorkflowTemplateFixture {
  return { category: 'joiner', description: null, displayName: 'Onboard new hire employee', executionConditions: onDemandOnly, id: random.guid(), ...overrides };
}

/** Whether a processing status is final (nothing left to run). */
export function isFinal(status: LifecycleWorkflowProcessingStatus): boolean {
  return status !== 'queued' && status !== 'inProgress';
}

/** A workflow version as `…/versions` lists it: the workflow's base properties and its number. */
export function createWorkflowVersion(workflow: WorkflowFixture, versionNumber: number): WorkflowVersionFixture {
  return {
    category: workflow.category,
    createdDateTime: workflow.createdDateTime ?? null,
    description: workflow.description ?? null,
    displayName: workflow.displayName,
    executionConditions: workflow.executionConditions ?? null,
    isEnabled: workflow.isEnabled ?? true,
    isSchedulingEnabled: workflow.isSchedulingEnabled ?? true,
    lastModifiedDateTime: workflow.lastModifiedDateTime ?? null,
    versionNumber,
  };
}
