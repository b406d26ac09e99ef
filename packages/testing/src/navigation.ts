import type { TaskFixture, TaskProcessingResultFixture, TaskReportFixture, UserFixture, WorkflowVersionFixture } from './factories.js';
import type { Scenario, ScenarioRun, ScenarioTemplate, ScenarioUserResult, ScenarioWorkflow } from './scenario.js';

/** Where an item sits in the scenario, so the fake can navigate on from it and write to it. */
export type Ref =
  | { readonly t: 'workflow'; readonly w: ScenarioWorkflow; readonly deleted: boolean }
  | { readonly t: 'run'; readonly w: ScenarioWorkflow; readonly r: ScenarioRun }
  | { readonly t: 'userResult'; readonly w: ScenarioWorkflow; readonly r: ScenarioRun; readonly u: ScenarioUserResult }
  | { readonly t: 'taskResult'; readonly w: ScenarioWorkflow; readonly r: ScenarioRun; readonly tpr: TaskProcessingResultFixture }
  | { readonly t: 'task'; readonly w: ScenarioWorkflow | undefined; readonly task: TaskFixture }
  | { readonly t: 'taskReport'; readonly w: ScenarioWorkflow; readonly report: TaskReportFixture }
  | { readonly t: 'version'; readonly w: ScenarioWorkflow; readonly v: WorkflowVersionFixture }
  | { readonly t: 'template'; readonly tpl: ScenarioTemplate }
  | { readonly t: 'leaf' };

/** An entity as served (`value`) and where it lives (`ref`). */
export interface Item {
  readonly value: object;
  readonly ref: Ref;
}

/** What a path resolves to: a collection (lazily listed) or one entity (null for an empty navigation). */
export type Resource =
  | { readonly kind: 'collection'; readonly path: string; readonly items: () => readonly Item[]; readonly windowed: boolean; readonly run?: ScenarioRun; readonly w?: ScenarioWorkflow }
  | { readonly kind: 'entity'; readonly path: string; readonly context: string; readonly item: Item | null };

/** A path that names something the scenario does not hold. */
export interface NotFound {
  readonly notFound: string;
}

const leaf = (value: object): Item => ({ value, ref: { t: 'leaf' } });
const usersIndex = new WeakMap<Scenario, { size: number; byId: Map<string, UserFixture> }>();

/** A user of the scenario by id (indexed once per scenario and user count). */
export function findUser(scenario: Scenario, id: string | undefined): UserFixture | undefined {
  let index = usersIndex.get(scenario);
  if (index?.size !== scenario.users.length) {
    index = { size: scenario.users.length, byId: new Map(scenario.users.map((u) => [u.id, u])) };
    usersIndex.set(scenario, index);
  }
  return id === undefined ? undefined : index.byId.get(id);
}

function userItem(scenario: Scenario, id: string | undefined): Item | null {
  const user = findUser(scenario, id);
  return user === undefined ? null : leaf(user);
}

const workflowItems = (list: readonly ScenarioWorkflow[], deleted: boolean): Item[] => list.map((w) => ({ value: w.workflow, ref: { t: 'workflow', w, deleted } }));
const runUserItems = (w: ScenarioWorkflow, r: ScenarioRun): Item[] => r.userProcessingResults.map((u) => ({ value: u.result, ref: { t: 'userResult', w, r, u } }));
const runTaskItems = (w: ScenarioWorkflow, r: ScenarioRun, only?: (t: TaskProcessingResultFixture) => boolean): Item[] =>
  r.userProcessingResults.flatMap((u) => u.taskProcessingResults.filter((t) => only?.(t) ?? true).map((tpr) => ({ value: tpr, ref: { t: 'taskResult', w, r, tpr } }) as const));
const taskItems = (w: ScenarioWorkflow | undefined, tasks: readonly TaskFixture[]): Item[] => tasks.map((task) => ({ value: task, ref: { t: 'task', w, task } }));

type Step = Resource | NotFound;

/**
 * Navigates one segment from an entity: the navigation properties of the slice's entities.
 * Returns undefined for a name the entity does not navigate.
 */
