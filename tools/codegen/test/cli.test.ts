import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseYaml } from '../src/index.js';
import { fixtures, repoRoot, upstream } from './paths.js';

// The built bin, as users run it (turbo builds it before this test).
const bin = join(repoRoot, 'tools/codegen/dist/cli.js');
const run = async (cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
};

/** A port nothing listens on: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A throwaway workspace: the tiny fixture as its upstream (or the given config), @idgov/types at 0.x. */
async function workspace(config = join(fixtures, 'tiny.config.yaml')): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'idgov-codegen-'));
  await writeFile(join(dir, 'pnpm-workspace.yaml'), 'packages: []\n');
  await cp(config, join(dir, 'openapi/slice.config.yaml'));
  await cp(join(fixtures, 'tiny.openapi.yaml'), join(dir, 'tiny.openapi.yaml'));
  await mkdir(join(dir, 'packages/types'), { recursive: true });
  await writeFile(join(dir, 'packages/types/package.json'), '{"name": "@idgov/types", "version": "0.4.0"}\n');
  return dir;
}

const git = async (cwd: string, ...args: string[]): Promise<string> =>
  (await promisify(execFile)('git', ['-c', 'user.name=idgov', '-c', 'user.email=idgov@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd })).stdout;

/** A git checkout whose one commit holds the slice of `source` and its types, as released (no changeset left). */
async function committedWorkspace(source: string, config?: string): Promise<string> {
  const dir = await workspace(config);
  await git(dir, 'init', '--quiet');
  const update = await run(dir, 'spec:update', source);
  expect(update.code, update.stderr).toBe(0);
  await rm(join(dir, '.changeset/spec-update.md'));
  await git(dir, 'add', '--all');
  await git(dir, 'commit', '--quiet', '--message', 'released');
  return dir;
}

/** The tiny fixture as an older upstream had it: no deletedItems mirror, no workflow version. */
async function writeOlderTiny(dir: string): Promise<string> {
  const doc = parseYaml(await readFile(join(fixtures, 'tiny.openapi.yaml'), 'utf8'), 'tiny') as {
    paths: Record<string, unknown>;
    components: { schemas: Record<string, { allOf: { properties?: Record<string, unknown> }[] }> };
  };
  delete doc.paths['/identityGovernance/lifecycleWorkflows/deletedItems/workflows/{workflow-id}/createdBy'];
  delete doc.components.schemas['microsoft.graph.identityGovernance.workflow']?.allOf[1]?.properties?.['version'];
  await writeFile(join(dir, 'older.json'), JSON.stringify(doc));
  return 'older.json';
}

describe('idgov-codegen', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await workspace();
    const update = await run(dir, 'spec:update', 'tiny.openapi.yaml');
    expect(update.code, update.stderr).toBe(0);
  });

  it('spec:update writes the slice, the types and a changeset whose bump follows the report', async () => {
    const changeset = await readFile(join(dir, '.changeset/spec-update.md'), 'utf8');
    expect(changeset.split('\n').slice(0, 3)).toEqual(['---', "'@idgov/types': minor", '---']);
    expect(changeset).toContain('- operation GET /identityGovernance/lifecycleWorkflows/workflows: added');
    await expect(readFile(join(dir, 'packages/types/src/generated/openapi.ts'), 'utf8')).resolves.toContain('export interface paths');
  });

  it('generate --check passes on fresh output and names the edited file when it drifts', async () => {
    expect((await run(dir, 'generate', '--check')).code).toBe(0);
    const edited = join(dir, 'packages/types/src/generated/metadata.ts');
    await writeFile(edited, `${await readFile(edited, 'utf8')}// hand edit\n`);
    const drift = await run(dir, 'generate', '--check');
    expect(drift.code).toBe(1);
    expect(drift.stderr).toBe('out of date: packages/types/src/generated/metadata.ts\nrun `pnpm generate` and commit the result\n');
    expect((await run(dir, 'generate')).code).toBe(0);
    expect((await run(dir, 'generate', '--check')).code).toBe(0);
  });

  const badInputs: [string, (dir: string) => Promise<string[]>, RegExp][] = [
    ['a missing file', () => Promise.resolve(['slice', 'nope.yaml']), /^idgov-codegen: nope\.yaml: no such file\n$/],
    ['YAML that does not parse', async (d) => { await writeFile(join(d, 'bad.yaml'), 'openapi: 3.0.1\npaths:\n  a: [1,\n'); return ['slice', 'bad.yaml']; }, /^idgov-codegen: bad\.yaml:4:1: YAML does not parse: .+\n$/],
    ['a document that is not OpenAPI 3.x', async (d) => { await writeFile(join(d, 'swagger.json'), '{"swagger": "2.0", "paths": {}}'); return ['slice', 'swagger.json']; }, /^idgov-codegen: swagger\.json: not an OpenAPI 3\.x document/],
    ['a config whose include matches no path', async (d) => {
      await writeFile(join(d, 'empty.yaml'), 'openapi: 3.0.1\ninfo: {version: v1.0}\npaths: {}\ncomponents: {schemas: {}}\n');
      return ['slice', 'empty.yaml'];
    }, /^idgov-codegen: slice config: include "\/workflows", "\/deletedItems\/workflows" matches no path under \/identityGovernance\/lifecycleWorkflows\n$/],
    ['a description none of whose paths the config includes, to spec:update', async (d) => {
      await writeFile(join(d, 'empty.yaml'), 'openapi: 3.0.1\ninfo: {version: v1.0}\npaths: {}\ncomponents: {schemas: {}}\n');
      return ['spec:update', 'empty.yaml'];
    }, /^idgov-codegen: empty\.yaml: no path under \/identityGovernance\/lifecycleWorkflows matches an include of the slice config\n$/],
    ['an unreachable URL', async () => ['slice', `http://127.0.0.1:${await closedPort()}/graph.yaml`], /^idgov-codegen: http:\/\/127\.0\.0\.1:\d+\/graph\.yaml: unreachable \(ECONNREFUSED\)\n$/],
  ];
  for (const [what, args, message] of badInputs) {
    it(`answers ${what} with one line and exit code 2`, async () => {
      const result = await run(dir, ...(await args(dir)));
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    });
  }

  it('diff --json prints only the report, as JSON', async () => {
    const older = await writeOlderTiny(dir);
    const result = await run(dir, 'diff', older, 'tiny.openapi.yaml', '--json');
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { bump: string; proseChanges: number; groups: { summary: string }[] };
    expect(report).toMatchObject({ bump: 'minor', proseChanges: 0 });
    expect(report.groups.map((g) => g.summary)).toEqual([
      'operation GET /identityGovernance/lifecycleWorkflows/deletedItems/workflows/{workflow-id}/createdBy: added',
      'property microsoft.graph.identityGovernance.workflow.version: added',
    ]);
  });
});

