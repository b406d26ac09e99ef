import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRegistry, WorkspacePackage } from './registry.js';
import { freshFolder, publishablePackages, run, startRegistry, tscBin } from './registry.js';

let registry: LocalRegistry;
let packages: WorkspacePackage[];

beforeAll(async () => {
  registry = await startRegistry();
  packages = await publishablePackages();
  for (const pkg of packages) {
    // pnpm rewrites workspace ranges and applies publishConfig, as a real release does.
    await run('pnpm', ['publish', '--registry', registry.url, '--no-git-checks', '--access', 'public'], { cwd: pkg.dir, env: registry.env });
  }
});

afterAll(async () => {
  await registry.stop();
});

const npmInstall = (cwd: string, ...specs: string[]) => run('npm', ['install', '--no-package-lock', ...specs], { cwd, env: registry.env });
const node = async (cwd: string, script: string): Promise<string> => (await run(process.execPath, [script], { cwd })).stdout.trim();
const tsc = (cwd: string, project: string) => run(process.execPath, [tscBin, '-p', project], { cwd });

const tsconfig = (compilerOptions: Record<string, unknown>): string =>
  JSON.stringify({ compilerOptions: { strict: true, noEmit: true, skipLibCheck: false, target: 'ES2022', types: [], lib: ['ES2023', 'DOM'], ...compilerOptions }, files: ['consumer.ts'] });

/** A fetch that answers one page of workflows, so the scripts need no network and no fake. */
const stubFetch = `async (request) => new Response(JSON.stringify({ value: [{ id: 'w1', displayName: 'Onboard' }] }), { headers: { 'content-type': 'application/json' } })`;