export function navigate(scenario: Scenario, item: Item, name: string, path: string): Resource | undefined {
  const ref = item.ref;
  const collection = (items: () => readonly Item[], extra: { windowed?: boolean; run?: ScenarioRun; w?: ScenarioWorkflow } = {}): Resource => ({
    kind: 'collection',
    path,
    items,
    windowed: extra.windowed ?? false,
    ...(extra.run === undefined ? {} : { run: extra.run }),
    ...(extra.w === undefined ? {} : { w: extra.w }),
  });
  const single = (found: Item | null): Resource => ({ kind: 'entity', path, context: `${path}/$entity`, item: found });
  switch (ref.t) {
    case 'workflow':
    case 'version': {
      const w = ref.w;
      switch (name) {
        case 'tasks':
          return collection(() => taskItems(w, w.tasks));
        case 'createdBy':
        case 'lastModifiedBy':
          return single(userItem(scenario, w.ownerId));
        // Scenarios hold no administrative units, preview subjects or reprocessed runs.
        case 'administrationScopeTargets':
          return collection(() => []);
      }
      if (ref.t === 'version') return undefined;
      switch (name) {
        case 'runs':
          return collection(() => w.runs.map((r) => ({ value: r.run, ref: { t: 'run', w, r } })), { w });
        case 'taskReports':
          return collection(() => w.taskReports.map((report) => ({ value: report, ref: { t: 'taskReport', w, report } })), { w });
        case 'versions':
          return collection(() => w.versions.map((v) => ({ value: v, ref: { t: 'version', w, v } })));
        case 'userProcessingResults':
          return collection(() => w.runs.flatMap((r) => runUserItems(w, r)), { windowed: true, w });
        case 'previewScope':
          return collection(() => []);
        case 'executionScope':
          return collection(() => {
            const last = w.runs.at(-1);
            return last === undefined ? [] : runUserItems(w, last);
          });
      }
      return undefined;
    }
    case 'run':
      if (name === 'reprocessedRuns') return collection(() => []);
      if (name === 'userProcessingResults') return collection(() => runUserItems(ref.w, ref.r), { run: ref.r, w: ref.w });
      if (name === 'taskProcessingResults') return collection(() => runTaskItems(ref.w, ref.r));
      return undefined;
    case 'userResult':
      if (name === 'reprocessedRuns') return collection(() => []);
      if (name === 'taskProcessingResults') return collection(() => ref.u.taskProcessingResults.map((tpr) => ({ value: tpr, ref: { t: 'taskResult', w: ref.w, r: ref.r, tpr } })));
      if (name === 'subject') return single(userItem(scenario, ref.u.result.subject?.id));
      return undefined;
    case 'taskResult':
      if (name === 'subject') return single(userItem(scenario, ref.tpr.subject?.id));
      if (name === 'task') return single(ref.tpr.task === null ? null : { value: ref.tpr.task, ref: { t: 'task', w: ref.w, task: ref.tpr.task } });
      return undefined;
    case 'task': {
      const { w, task } = ref;
      if (name !== 'taskProcessingResults') return undefined;
      return collection(() => (w === undefined ? [] : w.runs.flatMap((r) => runTaskItems(w, r, (t) => t.task?.id === task.id))));
    }
    case 'taskReport': {
      const { w, report } = ref;
      switch (name) {
        case 'task':
          return single(report.task === null ? null : { value: report.task, ref: { t: 'task', w, task: report.task } });
        case 'taskDefinition': {
          const definition = scenario.taskDefinitions.find((d) => d.id === report.task?.taskDefinitionId);
          return single(definition === undefined ? null : leaf(definition));
        }
        case 'taskProcessingResults': {
          const run = w.runs.find((r) => r.run.id === report.runId);
          return collection(() => (run === undefined ? [] : runTaskItems(w, run, (t) => t.task?.id === report.task?.id)));
        }
      }
      return undefined;
    }
    case 'template':
      return name === 'tasks' ? collection(() => taskItems(undefined, ref.tpl.tasks)) : undefined;
    case 'leaf':
      return undefined;
  }
}

const ROOT = 'identityGovernance/lifecycleWorkflows';

function rootCollection(scenario: Scenario, name: string, deleted: boolean): Resource | undefined {
  const path = `${ROOT}/${deleted ? 'deletedItems/' : ''}${name}`;
  const collection = (items: () => readonly Item[]): Resource => ({ kind: 'collection', path, items, windowed: false });
  switch (name) {
    case 'workflows':
      return collection(() => workflowItems(deleted ? scenario.deletedWorkflows : scenario.workflows, deleted));
    case 'workflowTemplates':
      return collection(() => scenario.workflowTemplates.map((tpl) => ({ value: tpl.template, ref: { t: 'template', tpl } })));
    case 'taskDefinitions':
      return collection(() => scenario.taskDefinitions.map(leaf));
    case 'customTaskExtensions':
      return collection(() => []);
  }
  return undefined;
}

/** What `{x-id}` names, for 404 messages. */
function describeKey(param: string): string {
  const name = param.replace(/-(id|versionNumber)$/, '');
  return name.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
}

function quoteKey(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Walks an operation's path template (after `/identityGovernance/lifecycleWorkflows`) over the
 * scenario. Function and action segments are left to the caller: the walk stops before them.
 */
export function resolve(scenario: Scenario, template: readonly string[], params: Readonly<Record<string, string>>): Step {
  let current: Resource | undefined;
  let deleted = false;
  for (const segment of template) {
    if (segment === '$count' || segment.startsWith('microsoft.graph.')) break;
    const param = /^\{(.+)\}$/.exec(segment)?.[1];
    if (current === undefined) {
      if (segment === 'deletedItems') {
        deleted = true;
        continue;
      }
      current = rootCollection(scenario, segment, deleted);
      if (current === undefined) return { notFound: `Resource not found for the segment '${segment}'.` };
      continue;
    }
    if (param !== undefined) {
      if (current.kind !== 'collection') return { notFound: `Resource not found for the segment '${params[param] ?? ''}'.` };
      const key = params[param] ?? '';
      const byVersion = param === 'workflowVersion-versionNumber';
      const found = current.items().find((i) => (byVersion ? String((i.value as { versionNumber?: number }).versionNumber) === key : (i.value as { id?: string }).id === key));
      const shown = key.length > 80 ? `${key.slice(0, 80)}…` : key;
      if (found === undefined) return { notFound: `The ${describeKey(param)} with id '${shown}' was not found.` };
      current = { kind: 'entity', path: `${current.path}(${byVersion ? key : quoteKey(key)})`, context: `${current.path}/$entity`, item: found };
      continue;
    }
    if (current.kind !== 'entity' || current.item === null) return { notFound: `Resource not found for the segment '${segment}'.` };
    const next = navigate(scenario, current.item, segment, `${current.path}/${segment}`);
    if (next === undefined) return { notFound: `Resource not found for the segment '${segment}'.` };
    current = next;
  }
  return current ?? { notFound: 'Resource not found.' };
}

/** Narrows a resolution to its failure. */
export function isNotFound(step: Step): step is NotFound {
  return 'notFound' in step;
}