describe('idgov-codegen spec:update is net against the released slice', () => {
  const changeset = (dir: string): Promise<string> => readFile(join(dir, '.changeset/spec-update.md'), 'utf8');

  it('writes every breaking change of an older description, then going back leaves nothing pending', async () => {
    const dir = await committedWorkspace('tiny.openapi.yaml');
    const older = await writeOlderTiny(dir);
    const back = await run(dir, 'spec:update', older);
    expect(back.code, back.stderr).toBe(0);
    expect(await changeset(dir)).toContain(
      [
        'Breaking at compile time:',
        '- operation GET /identityGovernance/lifecycleWorkflows/deletedItems/workflows/{workflow-id}/createdBy: removed',
        '- property microsoft.graph.identityGovernance.workflow.version: removed',
      ].join('\n'),
    );
    expect((await changeset(dir)).split('\n')[1]).toBe("'@idgov/types': minor");

    const forth = await run(dir, 'spec:update', 'tiny.openapi.yaml');
    expect(forth.code, forth.stderr).toBe(0);
    expect(forth.stdout).toContain('removed .changeset/spec-update.md: nothing left to release');
    expect(await git(dir, 'status', '--porcelain', '--untracked-files=no')).toBe('');
  });

  it('stays net when the older slice and its changeset were committed in between', async () => {
    const dir = await committedWorkspace('tiny.openapi.yaml');
    expect((await run(dir, 'spec:update', await writeOlderTiny(dir))).code).toBe(0);
    await git(dir, 'add', '--all');
    await git(dir, 'commit', '--quiet', '--message', 'older');
    const forth = await run(dir, 'spec:update', 'tiny.openapi.yaml');
    expect(forth.stdout).toContain('Changes since openapi/tiny.slice.yaml at ');
    expect(forth.stdout).toContain('No changes to operations, schemas, properties, enums or parameters.');
    expect(existsSync(join(dir, '.changeset/spec-update.md'))).toBe(false);
    expect(await git(dir, 'diff', '--stat', 'HEAD~1', '--', 'openapi', 'packages')).toBe('');
  });

  it('replaces its own changeset instead of stacking another', async () => {
    const dir = await committedWorkspace('tiny.openapi.yaml');
    expect((await run(dir, 'spec:update', await writeOlderTiny(dir))).code).toBe(0);
    const first = await changeset(dir);
    expect((await run(dir, 'spec:update', await writeOlderTiny(dir))).code).toBe(0);
    expect(await changeset(dir)).toBe(first);
    expect((await git(dir, 'status', '--porcelain', '--', '.changeset')).trim()).toBe('?? .changeset/');
  });

  it('takes over a changeset an earlier generator stacked under the upstream hash', async () => {
    const dir = await committedWorkspace('tiny.openapi.yaml');
    expect((await run(dir, 'spec:update', await writeOlderTiny(dir))).code).toBe(0);
    await rename(join(dir, '.changeset/spec-update.md'), join(dir, '.changeset/spec-update-0123abcd.md'));
    await git(dir, 'add', '--all');
    await git(dir, 'commit', '--quiet', '--message', 'older, with a stacked changeset');
    const again = await run(dir, 'spec:update', 'older.json');
    expect(again.stdout).toContain('wrote .changeset/spec-update.md (replacing .changeset/spec-update-0123abcd.md)');
    expect(again.stdout).toContain('operation GET /identityGovernance/lifecycleWorkflows/deletedItems/workflows/{workflow-id}/createdBy: removed');
    await git(dir, 'add', '--all');
    await git(dir, 'commit', '--quiet', '--message', 'older, with the changeset taken over');
    const forth = await run(dir, 'spec:update', 'tiny.openapi.yaml');
    expect(forth.stdout).toContain('removed .changeset/spec-update.md: nothing left to release');
    expect(await git(dir, 'diff', '--stat', 'HEAD~2', '--', 'openapi', 'packages', '.changeset')).toBe('');
  });

  it('goes back to 2023-10-03, which lacks /insights, and reports its removal as breaking', async () => {
    const dir = await committedWorkspace(upstream('graph-v1.0-identity-governance.2024-10-01.openapi.yml'), join(repoRoot, 'openapi/slice.config.yaml'));
    const update = await run(dir, 'spec:update', upstream('graph-v1.0-identity-governance.2023-10-03.openapi.yml'));
    expect(update.code, update.stderr).toBe(0);
    const breaking = update.stdout.split('\n').filter((line) => line.startsWith('  ') && line.includes(': removed')).map((line) => line.trim());
    expect(breaking).toContain('operation GET /identityGovernance/lifecycleWorkflows/insights: removed');
    expect(breaking).toContain('schema microsoft.graph.identityGovernance.insights: removed');
    expect(update.stdout).toMatch(/^Breaking at compile time \(17\):$/m);
    const written = await changeset(dir);
    for (const line of breaking) expect(written).toContain(`- ${line}`);
    expect(written).toContain('- parameter $select: narrowed to a list of allowed values (115 paths)');
  });
});

