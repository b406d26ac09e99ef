// `pnpm demo`: the idgov CLI on its embedded fake Graph (no network, no token), run from source
// so nothing needs building first. Tables fit the terminal, or 100 columns when piped.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// The demo always uses the embedded fake, whatever credentials this shell holds.
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(IDGOV_|AZURE_)/.test(name))),
  ...(process.stdout.isTTY ? {} : { COLUMNS: '100' }),
};
const idgov = (args, { capture = false } = {}) => {
  const argv = ['--conditions=@idgov/source', '--import', 'tsx', 'packages/cli/src/bin/idgov.ts', ...args, '--demo'];
  if (!capture) console.log(`\n${shown(['$ idgov', ...args.map((arg) => (/[\s'()$;]/.test(arg) ? `"${arg}"` : arg)), '--demo'])}`);
  // The demo banner is printed once, below; each command's own stderr line is left out.
  return execFileSync(process.execPath, argv, { cwd: root, env, encoding: 'utf8', stdio: capture ? ['ignore', 'pipe', 'ignore'] : ['ignore', 'inherit', 'ignore'] });
};
// A long command line continues on the next line, as a shell would take it, within 100 columns.
const shown = (words) => {
  const lines = [''];
  for (const word of words) {
    const last = lines.length - 1;
    if (lines[last] !== '' && lines[last].length + word.length + 3 > 100) lines.push(`    ${word}`);
    else lines[last] = lines[last] === '' ? word : `${lines[last]} ${word}`;
  }
  return lines.join(' \\\n');
};
const json = (args) => JSON.parse(idgov([...args, '--format', 'json'], { capture: true }));

console.log('A demo tenant with a joiner, a mover and a leaver workflow (onboarding, a department change,');
console.log('offboarding); each runs nightly for the users it applies to. Who failed last night, and why?');

const [workflow] = json(['workflows', '--select', 'id']);
idgov(['workflows', '--select', 'displayName,category,isEnabled,version', '--format', 'table']);
idgov(['runs', workflow.id, '--select', 'startedDateTime,processingStatus,totalUsersCount,failedUsersCount', '--orderby', 'startedDateTime desc', '--format', 'table']);
idgov(['failures', '--format', 'table']);
