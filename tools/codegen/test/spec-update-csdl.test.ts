import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, upstream } from './paths.js';

// The built bin, as users run it (turbo builds it before this test).
const bin = join(repoRoot, 'tools/codegen/dist/cli.js');
const committed = ['openapi/lifecycle-workflows.v1.0.yaml', 'packages/types/src/generated/openapi.ts', 'packages/types/src/generated/metadata.ts'];

/** A copy of the workspace's slice config, committed slice and generated types. */
async function checkout(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'idgov-csdl-'));
  await writeFile(join(dir, 'pnpm-workspace.yaml'), 'packages: []\n');
  for (const file of ['openapi/slice.config.yaml', ...committed]) await cp(join(repoRoot, file), join(dir, file));
  return dir;
}

async function specUpdate(cwd: string, source: string): Promise<void> {
  await promisify(execFile)(process.execPath, [bin, 'spec:update', source], { cwd });
}

async function unchanged(dir: string): Promise<boolean[]> {
  return Promise.all(committed.map(async (file) => (await readFile(join(dir, file), 'utf8')) === (await readFile(join(repoRoot, file), 'utf8'))));
}

describe('spec:update from the 2026-08-20 CSDL leaves the committed files as they are', () => {
  let server: Server;
  let url: string;
  const accepts: (string | undefined)[] = [];

  beforeAll(async () => {
    const csdl = await readFile(upstream('graph-v1.0.2026-08-20.csdl.xml'));
    // Like Graph: `$metadata` in XML when asked for it.
    server = createServer((request, response) => {
      accepts.push(request.headers.accept);
      if (request.url !== '/v1.0/$metadata' || request.headers.accept !== 'application/xml') response.writeHead(406).end();
      else response.writeHead(200, { 'content-type': 'application/xml' }).end(csdl);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.0/$metadata`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('read from the file', async () => {
    const dir = await checkout();
    await specUpdate(dir, upstream('graph-v1.0.2026-08-20.csdl.xml'));
    expect(await unchanged(dir)).toEqual([true, true, true]);
    await expect(readdir(join(dir, '.changeset'))).rejects.toThrow();
  });

  it('answers a CSDL that does not parse with one line and exit code 2', async () => {
    const dir = await checkout();
    await writeFile(join(dir, 'broken.xml'), '<?xml version="1.0"?>\n<edmx:Edmx Version="4.0">\n  <Schema>\n</edmx:Edmx>\n');
    const failure = await promisify(execFile)(process.execPath, [bin, 'spec:update', 'broken.xml'], { cwd: dir }).catch((error: unknown) => error as { code: number; stderr: string });
    expect(failure).toMatchObject({ code: 2, stderr: 'idgov-codegen: broken.xml:4:12: XML does not parse: unexpected close tag.\n' });
    expect(await unchanged(dir)).toEqual([true, true, true]);
  });

  it('fetched from a $metadata URL with Accept: application/xml', async () => {
    const dir = await checkout();
    await specUpdate(dir, url);
    expect(accepts).toEqual(['application/xml']);
    expect(await unchanged(dir)).toEqual([true, true, true]);
    await expect(readdir(join(dir, '.changeset'))).rejects.toThrow();
  });
});
