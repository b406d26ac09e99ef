import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtures, repoRoot } from './paths.js';

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

/** A throwaway workspace: the tiny fixture as its upstream, sliced and generated. */
async function workspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'idgov-codegen-'));
  await writeFile(join(dir, 'pnpm-workspace.yaml'), 'packages: []\n');
  await cp(join(fixtures, 'tiny.config.yaml'), join(dir, 'openapi/slice.config.yaml'));
  await cp(join(fixtures, 'tiny.openapi.yaml'), join(dir, 'tiny.openapi.yaml'));
  return dir;
}

describe('idgov-codegen', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await workspace();
    const update = await run(dir, 'spec:update', 'tiny.openapi.yaml');
    expect(update.code, update.stderr).toBe(0);
  });

  it('spec:update writes the slice, the types and a changeset whose bump follows the report', async () => {
    const changeset = await readFile(join(dir, '.changeset/spec-update-eb783b37.md'), 'utf8');
    expect(changeset.split('\n').slice(0, 3)).toEqual(['---', "'@idgov/types': minor", '---']);
    expect(changeset).toContain('operation GET /identityGovernance/lifecycleWorkflows/workflows added');
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
    ['an unreachable URL', async () => ['slice', `http://127.0.0.1:${await closedPort()}/graph.yaml`], /^idgov-codegen: http:\/\/127\.0\.0\.1:\d+\/graph\.yaml: unreachable \(ECONNREFUSED\)\n$/],
  ];
  for (const [what, args, message] of badInputs) {
    it(`answers ${what} with one line and exit code 2`, async () => {
      const result = await run(dir, ...(await args(dir)));
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    });
  }
});
