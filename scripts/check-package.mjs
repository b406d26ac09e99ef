// Checks the package in the current folder as it will be published: packs it with pnpm (so
// publishConfig applies and workspace ranges become versions), then runs publint --strict and
// Are the Types Wrong on that tarball. Run by each package's `check:package` script.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = mkdtempSync(join(tmpdir(), 'idgov-pack-'));
const run = (command, args) => execFileSync(command, args, { stdio: 'inherit' });
try {
  run('pnpm', ['pack', '--pack-destination', out]);
  const tarball = join(out, readdirSync(out).find((file) => file.endsWith('.tgz')));
  run('publint', ['--strict', tarball]);
  // ESM only, by design: CommonJS consumers load it with require(esm), Node >= 20.19.
  run('attw', [tarball, '--profile', 'esm-only', '--format', 'table-flipped']);
} catch {
  process.exitCode = 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
