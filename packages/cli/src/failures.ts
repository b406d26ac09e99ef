import type { GraphClient, LifecycleWorkflows, RunRef } from '@idgov/client';
import { batch, lifecycleWorkflows } from '@idgov/client';
import { text, UsageError } from './args.js';
import type { Context } from './commands.js';
import { connect } from './connect.js';
import { emit } from './list.js';
import { pointInTime } from './time.js';

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The columns of `idgov failures`, one row per failed task. */
export const failureColumns = ['workflow', 'runStarted', 'user', 'userPrincipalName', 'task', 'failureReason', 'taskStarted', 'taskCompleted'] as const;
// What a terminal's table shows unless --wide: who, which task, why, when.
const tableColumns: readonly string[] = ['workflow', 'user', 'task', 'failureReason', 'taskCompleted'];

interface Named { readonly id: string; readonly displayName: string }
interface RunOf extends RunRef { readonly workflow: string; readonly started: string | null }

interface Failed {
  readonly subject?: { readonly displayName?: string | null; readonly userPrincipalName?: string | null; readonly id?: string } | null;
  readonly taskProcessingResults?: readonly {
    readonly processingStatus?: string;
    readonly failureReason?: string | null;
    readonly startedDateTime?: string | null;
    readonly completedDateTime?: string | null;
    readonly task?: { readonly id?: string; readonly displayName?: string | null } | null;
  }[];
}

/**
 * `idgov failures [<workflow>] [--run latest|<id>] [--since 7d]`: who failed and which task broke.
 * Requests: the workflows (one list, or none for an id), one `$batch` with every workflow's runs
 * and task names, then each run's failed users with their subject and task results expanded,
 * four runs at a time.
 */
export async function failuresCommand(context: Context): Promise<number> {
  const { io, flags, args } = context;
  const since = text(flags, 'since');
  const until = text(flags, 'until');
  const run = text(flags, 'run');
  if (run !== undefined && (since !== undefined || until !== undefined)) throw new UsageError('--run picks one run; --since and --until pick runs by date: use one or the other');
  if (run !== undefined && run !== 'latest' && args[0] === undefined) throw new UsageError('--run <runId> needs the workflow: idgov failures <workflowId> --run <runId>');
  const range = [
    ...(since === undefined ? [] : [`startedDateTime ge ${pointInTime(since, '--since', io.now())}`]),
    ...(until === undefined ? [] : [`startedDateTime lt ${pointInTime(until, '--until', io.now())}`]),
  ];
  const graph = await connect(context);
  const tree = lifecycleWorkflows(graph);
  const workflows = await chosenWorkflows(tree, args[0], io.signal);
  const { runs, taskNames } = await runsAndTasks(graph, tree, workflows, run, range, io.signal);
  const query = {
    filter: "processingStatus eq 'failed'",
    expand: ['subject($select=displayName,userPrincipalName)', 'taskProcessingResults'],
    signal: io.signal,
  };
  const byId = new Map(runs.map((r) => [r.runId, r]));
  let users = 0;
  const narrow = context.format === 'table' && flags['wide'] !== true;
  const shown = (row: Record<string, unknown>): Record<string, unknown> => (narrow ? Object.fromEntries(tableColumns.map((c) => [c, row[c]])) : row);
  return emit(context, { columns: failureColumns }, async (write) => {
    for await (const page of tree.userProcessingResultsAcrossRuns(runs, query as never, { concurrency: 4 })) {
      const where = byId.get(page.runId);
      const rows = (page.value as Failed[]).flatMap((result) => {
        const failedTasks = (result.taskProcessingResults ?? []).filter((t) => t.processingStatus === 'failed');
        const user = { workflow: where?.workflow ?? page.workflowId, runStarted: where?.started ?? null, user: result.subject?.displayName ?? null, userPrincipalName: result.subject?.userPrincipalName ?? null };
        if (failedTasks.length === 0) return [{ ...user, task: null, failureReason: null, taskStarted: null, taskCompleted: null }];
        return failedTasks.map((t) => ({
          ...user,
          // The name as the task result carries it, else from the workflow's tasks; the id only as a last resort.
          task: t.task?.displayName ?? taskNames.get(t.task?.id ?? '') ?? t.task?.id ?? null,
          failureReason: t.failureReason ?? null,
          taskStarted: t.startedDateTime ?? null,
          taskCompleted: t.completedDateTime ?? null,
        }));
      });
      users += page.value.length;
      await write(rows.map(shown));
      context.progress.page(runs.length, users, undefined);
    }
  });
}

