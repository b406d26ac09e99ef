import type { ChildProcess } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const verdaccioServer = fileURLToPath(new URL('./verdaccio-server.mjs', import.meta.url));
export const tscBin = join(repoRoot, 'node_modules/typescript/bin/tsc');

export interface Run {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command; a failure throws with its whole output, which is what a reader needs. */
export async function run(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { stdout, stderr };
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${options.cwd}\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface LocalRegistry {
  readonly url: string;
  /** An npm user config naming the registry and a dummy token; pass as NPM_CONFIG_USERCONFIG. */
  readonly npmrc: string;
  /** Environment for npm and pnpm: the registry for everything, the token for publishing. */
  readonly env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/**
 * Starts Verdaccio on 127.0.0.1: `@idgov/*` packages live only there; everything else is proxied
 * to the registry npm is configured with, so third-party dependencies install as usual.
 */
export async function startRegistry(): Promise<LocalRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'idgov-registry-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const upstream = (await run('npm', ['config', 'get', 'registry'], { cwd: dir })).stdout.trim();
  await writeFile(
    join(dir, 'config.yaml'),
    [
      `storage: ${join(dir, 'storage')}`,
      'uplinks:',
      '  upstream:',
      `    url: ${upstream}`,
      '    timeout: 60s',
      'packages:',
      "  '@idgov/*':",
      '    access: $all',
      '    publish: $all',
      "  '**':",
      '    access: $all',
      '    proxy: upstream',
      'log: { type: stdout, format: pretty, level: error }',
      '',
    ].join('\n'),
  );
  const npmrc = join(dir, '.npmrc');
  await writeFile(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=dummy-e2e-token\n`);
  const child: ChildProcess = spawn(process.execPath, [verdaccioServer, join(dir, 'config.yaml'), String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}-/ping`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (attempt > 150) throw new Error(`verdaccio did not start in 30 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const env = {
    NPM_CONFIG_USERCONFIG: npmrc,
    npm_config_registry: url,
    npm_config_cache: join(dir, 'npm-cache'),
    npm_config_store_dir: join(dir, 'pnpm-store'),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  return {
    url,
    npmrc,
    env,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

export interface WorkspacePackage {
  readonly name: string;
  readonly dir: string;
  readonly version: string;
}

/** The packages the workspace publishes: every non-private one under packages/. */
export async function publishablePackages(): Promise<WorkspacePackage[]> {
  const base = join(repoRoot, 'packages');
  const found: WorkspacePackage[] = [];
  for (const entry of (await readdir(base)).sort()) {
    const manifest = JSON.parse(await readFile(join(base, entry, 'package.json'), 'utf8')) as { name: string; version: string; private?: boolean };
    if (manifest.private !== true) found.push({ name: manifest.name, dir: join(base, entry), version: manifest.version });
  }
  return found;
}

/** A fresh folder outside the workspace, so nothing resolves from the monorepo's node_modules. */
export async function freshFolder(name: string, files: Readonly<Record<string, string>> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `idgov-e2e-${name}-`));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}
