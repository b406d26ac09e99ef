// `pnpm demo`: the idgov CLI on its embedded fake Graph (no network, no token), run from source
// so nothing needs building first.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const idgov = (args, { capture = false } = {}) => {
  // The demo always uses the embedded fake, whatever credentials this shell holds.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(IDGOV_|AZURE_)/.test(name)));
  const argv = ['--conditions=@idgov/source', '--import', 'tsx', 'packages/cli/src/bin/idgov.ts', ...args];
  if (!capture) console.log(`\n$ idgov ${args.map((arg) => (/[\s'()$;]/.test(arg) ? `"${arg}"` : arg)).join(' ')}`);
  return execFileSync(process.execPath, argv, { cwd: root, env, encoding: 'utf8', stdio: capture ? ['ignore', 'pipe', 'ignore'] : 'inherit' });
};
const json = (args) => JSON.parse(idgov([...args, '--format', 'json'], { capture: true }));

const [workflow] = json(['workflows', '--select', 'id,displayName,category']);
const runs = json(['runs', workflow.id, '--select', 'id,processingStatus,scheduledDateTime,failedUsersCount']);
const latest = runs.reduce((a, b) => (a.scheduledDateTime > b.scheduledDateTime ? a : b));
const earlier = runs.find((run) => run.id !== latest.id) ?? latest;

idgov(['workflows', '--select', 'id,displayName,category,version', '--format', 'table']);
idgov([
  'results', workflow.id, earlier.id,
  '--filter', "processingStatus eq 'completed'",
  '--select', 'id,processingStatus,completedDateTime,totalTasksCount',
  '--orderby', 'completedDateTime desc',
  '--top', '5', '--max-items', '10', '--format', 'table',
]);
idgov([
  'results', workflow.id, latest.id,
  '--filter', "processingStatus eq 'failed'",
  '--select', 'id,processingStatus,failedTasksCount,subject,taskProcessingResults',
  '--expand', 'subject($select=displayName),taskProcessingResults($select=id,processingStatus,failureReason)',
  '--format', 'table',
]);
