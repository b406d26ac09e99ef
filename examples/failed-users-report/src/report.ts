import type { LifecycleWorkflows } from '@idgov/client';

/** One user whose processing failed in a workflow's latest run, with the tasks that failed. */
export interface FailedUser {
  readonly workflow: string;
  readonly runId: string;
  readonly user: string;
  readonly userPrincipalName: string;
  readonly failedTasks: readonly string[];
}

/**
 * "Who failed in last night's run, and which task broke?" — for every workflow, its latest run's
 * failed users, with each failed task by name (from the workflow's own tasks, not its id).
 */
export async function failedUsersOfLatestRuns(lcw: LifecycleWorkflows): Promise<FailedUser[]> {
  const report: FailedUser[] = [];
  for await (const workflow of lcw.workflows.list({ select: ['id', 'displayName'] })) {
    const at = lcw.workflows(workflow.id);
    const [latest] = await collect(at.runs.list({ select: ['id', 'startedDateTime'], orderBy: ['startedDateTime desc'], top: 1, maxItems: 1 }));
    if (latest === undefined) continue;
    const taskNames = new Map<string, string>();
    for await (const task of at.tasks.list({ select: ['id', 'displayName'] })) taskNames.set(task.id, task.displayName);
    const failed = at.runs(latest.id).userProcessingResults.list({
      filter: "processingStatus eq 'failed'",
      select: ['id', 'subject'],
      expand: { subject: { select: ['displayName', 'userPrincipalName'] }, taskProcessingResults: true },
    });
    for await (const result of failed) {
      const failedTasks = result.taskProcessingResults
        .filter((task) => task.processingStatus === 'failed')
        .map((task) => taskNames.get(task.task?.id ?? '') ?? task.task?.displayName ?? 'unknown task');
      report.push({
        workflow: workflow.displayName,
        runId: latest.id,
        user: result.subject?.displayName ?? '',
        userPrincipalName: result.subject?.userPrincipalName ?? '',
        failedTasks,
      });
    }
  }
  return report;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