describe('packages installed by name from a registry, outside the workspace', () => {
  it('published every package with its workspace ranges resolved', async () => {
    expect(packages.map((p) => p.name)).toEqual(['@idgov/archive', '@idgov/cli', '@idgov/client', '@idgov/odata', '@idgov/testing', '@idgov/types']);
    const manifest = (await run('npm', ['view', '@idgov/client', '--json'], { cwd: packages[0]?.dir ?? '.', env: registry.env })).stdout;
    const view = JSON.parse(manifest) as { dependencies: Record<string, string>; exports: Record<string, unknown> };
    expect(view.dependencies['@idgov/types']).toMatch(/^\^\d+\.\d+\.\d+$/);
    expect(JSON.stringify(view.exports)).not.toContain('@idgov/source');
  });

  it('@idgov/client alone: ESM, CommonJS, and tsc with node16 and bundler resolution', async () => {
    const consumer = `import { createClient, isGraphError } from '@idgov/client';
import type { UserProcessingResult } from '@idgov/types';
const client = createClient({ baseUrl: 'https://graph.microsoft.com/v1.0', token: 't' });
const result: Pick<UserProcessingResult, 'id'> = { id: 'x' };
export const listed = client.paginate('/identityGovernance/lifecycleWorkflows/workflows');
export { isGraphError, result };
`;
    const dir = await freshFolder('client', {
      'package.json': JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
      'esm.mjs': `import { createClient } from '@idgov/client';
const client = createClient({ baseUrl: 'https://graph.microsoft.com/v1.0', token: 't', fetch: ${stubFetch} });
const ids = [];
for await (const item of client.paginate('/identityGovernance/lifecycleWorkflows/workflows')) ids.push(item.id);
console.log(JSON.stringify(ids));
`,
      'cjs.cjs': `const { createClient } = require('@idgov/client');
const client = createClient({ baseUrl: 'https://graph.microsoft.com/v1.0', token: 't', fetch: ${stubFetch} });
(async () => {
  const ids = [];
  for await (const item of client.paginate('/identityGovernance/lifecycleWorkflows/workflows')) ids.push(item.id);
  console.log(JSON.stringify(ids));
})();
`,
      'consumer.ts': consumer,
      'tsconfig.node16.json': tsconfig({ module: 'node16', moduleResolution: 'node16' }),
      'tsconfig.bundler.json': tsconfig({ module: 'esnext', moduleResolution: 'bundler' }),
      'tsconfig.loose.json': tsconfig({ module: 'node16', moduleResolution: 'node16', strict: false, strictNullChecks: false }),
    });
    await npmInstall(dir, '@idgov/client', '@idgov/types');
    const installed = JSON.parse(await readFile(join(dir, 'node_modules/@idgov/client/package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(installed.dependencies).sort()).toEqual(['@idgov/odata', '@idgov/types', 'openapi-fetch']);
    expect(await node(dir, 'esm.mjs')).toBe('["w1"]');
    expect(await node(dir, 'cjs.cjs')).toBe('["w1"]');
    await tsc(dir, 'tsconfig.node16.json');
    await tsc(dir, 'tsconfig.bundler.json');
    await tsc(dir, 'tsconfig.loose.json');
    // Go-to-definition: every declaration map of the installed client points at a shipped source.
    const dist = join(dir, 'node_modules/@idgov/client/dist');
    const maps = (await readdir(dist)).filter((file) => file.endsWith('.d.ts.map'));
    expect(maps.length).toBeGreaterThan(0);
    for (const file of maps) {
      const { sources } = JSON.parse(await readFile(join(dist, file), 'utf8')) as { sources: string[] };
      for (const source of sources) expect(existsSync(join(dist, source)), `${file} → ${source}`).toBe(true);
    }
  });

  it('@idgov/testing alone: the fake answers in ESM and CommonJS, and type-checks', async () => {
    const script = (load: string) => `${load}
const fake = createFakeGraph({ scenario: createScenario({ seed: 3, workflows: 2 }) });
fake.fetch(fake.baseUrl + '/identityGovernance/lifecycleWorkflows/workflows?$select=id', { headers: { authorization: 'Bearer t' } })
  .then((response) => response.json())
  .then((body) => console.log(body.value.length));
`;
    const dir = await freshFolder('testing', {
      'package.json': JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
      'esm.mjs': script("import { createFakeGraph, createScenario } from '@idgov/testing';"),
      'cjs.cjs': script("const { createFakeGraph, createScenario } = require('@idgov/testing');"),
      'consumer.ts': `import { createFakeGraph, createScenario } from '@idgov/testing';
import type { FakeGraph } from '@idgov/testing';
export const fake: FakeGraph = createFakeGraph({ scenario: createScenario({ seed: 1 }) });
`,
      'tsconfig.node16.json': tsconfig({ module: 'node16', moduleResolution: 'node16', types: ['node'] }),
      'tsconfig.bundler.json': tsconfig({ module: 'esnext', moduleResolution: 'bundler', types: ['node'] }),
    });
    await npmInstall(dir, '@idgov/testing', '@types/node@20');
    expect(await node(dir, 'esm.mjs')).toBe('2');
    expect(await node(dir, 'cjs.cjs')).toBe('2');
    await tsc(dir, 'tsconfig.node16.json');
    await tsc(dir, 'tsconfig.bundler.json');
  });

  it('@idgov/cli installed globally into a prefix runs idgov results and idgov archive sync on the embedded fake', async () => {
    const prefix = await freshFolder('prefix');
    await run('npm', ['install', '--global', '--prefix', prefix, '@idgov/cli'], { cwd: prefix, env: registry.env });
    const idgov = join(prefix, 'bin/idgov');
    const clean = { IDGOV_TOKEN: '', AZURE_TENANT_ID: '', AZURE_CLIENT_ID: '', AZURE_CLIENT_SECRET: '', IDGOV_BASE_URL: '' };
    const workflows = JSON.parse((await run(idgov, ['workflows', '--demo', '--select', 'id', '--format', 'json'], { cwd: prefix, env: clean })).stdout) as { id: string }[];
    const workflowId = workflows[0]?.id ?? '';
    const runs = JSON.parse((await run(idgov, ['runs', workflowId, '--demo', '--select', 'id', '--format', 'json'], { cwd: prefix, env: clean })).stdout) as { id: string }[];
    const results = await run(idgov, ['results', workflowId, runs[0]?.id ?? '', '--demo', '--select', 'id,processingStatus', '--format', 'ndjson'], { cwd: prefix, env: clean });
    const lines = results.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(0);
    expect(Object.keys(lines[0] ?? {}).sort()).toEqual(['id', 'processingStatus']);
    expect(results.stderr).toContain('embedded fake Graph');
    // A new embedded archive starts from the empty cluster the package ships for the PGlite it installed.
    const installed = join(prefix, 'lib/node_modules/@idgov/cli/node_modules');
    const pglite = (JSON.parse(await readFile(join(installed, '@electric-sql/pglite/package.json'), 'utf8')) as { version: string }).version;
    expect(existsSync(join(installed, '@idgov/archive/dist', `empty-cluster-pglite-${pglite}.tar.gz`))).toBe(true);
    const archived = await run(idgov, ['archive', 'sync', '--demo', '--db', join(prefix, 'archive')], { cwd: prefix, env: clean });
    expect(archived.stdout).toMatch(/^archived tenant demo: 3 workflows, 12 runs read /);
  });

  it('a consumer monorepo with the registry scoped in .npmrc depends on the published versions and type-checks', async () => {
    const version = (name: string): string => `^${packages.find((p) => p.name === name)?.version ?? ''}`;
    const dir = await freshFolder('monorepo', {
      '.npmrc': `@idgov:registry=${registry.url}\n`,
      'package.json': JSON.stringify({ name: 'internal', private: true }),
      'pnpm-workspace.yaml': 'packages:\n  - packages/*\n',
      'packages/reports/package.json': JSON.stringify({
        name: '@internal/reports',
        version: '1.0.0',
        type: 'module',
        exports: './index.ts',
        dependencies: { '@idgov/client': version('@idgov/client'), '@idgov/odata': version('@idgov/odata'), '@idgov/types': version('@idgov/types') },
      }),
      'packages/reports/index.ts': `import { createClient } from '@idgov/client';
import { formatFilter, parseFilter } from '@idgov/odata';
import type { UserProcessingResult } from '@idgov/types';
export const failedOnly = formatFilter(parseFilter("processingStatus eq 'failed'"));
export function failedUsers(token: string, workflowId: string, runId: string): AsyncIterable<UserProcessingResult> {
  const client = createClient({ token });
  return client.paginate('/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}/userProcessingResults', {
    params: { path: { 'workflow-id': workflowId, 'run-id': runId }, query: { $filter: failedOnly } },
  });
}
`,
      'packages/app/package.json': JSON.stringify({
        name: '@internal/app',
        version: '1.0.0',
        type: 'module',
        dependencies: { '@internal/reports': 'workspace:*', '@idgov/testing': version('@idgov/testing') },
      }),
      'packages/app/main.ts': `import { failedUsers } from '@internal/reports';
import { createFakeGraph } from '@idgov/testing';
const fake = createFakeGraph();
for await (const result of failedUsers('t', 'w', 'r')) console.log(result.id, result.processingStatus, fake.baseUrl);
`,
      'packages/app/tsconfig.json': JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'ES2022', types: [], lib: ['ES2023', 'DOM'], allowImportingTsExtensions: true },
        files: ['main.ts'],
      }),
    });
    // The workspace's own .npmrc scopes @idgov to the registry; everything else comes from the default one.
    const { NPM_CONFIG_USERCONFIG: userConfig, npm_config_registry: defaultRegistry, ...env } = registry.env;
    await run('pnpm', ['install'], { cwd: dir, env });
    const lock = await readFile(join(dir, 'pnpm-lock.yaml'), 'utf8');
    expect(lock).toContain(`'@idgov/client':\n        specifier: ${version('@idgov/client')}`);
    await tsc(join(dir, 'packages/app'), 'tsconfig.json');
  });
});