/** The workflow given by id or display name, or every workflow. */
async function chosenWorkflows(tree: LifecycleWorkflows, wanted: string | undefined, signal: AbortSignal): Promise<Named[]> {
  if (wanted !== undefined && guid.test(wanted)) {
    const workflow = await tree.workflows(wanted).get({ select: ['id', 'displayName'], signal });
    return [{ id: wanted, displayName: workflow.displayName }];
  }
  const all: Named[] = [];
  for await (const w of tree.workflows.list({ select: ['id', 'displayName'], signal })) all.push({ id: w.id, displayName: w.displayName });
  if (wanted === undefined) return all;
  const named = all.filter((w) => w.displayName.toLowerCase() === wanted.toLowerCase());
  if (named.length === 0) throw new Error(`no workflow has the id or display name '${wanted}'`);
  return named;
}

/** One `$batch` of the tree's own requests: each workflow's chosen runs and its tasks' names. */
async function runsAndTasks(graph: GraphClient, tree: LifecycleWorkflows, workflows: readonly Named[], run: string | undefined, range: readonly string[], signal: AbortSignal): Promise<{ runs: RunOf[]; taskNames: Map<string, string> }> {
  const single = run !== undefined && run !== 'latest';
  const select = ['id', 'startedDateTime'] as const;
  const runsQuery: { readonly select: typeof select; readonly filter?: string; readonly orderBy?: readonly ['startedDateTime desc']; readonly top?: number } =
    range.length > 0 ? { select, filter: range.join(' and ') } : { select, orderBy: ['startedDateTime desc'], top: 1 };
  const requests = workflows.flatMap((w) => [
    single ? tree.workflows(w.id).runs(run).get.request({ select }) : tree.workflows(w.id).runs.list.request(runsQuery),
    tree.workflows(w.id).tasks.list.request({ select: ['id', 'displayName'] }),
  ]);
  const answers = await batch(graph, requests, { signal });
  const runs: RunOf[] = [];
  const taskNames = new Map<string, string>();
  for (const [index, workflow] of workflows.entries()) {
    const [runsAnswer, tasksAnswer] = [answers[2 * index], answers[2 * index + 1]];
    if (runsAnswer?.error !== undefined) throw runsAnswer.error;
    const answered = runsAnswer?.data as { id?: string; startedDateTime?: string | null; value?: { id?: string; startedDateTime?: string | null }[]; '@odata.nextLink'?: string } | undefined;
    let listed = single ? (answered === undefined ? [] : [answered]) : (answered?.value ?? []);
    if (range.length > 0 && answered?.['@odata.nextLink'] !== undefined) {
      // More runs in the period than one page: list them all, outside the batch.
      listed = [];
      for await (const r of tree.workflows(workflow.id).runs.list({ ...runsQuery, signal })) listed.push(r);
    }
    for (const r of listed) runs.push({ workflowId: workflow.id, runId: r.id ?? '', workflow: workflow.displayName, started: r.startedDateTime ?? null });
    for (const t of (tasksAnswer?.data as { value?: { id?: string; displayName?: string | null }[] } | undefined)?.value ?? []) {
      if (t.id !== undefined && typeof t.displayName === 'string') taskNames.set(t.id, t.displayName);
    }
  }
  return { runs, taskNames };
}
