import { enums } from '@idgov/types';
import { taskDefinitionSpecs } from './catalog.js';
import { createWorkflowVersion, isFinal, later } from './factories.js';
import type { CustomTaskExtensionFixture, TaskFixture, WorkflowFixture } from './factories.js';
import type { Item } from './navigation.js';
import { findUser } from './navigation.js';
import type { Random } from './random.js';
import { graphDateTime } from './random.js';
import { cancelRun, CUSTOM_TASK_EXTENSION_DEFINITION, isQuarantined, startRun } from './runs.js';
import type { PendingRun, RunStart, RunSubject } from './runs.js';
import type { Scenario, ScenarioSettings, ScenarioWorkflow } from './scenario.js';
import { recount } from './scenario.js';

/** What a write did: a status with an optional JSON body, or a Graph error. */
export type WriteOutcome =
  | { readonly ok: true; readonly status: 200 | 201 | 204; readonly body?: object; readonly pending?: PendingRun; readonly canceled?: ScenarioWorkflow['runs'][number] }
  | { readonly ok: false; readonly status: number; readonly code: string; readonly message: string };

type Body = Record<string, unknown>;

const bad = (message: string): WriteOutcome => ({ ok: false, status: 400, code: 'BadRequest', message });
const done = (status: 200 | 201 | 204 = 204, body?: object): WriteOutcome => (body === undefined ? { ok: true, status } : { ok: true, status, body });

/** Reads a JSON object body, or explains why it is not one. */
export function parseBody(text: string): Body | string {
  if (text.trim() === '') return 'A request body is required.';
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Body;
    return 'The request body must be a JSON object.';
  } catch {
    return 'The request body is not valid JSON.';
  }
}

// ——— Validation: every check runs before anything changes, so a rejected write changes nothing.

/** A check of one value: undefined when it is fine, else what is wrong with it. */
type Check = (value: unknown, name: string) => string | undefined;

const isObject = (v: unknown): v is Body => v !== null && typeof v === 'object' && !Array.isArray(v);
const shown = (name: string): string => `'${name.slice(0, 80)}'`;

const text =
  (max = 256): Check =>
  (v, name) =>
    typeof v !== 'string' || v.trim() === '' ? `Property ${shown(name)} must be a non-empty string.` : v.length > max ? `Property ${shown(name)} is longer than ${max} characters.` : undefined;
const optionalText: Check = (v, name) => (v === null || typeof v === 'string' ? undefined : `Property ${shown(name)} must be a string or null.`);
const boolean: Check = (v, name) => (typeof v === 'boolean' ? undefined : `Property ${shown(name)} must be true or false.`);
const integer =
  (min: number, max: number): Check =>
  (v, name) =>
    Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max ? undefined : `Property ${shown(name)} must be an integer from ${min} to ${max}.`;
