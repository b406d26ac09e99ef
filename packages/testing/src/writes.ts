import { isFinal, later } from './factories.js';
import type { Item } from './navigation.js';
import { findUser } from './navigation.js';
import type { Random } from './random.js';
import { graphDateTime } from './random.js';
import type { Scenario, ScenarioWorkflow } from './scenario.js';
import { processUser, recount } from './scenario.js';

/** What a write did: 204, a JSON body, or a Graph error. */
export type WriteOutcome =
  | { readonly ok: true; readonly body?: object }
  | { readonly ok: false; readonly status: number; readonly code: string; readonly message: string };

const bad = (message: string): WriteOutcome => ({ ok: false, status: 400, code: 'BadRequest', message });

/** Reads a JSON object body, or explains why it is not one. */
export function parseBody(text: string): Record<string, unknown> | string {
  if (text.trim() === '') return 'A request body is required.';
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    return 'The request body must be a JSON object.';
  } catch {
    return 'The request body is not valid JSON.';
  }
}

/**
 * `POST workflows/{id}/activate` with `{ subjects: [{ id }] }`: runs the workflow on demand for
 * those users now, as a new run with its results.
 * @see https://learn.microsoft.com/graph/api/identitygovernance-workflow-activate
 */
export function activateWorkflow(scenario: Scenario, random: Random, item: Item, body: Record<string, unknown>, nowMs: number): WriteOutcome {
  if (item.ref.t !== 'workflow') return bad('Only a workflow can be activated.');
  if (item.ref.deleted) return bad('A deleted workflow cannot be activated; restore it first.');
  const subjects = body['subjects'];
  if (!Array.isArray(subjects) || subjects.length === 0) return bad("The request body must name at least one user in 'subjects'.");
  const ids: string[] = [];
  for (const s of subjects) {
    const id = s !== null && typeof s === 'object' ? (s as { id?: unknown }).id : undefined;
    if (typeof id !== 'string' || findUser(scenario, id) === undefined) return bad(`Subject '${typeof id === 'string' ? id.slice(0, 80) : String(id)}' is not a user of this tenant.`);
    ids.push(id);
  }
  const w = item.ref.w;
  const scheduled = graphDateTime(nowMs, random.int(0, 9999));
  const run = {
    id: random.guid(),
    processingStatus: 'inProgress' as const,
    scheduledDateTime: scheduled,
    workflowExecutionType: 'onDemand' as const,
  };
  const record = { run, userProcessingResults: ids.map((id) => processUser(random, w, run, id, { fails: false, waiting: false })) };
  w.runs.push(record);
  for (const task of w.tasks) w.taskReports.push({ id: random.guid(), runId: run.id, processingStatus: 'queued', task });
  recount(w, record);
  return { ok: true };
}

/**
 * `POST …/taskProcessingResults/{id}/resume` with `{ data: { operationStatus } }`: completes (or
 * fails) a task waiting on a custom task extension, then the user's queued tasks run.
 * @see https://learn.microsoft.com/graph/api/identitygovernance-taskprocessingresult-resume
 */
export function resumeTask(random: Random, item: Item, body: Record<string, unknown>, nowMs: number): WriteOutcome {
  if (item.ref.t !== 'taskResult') return bad('Only a task processing result can be resumed.');
  const { w, r, tpr } = item.ref;
  const data = body['data'];
  const status = data !== null && typeof data === 'object' ? (data as { operationStatus?: unknown }).operationStatus : undefined;
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
  return { ok: true };
}

const PATCHABLE = new Set(['displayName', 'description', 'isEnabled', 'isSchedulingEnabled']);

/** `PATCH workflows/{id}`: the workflow's own properties that do not need a new version. */
export function updateWorkflow(item: Item, body: Record<string, unknown>, nowMs: number): WriteOutcome {
  if (item.ref.t !== 'workflow') return bad('Only a workflow can be updated here.');
  const workflow = item.ref.w.workflow as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith('@odata.')) continue;
    if (!PATCHABLE.has(key)) return bad(`Property '${key.slice(0, 80)}' cannot be updated with PATCH; create a new version instead.`);
    const want = key === 'isEnabled' || key === 'isSchedulingEnabled' ? 'boolean' : 'string';
    if (typeof value !== want && !(key === 'description' && value === null)) return bad(`Property '${key}' must be a ${want}.`);
    workflow[key] = value;
  }
  workflow['lastModifiedDateTime'] = graphDateTime(nowMs);
  return { ok: true };
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
  return { ok: true };
}

/** `POST deletedItems/workflows/{id}/restore`: back to the active workflows. */
export function restoreWorkflow(scenario: Scenario, item: Item): WriteOutcome {
  if (item.ref.t !== 'workflow' || !item.ref.deleted) return bad('Only a deleted workflow can be restored.');
  const w = item.ref.w;
  remove(scenario.deletedWorkflows, w);
  w.workflow.deletedDateTime = null;
  scenario.workflows.push(w);
  return { ok: true, body: w.workflow };
}

function remove(list: ScenarioWorkflow[], w: ScenarioWorkflow): void {
  const at = list.indexOf(w);
  if (at >= 0) list.splice(at, 1);
}
