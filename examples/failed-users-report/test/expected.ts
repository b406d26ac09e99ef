import type { Scenario } from '@idgov/testing';
import type { FailedUser } from '../src/report.js';

/** What the report must say about a scenario, read from the scenario's own data (not through any fake). */
export function expectedFailedUsers(data: Scenario): FailedUser[] {
  const users = new Map(data.users.map((u) => [u.id, u]));
  return data.workflows.flatMap(({ workflow, tasks, runs }) => {
    const latest = [...runs].sort((a, b) => (b.run.startedDateTime ?? '').localeCompare(a.run.startedDateTime ?? ''))[0];
    if (latest === undefined) return [];
    const names = new Map(tasks.map((t) => [t.id, t.displayName]));
    return latest.userProcessingResults
      .filter(({ result }) => result.processingStatus === 'failed')
      .map(({ result, taskProcessingResults }) => ({
        workflow: workflow.displayName,
        runId: latest.run.id,
        user: users.get(result.subject?.id ?? '')?.displayName ?? '',
        userPrincipalName: users.get(result.subject?.id ?? '')?.userPrincipalName ?? '',
        failedTasks: taskProcessingResults.filter((t) => t.processingStatus === 'failed').map((t) => names.get(t.task?.id ?? '') ?? ''),
      }));
  });
}