const guid: Check = (v, name) => (typeof v === 'string' && /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(v) ? undefined : `Property ${shown(name)} must be a GUID.`);
const anyObject: Check = (v, name) => (isObject(v) ? undefined : `Property ${shown(name)} must be an object.`);
const odataType =
  (...types: string[]): Check =>
  (v, name) =>
    isObject(v) && types.includes(String(v['@odata.type']).replace(/^#?/, '#')) ? undefined : `Property ${shown(name)} must be an object whose @odata.type is ${types.join(' or ')}.`;

/** Checks an object's properties: every required one present, none unknown, each well-formed. */
function checkObject(value: Body, checks: Readonly<Record<string, Check>>, required: readonly string[], what: string): string | undefined {
  for (const key of Object.keys(value)) {
    if (key.startsWith('@odata.')) continue;
    if (!Object.hasOwn(checks, key)) return `Property ${shown(key)} cannot be set on ${what}.`;
  }
  for (const key of required) if (value[key] === undefined) return `Property '${key}' is required on ${what}.`;
  for (const [key, check] of Object.entries(checks)) {
    if (value[key] === undefined) continue;
    const problem = check(value[key], key);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

const workflowCategories = enums['microsoft.graph.identityGovernance.lifecycleWorkflowCategory'].members.filter((m) => m !== 'unknownFutureValue');
const category: Check = (v, name) => (typeof v === 'string' && (workflowCategories as readonly string[]).includes(v) ? undefined : `Property ${shown(name)} must be one of ${workflowCategories.join(', ')}.`);

const NS = '#microsoft.graph.identityGovernance.';
const triggerChecks: Readonly<Record<string, Readonly<Record<string, Check>>>> = {
  [`${NS}timeBasedAttributeTrigger`]: {
    timeBasedAttribute: (v, n) => (['employeeHireDate', 'employeeLeaveDateTime', 'createdDateTime'].includes(String(v)) ? undefined : `Property ${shown(n)} must be employeeHireDate, employeeLeaveDateTime or createdDateTime.`),
    offsetInDays: integer(-180, 180),
  },
  [`${NS}attributeChangeTrigger`]: { triggerAttributes: (v, n) => (Array.isArray(v) && v.length > 0 ? undefined : `Property ${shown(n)} must list at least one attribute.`) },
  [`${NS}membershipChangeTrigger`]: { changeType: (v, n) => (v === 'added' || v === 'removed' ? undefined : `Property ${shown(n)} must be added or removed.`) },
};

/** "workflowExecutionConditions": on demand only, or a trigger and a rule-based scope. */
const executionConditions: Check = (v, name) => {
  const problem = odataType(`${NS}triggerAndScopeBasedConditions`, `${NS}onDemandExecutionOnly`)(v, name);
  if (problem !== undefined || !isObject(v) || v['@odata.type'] === `${NS}onDemandExecutionOnly`) return problem;
  const scope = v['scope'];
  const scopeProblem = odataType(`${NS}ruleBasedSubjectSet`)(scope, 'scope') ?? (isObject(scope) ? text(10_000)(scope['rule'], 'scope.rule') : undefined);
  if (scopeProblem !== undefined) return scopeProblem;
  const trigger = v['trigger'];
  const checks = isObject(trigger) ? triggerChecks[String(trigger['@odata.type']).replace(/^#?/, '#')] : undefined;
  if (checks === undefined || !isObject(trigger)) return `Property 'trigger' must be an object whose @odata.type is ${Object.keys(triggerChecks).join(' or ')}.`;
  return checkObject(trigger, checks, Object.keys(checks), 'a trigger');
};

const taskChecks: Readonly<Record<string, Check>> = {
  arguments: (v, n) => (Array.isArray(v) && v.every((a) => isObject(a) && typeof a['name'] === 'string' && typeof a['value'] === 'string') ? undefined : `Property ${shown(n)} must be a list of { name, value } strings.`),
  category: (v, n) => (typeof v === 'string' ? undefined : `Property ${shown(n)} must be a string.`),
  continueOnError: boolean,
  description: optionalText,
  displayName: text(),
  executionSequence: integer(1, 25),
  id: guid,
  isEnabled: boolean,
  taskDefinitionId: guid,
};

/** "quarantineConfiguration": when a run's failures quarantine the workflow. */
const quarantineConfiguration: Check = (v, n) => {
  if (v === null) return undefined;
  if (!isObject(v)) return `Property ${shown(n)} must be an object or null.`;
  const conditions: Check = (list, ln) => {
    if (!Array.isArray(list)) return `Property ${shown(ln)} must be a list.`;
    for (const c of list) {
      const problem =
        odataType(`${NS}countBasedQuarantineCondition`, `${NS}percentageBasedQuarantineCondition`)(c, 'conditions') ??
        (isObject(c) && String(c['@odata.type']).endsWith('countBasedQuarantineCondition') ? checkObject(c, { threshold: integer(1, 1_000_000) }, ['threshold'], 'a count-based condition') : isObject(c) ? checkObject(c, { percentage: integer(1, 100) }, ['percentage'], 'a percentage-based condition') : undefined);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
  return checkObject(v, { conditions, matchMode: (m, mn) => (m === 'any' || m === 'all' ? undefined : `Property ${shown(mn)} must be any or all.`) }, ['conditions'], n);
};
const workflowSettings: Check = (v, n) => (isObject(v) ? checkObject(v, { quarantineConfiguration }, [], n) : `Property ${shown(n)} must be an object.`);

const workflowChecks = (creating: boolean): Readonly<Record<string, Check>> => ({
  category,
  description: optionalText,
  displayName: text(),
  executionConditions,
  isEnabled: boolean,
  isSchedulingEnabled: boolean,
  settings: workflowSettings,
  tasks: (v, n) => (Array.isArray(v) && v.length > 0 && v.length <= 25 ? undefined : `Property ${shown(n)} must list 1 to 25 tasks.`),
  ...(creating ? { id: guid } : {}),
});

/** A workflow's documented limit per tenant ("workflow resource type"). */
const WORKFLOW_LIMIT = 100;

function duplicateName(scenario: Scenario, name: unknown, except?: ScenarioWorkflow): string | undefined {
  if (typeof name !== 'string') return undefined;
  const taken = scenario.workflows.some((w) => w !== except && w.workflow.displayName.toLowerCase() === name.toLowerCase());
  return taken ? `A workflow named '${name.slice(0, 80)}' already exists; display names are unique.` : undefined;
}

/** Checks a workflow definition (create and createNewVersion) whole; returns the tasks it makes. */
function checkWorkflow(scenario: Scenario, body: Body, creating: boolean, except?: ScenarioWorkflow): string | ((random: Random) => TaskFixture[]) {
  const problem = checkObject(body, workflowChecks(creating), ['category', 'displayName', 'executionConditions', 'tasks'], 'a workflow') ?? duplicateName(scenario, body['displayName'], except);
  if (problem !== undefined) return problem;
  if (body['isEnabled'] === false && body['isSchedulingEnabled'] === true) return "Property 'isSchedulingEnabled' cannot be true for a disabled workflow (isEnabled false).";
  const wanted = String(body['category']);
  const tasks = body['tasks'] as unknown[];
  for (const [i, task] of tasks.entries()) {
    const what = `task ${i + 1}`;
    if (!isObject(task)) return `Task ${i + 1} must be an object.`;
    const taskProblem = checkObject(task, taskChecks, ['displayName', 'taskDefinitionId'], what);
    if (taskProblem !== undefined) return taskProblem;
    const definition = [...scenario.taskDefinitions, ...taskDefinitionSpecs].find((d) => d.id === task['taskDefinitionId']);
    if (definition === undefined) return `Task ${i + 1}: '${String(task['taskDefinitionId'])}' is not a task definition of this tenant.`;
    if (!String(definition.category).split(',').includes(wanted)) return `Task ${i + 1}: the task definition '${definition.displayName}' does not support ${wanted} workflows (it supports ${String(definition.category)}).`;
    if (definition.id === CUSTOM_TASK_EXTENSION_DEFINITION) {
      const ref = (task['arguments'] as { name: string; value: string }[] | undefined)?.find((a) => a.name === 'customTaskExtensionID')?.value;
      if (!(scenario.customTaskExtensions ?? []).some((x) => x.extension.id === ref)) return `Task ${i + 1}: argument 'customTaskExtensionID' must name a custom task extension of this tenant.`;
    }
  }
  return (random) =>
    tasks.map((raw, i) => {
      const task = raw as Body;
      const definition = [...scenario.taskDefinitions, ...taskDefinitionSpecs].find((d) => d.id === task['taskDefinitionId']);
      return {
        arguments: (task['arguments'] as TaskFixture['arguments'] | undefined) ?? [],
        category: definition?.category ?? 'joiner',
        continueOnError: (task['continueOnError'] as boolean | undefined) ?? false,
        description: (task['description'] as string | null | undefined) ?? definition?.description ?? null,
        displayName: task['displayName'] as string,
        executionSequence: i + 1,
        id: random.guid(),
        isEnabled: (task['isEnabled'] as boolean | undefined) ?? true,
        taskDefinitionId: task['taskDefinitionId'] as string,
      };
    });
}

const HOUR = 3_600_000;

/**
 * `POST workflows`: validates the body as the service does, then adds version 1 with fresh ids.
 * @see https://learn.microsoft.com/graph/api/identitygovernance-lifecycleworkflowscontainer-post-workflows
 */
export function createWorkflow(scenario: Scenario, random: Random, body: Body, nowMs: number): WriteOutcome {
  const checked = checkWorkflow(scenario, body, true);
  if (typeof checked === 'string') return bad(checked);
  if (scenario.workflows.length >= WORKFLOW_LIMIT) return bad(`A tenant holds at most ${WORKFLOW_LIMIT} workflows; delete one first.`);
  const id = typeof body['id'] === 'string' ? body['id'].toLowerCase() : random.guid();
  if ([...scenario.workflows, ...scenario.deletedWorkflows].some((w) => w.workflow.id === id)) return bad(`A workflow with id '${id}' already exists.`);
  const now = graphDateTime(nowMs, random.int(0, 9999));
  const scheduling = body['isSchedulingEnabled'] === true;
  const interval = scenario.settings?.workflowScheduleIntervalInHours ?? 3;
  const workflow: WorkflowFixture = {
    category: body['category'] as WorkflowFixture['category'],
    description: (body['description'] as string | null | undefined) ?? null,
    displayName: body['displayName'] as string,
    lastModifiedDateTime: now,
    createdDateTime: now,
    deletedDateTime: null,
    id,
    isEnabled: (body['isEnabled'] as boolean | undefined) ?? true,
    isSchedulingEnabled: scheduling,
    nextScheduleRunDateTime: scheduling ? graphDateTime(nowMs + interval * HOUR) : null,
    version: 1,
    executionConditions: body['executionConditions'] as NonNullable<WorkflowFixture['executionConditions']>,
    ...(isObject(body['settings']) ? { settings: body['settings'] } : {}),
  };
  const owner = scenario.users[0]?.id;
  const record: ScenarioWorkflow = { workflow, tasks: checked(random), versions: [], runs: [], taskReports: [], ...(owner === undefined ? {} : { ownerId: owner }) };
  record.versions.push(createWorkflowVersion(workflow, 1));
  scenario.workflows.push(record);
  return done(201, workflow);
}

/**
 * `POST workflows/{id}/createNewVersion` with `{ workflow }`: the next version replaces the
 * workflow's definition and tasks; earlier versions keep theirs.
 * @see https://learn.microsoft.com/graph/api/identitygovernance-workflow-createnewversion
 */
export function createNewVersion(scenario: Scenario, random: Random, item: Item, body: Body, nowMs: number): WriteOutcome {
  if (item.ref.t !== 'workflow') return bad('Only a workflow can get a new version.');
  if (item.ref.deleted) return bad('A deleted workflow cannot get a new version; restore it first.');
  const w = item.ref.w;
  if (body['workflow'] === undefined && body['displayName'] !== undefined) return bad('createNewVersion takes the workflow in its parameter: { "workflow": { … } }.');
  const problem = checkObject(body, { workflow: anyObject }, ['workflow'], 'createNewVersion');
  if (problem !== undefined) return bad(problem);
  const definition = body['workflow'] as Body;
  const checked = checkWorkflow(scenario, definition, false, w);
  if (typeof checked === 'string') return bad(checked);
  const workflow = w.workflow;
  w.versionTasks = { ...w.versionTasks, [workflow.version]: [...w.tasks] };
  const now = graphDateTime(nowMs, random.int(0, 9999));
  Object.assign(workflow, {
    category: definition['category'],
    description: definition['description'] ?? null,
    displayName: definition['displayName'],
    executionConditions: definition['executionConditions'],
    isEnabled: definition['isEnabled'] ?? workflow.isEnabled,
    isSchedulingEnabled: definition['isSchedulingEnabled'] ?? workflow.isSchedulingEnabled,
    lastModifiedDateTime: now,
    version: workflow.version + 1,
  });
  w.tasks.splice(0, w.tasks.length, ...checked(random));
  w.versions.push({ ...createWorkflowVersion(workflow, workflow.version), createdDateTime: now });
  return done(200, { ...workflow, tasks: w.tasks });
}

/** The checks every run on demand passes: a live, enabled, unquarantined workflow. */
function runnable(item: Item, what: string): ScenarioWorkflow | WriteOutcome {
  if (item.ref.t !== 'workflow') return bad(`Only a workflow can be ${what}.`);
  if (item.ref.deleted) return bad(`A deleted workflow cannot be ${what}; restore it first.`);
  if (item.ref.w.workflow.isEnabled === false) return bad(`A disabled workflow cannot be ${what}; enable it first.`);
  if (isQuarantined(item.ref.w)) return bad(`The workflow is quarantined and cannot be ${what}; clear the quarantine first (clearQuarantine).`);
  return item.ref.w;
}

/** Users named by `[{ id }]`, each a user of the tenant; else the unknown id. */
function usersOf(scenario: Scenario, list: unknown): string[] | { unknown: string } {
  const ids: string[] = [];
  for (const s of Array.isArray(list) ? list : []) {
    const id = isObject(s) ? s['id'] : undefined;
    if (typeof id !== 'string' || findUser(scenario, id) === undefined) return { unknown: typeof id === 'string' ? id.slice(0, 80) : String(id) };
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

const subjectsCheck: Check = (v, n) => (Array.isArray(v) && v.length > 0 ? undefined : `Property ${shown(n)} must name at least one user.`);

function run(random: Random, w: ScenarioWorkflow, subjects: readonly RunSubject[], nowMs: number, start?: RunStart): WriteOutcome {
  return { ok: true, status: 204, pending: startRun(random, w, subjects, nowMs, start) };
}

/**
 * `POST workflows/{id}/activate` with `{ subjects: [{ id }] }`: runs the workflow on demand for
 * those users, as a new run that moves on with the fake's clock.
 * @see https://learn.microsoft.com/graph/api/identitygovernance-workflow-activate
 */
export function activateWorkflow(scenario: Scenario, random: Random, item: Item, body: Body, nowMs: number): WriteOutcome {
  const problem = checkObject(body, { subjects: subjectsCheck }, ['subjects'], 'activate');
  if (problem !== undefined) return bad(problem);
  const w = runnable(item, 'activated');
  if (!('workflow' in w)) return w;
  const ids = usersOf(scenario, body['subjects']);
  if (!Array.isArray(ids)) return bad(`Subject '${ids.unknown}' is not a user of this tenant.`);
  return run(random, w, ids.map((id) => ({ id })), nowMs);
}

const taskScope: Check = (v, n) => (v === 'allTasks' || v === 'failedTasks' ? undefined : `Property ${shown(n)} must be allTasks or failedTasks.`);
const SCOPES = '#microsoft.graph.identityGovernance.';

/**
 * `POST workflows/{id}/activateWithScope`: runs the workflow for users (`subjects`, or an
 * `activateUserScope`), again for a run's users or some processing results (`activateRunScope`,
 * `activateProcessingResultScope`, all or only the failed tasks). The new run is listed in the
 * reprocessed runs of what it reprocesses; unknown users are 406, as documented.
 * @see https://learn.microsoft.com/graph/api/identitygovernance-workflow-activatewithscope
 */
export function activateWithScope(scenario: Scenario, random: Random, item: Item, body: Body, nowMs: number): WriteOutcome {
  const problem = checkObject(body, { subjects: subjectsCheck, scope: anyObject }, [], 'activateWithScope');
  if (problem !== undefined) return bad(problem);
  const raw = body['scope'] as Body | undefined;
  if (raw === undefined && body['subjects'] === undefined) return bad("activateWithScope needs 'scope' (or 'subjects').");
  const type = raw === undefined ? `${SCOPES}activateUserScope` : String(raw['@odata.type']).replace(/^#?/, '#');
  const scope = raw ?? { '@odata.type': type, users: body['subjects'] };
  const checks: Readonly<Record<string, Readonly<Record<string, Check>>>> = {
    [`${SCOPES}activateUserScope`]: { users: subjectsCheck },
    [`${SCOPES}activateProcessingResultScope`]: { processingResults: (v, n) => (Array.isArray(v) && v.length > 0 ? undefined : `Property ${shown(n)} must name at least one processing result.`), taskScope },
    [`${SCOPES}activateRunScope`]: { run: anyObject, taskScope, userScope: (v, n) => (v === 'allUsers' || v === 'failedUsers' ? undefined : `Property ${shown(n)} must be allUsers or failedUsers.`) },
    [`${SCOPES}activateGroupScope`]: { group: anyObject },
  };
  const scopeChecks = checks[type];
  if (scopeChecks === undefined) return bad(`Property 'scope' must be an object whose @odata.type is ${Object.keys(checks).join(' or ')}.`);
  const scopeProblem = checkObject(scope, scopeChecks, Object.keys(scopeChecks), 'the scope');
  if (scopeProblem !== undefined) return bad(scopeProblem);
  const w = runnable(item, 'activated');
  if (!('workflow' in w)) return w;
  const start: RunStart = { executionType: 'activatedWithScope', activatedOnScope: scope as unknown as NonNullable<RunStart['activatedOnScope']> };
  if (type === `${SCOPES}activateUserScope`) {
    const ids = usersOf(scenario, scope['users']);
    if (!Array.isArray(ids)) return { ok: false, status: 406, code: 'NotAcceptable', message: `Subject '${ids.unknown}' is not a user of this tenant.` };
    return run(random, w, ids.map((id) => ({ id })), nowMs, start);
  }
  if (type === `${SCOPES}activateGroupScope`) return { ok: false, status: 404, code: 'ResourceNotFound', message: `The group '${String((scope['group'] as Body)['id']).slice(0, 80)}' was not found: the fake tenant holds no groups.` };
  // Reprocessing: the users of some results, or of a run, with all their tasks or the failed ones.
  const failedOnly = scope['taskScope'] === 'failedTasks';
  let targets: { r: ScenarioWorkflow['runs'][number]; u: ScenarioWorkflow['runs'][number]['userProcessingResults'][number] }[];
  if (type === `${SCOPES}activateRunScope`) {
    const runId = (scope['run'] as Body)['id'];
    const r = w.runs.find((x) => x.run.id === runId);
    if (r === undefined) return { ok: false, status: 404, code: 'ResourceNotFound', message: `The run with id '${String(runId).slice(0, 80)}' was not found in this workflow.` };
    targets = r.userProcessingResults.filter((u) => scope['userScope'] === 'allUsers' || u.result.processingStatus === 'failed').map((u) => ({ r, u }));
  } else {
    const wanted = (scope['processingResults'] as unknown[]).map((p) => (isObject(p) ? p['id'] : undefined));
    targets = w.runs.flatMap((r) => r.userProcessingResults.filter((u) => wanted.includes(u.result.id)).map((u) => ({ r, u })));
    if (targets.length !== new Set(wanted).size) return { ok: false, status: 404, code: 'ResourceNotFound', message: 'A processing result of the scope was not found in this workflow.' };
  }
  if (targets.length === 0) return bad('The scope names no user to process again.');
  const subjects = targets.map(({ u }) => {
    const failed = new Set(u.taskProcessingResults.filter((t) => t.processingStatus === 'failed' || t.processingStatus === 'canceled').map((t) => t.task?.id ?? ''));
    return { id: u.result.subject?.id ?? '', ...(failedOnly && failed.size > 0 ? { taskIds: failed } : {}) };
  });
  const outcome = run(random, w, subjects, nowMs, start);
  const newId = outcome.ok ? outcome.pending?.record.run.id : undefined;
  if (newId !== undefined) {
    for (const { r, u } of targets) {
      if (!(r.reprocessedRunIds ?? []).includes(newId)) r.reprocessedRunIds = [...(r.reprocessedRunIds ?? []), newId];
      u.reprocessedRunIds = [...(u.reprocessedRunIds ?? []), newId];
    }
  }
  return outcome;
}

/**
 * `POST workflows/{id}/previewWorkflow` with up to 10 subjects: a preview run (its results read
 * `workflowExecutionType` `preview`); the subjects become the workflow's `previewScope`.
 * @see https://learn.microsoft.com/graph/api/identitygovernance-workflow-previewworkflow
 */
export function previewWorkflow(scenario: Scenario, random: Random, item: Item, body: Body, nowMs: number): WriteOutcome {
  const problem = checkObject(body, { subjects: (v, n) => subjectsCheck(v, n) ?? ((v as unknown[]).length > 10 ? `Property ${shown(n)} takes at most 10 subjects.` : undefined) }, ['subjects'], 'previewWorkflow');
  if (problem !== undefined) return bad(problem);
  const w = runnable(item, 'previewed');
  if (!('workflow' in w)) return w;
  const ids = usersOf(scenario, body['subjects']);
  if (!Array.isArray(ids)) return bad(`Subject '${ids.unknown}' is not a user of this tenant.`);
  w.previewScope = ids.map((id) => ({ '@odata.type': '#microsoft.graph.user', id }));
  return run(random, w, ids.map((id) => ({ id })), nowMs, { executionType: 'preview' });
}

/**
 * `POST workflows/{id}/previewTaskFailures`: the tasks that would fail as configured — a custom
 * task extension that no longer exists, a group task without its group.
 * @see https://learn.microsoft.com/graph/api/identitygovernance-workflow-previewtaskfailures
 */
export function previewTaskFailures(scenario: Scenario, item: Item): WriteOutcome {
  if (item.ref.t !== 'workflow') return bad('Only a workflow can be checked.');
  if (item.ref.deleted) return bad('A deleted workflow cannot be checked; restore it first.');
  const failures = item.ref.w.tasks.flatMap((task) => {
    const argument = (name: string): string | undefined => task.arguments?.find((a) => a.name === name)?.value ?? undefined;
    const definition = [...scenario.taskDefinitions, ...taskDefinitionSpecs].find((d) => d.id === task.taskDefinitionId);
    const needs = definition?.parameters?.map((p) => p.name).filter((name) => name === 'groupID' || name === 'customTaskExtensionID') ?? [];
    const missing = needs.find((name) => argument(name) === undefined || argument(name) === '');
    const extension = argument('customTaskExtensionID');
    const reason =
      missing !== undefined
        ? `The task has no '${missing}' argument.`
        : extension !== undefined && !(scenario.customTaskExtensions ?? []).some((x) => x.extension.id === extension)
          ? `The custom task extension '${extension}' does not exist.`
          : undefined;
    return reason === undefined ? [] : [{ name: task.displayName, definitionId: task.taskDefinitionId, failureReason: reason, taskId: task.id }];
  });
  return { ok: true, status: 200, body: failures };
}

/**
 * `POST workflows/{id}/cancelProcessing` with a `cancelRunsScope` of one run still processing.
 * @see https://learn.microsoft.com/graph/api/identitygovernance-workflow-cancelprocessing
 */
export function cancelProcessing(item: Item, body: Body): WriteOutcome {
  const problem = checkObject(body, { scope: odataType(`${SCOPES}cancelRunsScope`) }, ['scope'], 'cancelProcessing');
  if (problem !== undefined) return bad(problem);
  if (item.ref.t !== 'workflow') return bad('Only a workflow can cancel its runs.');
  if (item.ref.deleted) return bad('A deleted workflow has no runs to cancel.');
  const runs = (body['scope'] as Body)['runs'];
  if (!Array.isArray(runs) || runs.length !== 1 || !isObject(runs[0])) return bad("Property 'runs' must name exactly one run ({ id }).");
  const id = runs[0]['id'];
  const record = item.ref.w.runs.find((r) => r.run.id === id);
  if (record === undefined) return { ok: false, status: 404, code: 'ResourceNotFound', message: `The run with id '${String(id).slice(0, 80)}' was not found in this workflow.` };
  if (isFinal(record.run.processingStatus)) return bad(`The run is ${record.run.processingStatus}; only a run still processing can be canceled.`);
  cancelRun(item.ref.w, record);
  return { ok: true, status: 204, canceled: record };
}

/**
 * `POST workflows/{id}/clearQuarantine`: lifts a quarantine; answers the workflow.
 * @see https://learn.microsoft.com/graph/api/identitygovernance-workflow-clearquarantine
 */
export function clearQuarantine(item: Item, nowMs: number): WriteOutcome {
  if (item.ref.t !== 'workflow') return bad('Only a workflow can be released from quarantine.');
  if (item.ref.deleted) return bad('A deleted workflow cannot be released from quarantine; restore it first.');
  const workflow = item.ref.w.workflow;
  Object.assign(workflow, { quarantineDetails: { quarantinedDateTime: null, quarantineReason: null, quarantineType: 'notQuarantined' }, lastModifiedDateTime: graphDateTime(nowMs) });
  return done(200, workflow);
}

/**
 * `POST …/taskProcessingResults/{id}/resume` with `{ data: { operationStatus } }`: completes (or
 * fails) a task waiting on a custom task extension, then the user's queued tasks run.
 * @see https://learn.microsoft.com/graph/api/identitygovernance-taskprocessingresult-resume
 */
export function resumeTask(random: Random, item: Item, body: Body, nowMs: number): WriteOutcome {
  if (item.ref.t !== 'taskResult') return bad('Only a task processing result can be resumed.');
  const { w, r, tpr } = item.ref;
  const data = body['data'];
  const status = isObject(data) ? data['operationStatus'] : undefined;
  if (status !== 'completed' && status !== 'failed') return bad("'data.operationStatus' must be 'completed' or 'failed'.");
  if (tpr.processingStatus !== 'inProgress') return bad(`The task processing result is ${tpr.processingStatus}, not inProgress; only a waiting task can be resumed.`);
  const owner = r.userProcessingResults.find((u) => u.taskProcessingResults.includes(tpr));
  let clock = graphDateTime(nowMs, random.int(0, 9999));
  tpr.processingStatus = status;
  tpr.completedDateTime = clock;
  if (status === 'failed') tpr.failureReason = 'The custom task extension reported a failure.';
  for (const next of owner?.taskProcessingResults ?? []) {
    if (next.processingStatus !== 'queued') continue;
    const stop = status === 'failed' && tpr.task?.continueOnError !== true;
    next.processingStatus = stop ? 'canceled' : 'completed';
    if (!stop) {
      next.startedDateTime = later(random, clock, random.int(50, 400));
      clock = later(random, next.startedDateTime, random.int(300, 2_500));
      next.completedDateTime = clock;
    }
  }
  if (owner?.taskProcessingResults.every((t) => isFinal(t.processingStatus)) === true) owner.result.completedDateTime = later(random, clock, 100);
  recount(w, r);
  return done();
}

/**
 * `PATCH workflows/{id}`: only the properties that need no new version ("Update workflow").
 * @see https://learn.microsoft.com/graph/api/identitygovernance-workflow-update
 */
export function updateWorkflow(scenario: Scenario, item: Item, body: Body, nowMs: number): WriteOutcome {
  if (item.ref.t !== 'workflow') return bad('Only a workflow can be updated here.');
  if (item.ref.deleted) return bad('A deleted workflow cannot be updated; restore it first.');
  const w = item.ref.w;
  const checks = { description: optionalText, displayName: text(), isEnabled: boolean, isSchedulingEnabled: boolean, settings: workflowSettings };
  const problem = checkObject(body, checks, [], 'a workflow with PATCH (create a new version to change the rest)') ?? duplicateName(scenario, body['displayName'], w);
  if (problem !== undefined) return bad(problem);
  const enabled = (body['isEnabled'] as boolean | undefined) ?? w.workflow.isEnabled;
  const scheduling = (body['isSchedulingEnabled'] as boolean | undefined) ?? w.workflow.isSchedulingEnabled;
  if (enabled === false && scheduling === true) return bad("Property 'isSchedulingEnabled' cannot be true for a disabled workflow (isEnabled false).");
  assign(w.workflow, body, Object.keys(checks));
  w.workflow.lastModifiedDateTime = graphDateTime(nowMs);
  return done();
}

/**
 * `PATCH workflows/{id}/tasks/{id}`: a task's name and description; the rest needs a new version.
 * @see https://learn.microsoft.com/graph/api/identitygovernance-task-update
 */
export function updateTask(scenario: Scenario, item: Item, body: Body, template: readonly string[]): WriteOutcome {
  if (item.ref.t !== 'task' || item.ref.w === undefined) return bad('Only a task of a workflow can be updated.');
  if (template.includes('versions')) return bad('The tasks of a workflow version are read-only; create a new version instead.');
  if (scenario.deletedWorkflows.includes(item.ref.w)) return bad('The tasks of a deleted workflow cannot be updated; restore it first.');
  const checks = { description: optionalText, displayName: text() };
  const problem = checkObject(body, checks, [], 'a task with PATCH (create a new version to change the rest)');
  if (problem !== undefined) return bad(problem);
  assign(item.ref.task, body, Object.keys(checks));
  return done();
}

/** `POST …/tasks` and `DELETE …/tasks/{id}`: the service changes a workflow's tasks only through a new version. */
export function refuseTaskChange(): WriteOutcome {
  return bad('Tasks are added and removed by creating a new version of the workflow (createNewVersion).');
}

/** `DELETE workflows/{id}` moves it to `deletedItems`; deleting from there removes it for good. */
export function deleteWorkflow(scenario: Scenario, item: Item, nowMs: number): WriteOutcome {
  if (item.ref.t !== 'workflow') return bad('Only a workflow can be deleted here.');
  const { w, deleted } = item.ref;
  remove(deleted ? scenario.deletedWorkflows : scenario.workflows, w);
  if (!deleted) {
    w.workflow.deletedDateTime = graphDateTime(nowMs);
    scenario.deletedWorkflows.push(w);
  }
  return done();
}

/**
 * `POST deletedItems/workflows/{id}/restore`: back to the active workflows.
 * @see https://learn.microsoft.com/graph/api/identitygovernance-workflow-restore
 */
export function restoreWorkflow(scenario: Scenario, item: Item): WriteOutcome {
  if (item.ref.t !== 'workflow' || !item.ref.deleted) return bad('Only a deleted workflow can be restored.');
  const w = item.ref.w;
  const problem = duplicateName(scenario, w.workflow.displayName);
  if (problem !== undefined) return bad(`${problem} Rename that workflow before restoring this one.`);
  remove(scenario.deletedWorkflows, w);
  w.workflow.deletedDateTime = null;
  scenario.workflows.push(w);
  return done(200, { ...w.workflow, tasks: w.tasks });
}

/**
 * `PATCH settings`: the schedule interval (1–24 hours) and the email settings.
 * @see https://learn.microsoft.com/graph/api/identitygovernance-lifecyclemanagementsettings-update
 */
export function updateSettings(settings: ScenarioSettings, body: Body): WriteOutcome {
  const emailChecks = { senderDomain: text(), useCompanyBranding: boolean };
  const checks: Record<string, Check> = {
    workflowScheduleIntervalInHours: integer(1, 24),
    quarantineConfiguration,
    emailSettings: (v, n) => (isObject(v) ? checkObject(v, emailChecks, [], n) : `Property ${shown(n)} must be an object.`),
  };
  const problem = checkObject(body, checks, [], 'the settings');
  if (problem !== undefined) return bad(problem);
  if (typeof body['workflowScheduleIntervalInHours'] === 'number') settings.workflowScheduleIntervalInHours = body['workflowScheduleIntervalInHours'];
  if (isObject(body['emailSettings'])) assign(settings.emailSettings, body['emailSettings'], Object.keys(emailChecks));
  if (body['quarantineConfiguration'] !== undefined) settings.quarantineConfiguration = body['quarantineConfiguration'];
  return done();
}

/** `PATCH insights`: the insights hold nothing a client can set; an empty body is accepted. */
export function updateInsights(body: Body): WriteOutcome {
  const problem = checkObject(body, {}, [], 'the insights');
  return problem === undefined ? done() : bad(problem);
}

const extensionChecks: Readonly<Record<string, Check>> = {
  displayName: text(),
  description: optionalText,
  endpointConfiguration: (v, n) =>
    odataType('#microsoft.graph.logicAppTriggerEndpointConfiguration')(v, n) ??
    (isObject(v) ? checkObject(v, { subscriptionId: guid, resourceGroupName: text(), logicAppWorkflowName: text(), url: optionalText }, ['subscriptionId', 'resourceGroupName', 'logicAppWorkflowName'], n) : undefined),
  authenticationConfiguration: (v, n) =>
    odataType('#microsoft.graph.azureAdTokenAuthentication', '#microsoft.graph.azureAdPopTokenAuthentication')(v, n) ??
    (isObject(v) && v['@odata.type'] === '#microsoft.graph.azureAdTokenAuthentication' ? checkObject(v, { resourceId: guid }, ['resourceId'], n) : undefined),
  clientConfiguration: (v, n) => (isObject(v) ? checkObject(v, { maximumRetries: integer(0, 3), timeoutInMilliseconds: integer(1000, 30_000) }, [], n) : `Property ${shown(n)} must be an object.`),
  callbackConfiguration: (v, n) =>
    v === null ? undefined : isObject(v) ? checkObject(v, { timeoutDuration: (d, dn) => (typeof d === 'string' && /^PT(\d+H)?(\d+M)?(\d+S)?$/.test(d) && d !== 'PT' ? undefined : `Property ${shown(dn)} must be an ISO 8601 duration such as PT5M.`) }, [], n) : `Property ${shown(n)} must be an object or null.`,
};

/**
 * `POST customTaskExtensions`: a Logic App callout with its endpoint and authentication.
 * @see https://learn.microsoft.com/graph/api/identitygovernance-lifecycleworkflowscontainer-post-customtaskextensions
 */
export function createCustomTaskExtension(scenario: Scenario, random: Random, body: Body, nowMs: number): WriteOutcome {
  const problem = checkObject(body, extensionChecks, ['displayName', 'endpointConfiguration', 'authenticationConfiguration'], 'a custom task extension');
  if (problem !== undefined) return bad(problem);
  const list = (scenario.customTaskExtensions ??= []);
  if (list.some((x) => x.extension.displayName.toLowerCase() === String(body['displayName']).toLowerCase())) return bad(`A custom task extension named '${String(body['displayName']).slice(0, 80)}' already exists.`);
  const now = graphDateTime(nowMs, random.int(0, 9999));
  const extension: CustomTaskExtensionFixture = { id: random.guid(), displayName: '', description: null, createdDateTime: now, lastModifiedDateTime: now };
  assign(extension, body, Object.keys(extensionChecks));
  const owner = scenario.users[0]?.id;
  list.push({ extension, ...(owner === undefined ? {} : { ownerId: owner }) });
  return done(201, extension);
}

/** `PATCH customTaskExtensions/{id}`: any of the properties it was created with. */
export function updateCustomTaskExtension(item: Item, body: Body, nowMs: number): WriteOutcome {
  if (item.ref.t !== 'customTaskExtension') return bad('Only a custom task extension can be updated here.');
  const problem = checkObject(body, extensionChecks, [], 'a custom task extension');
  if (problem !== undefined) return bad(problem);
  assign(item.ref.x.extension, body, Object.keys(extensionChecks));
  item.ref.x.extension.lastModifiedDateTime = graphDateTime(nowMs);
  return done();
}

/** `DELETE customTaskExtensions/{id}`: refused while a workflow's task still calls it. */
export function deleteCustomTaskExtension(scenario: Scenario, item: Item): WriteOutcome {
  if (item.ref.t !== 'customTaskExtension') return bad('Only a custom task extension can be deleted here.');
  const { x } = item.ref;
  const user = scenario.workflows.find((w) => w.tasks.some((t) => t.arguments?.some((a) => a.name === 'customTaskExtensionID' && a.value === x.extension.id)));
  if (user !== undefined) return bad(`The custom task extension is used by the workflow '${user.workflow.displayName}'; remove it from that workflow first.`);
  remove(scenario.customTaskExtensions ?? [], x);
  return done();
}

/** Copies the named properties present in the body (the body was checked whole first). */
function assign(target: object, body: Body, keys: readonly string[]): void {
  for (const key of keys) if (body[key] !== undefined) (target as Body)[key] = body[key];
}

function remove<T>(list: T[], item: T): void {
  const at = list.indexOf(item);
  if (at >= 0) list.splice(at, 1);
}
