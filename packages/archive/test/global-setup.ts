import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { writeEmptyCluster } from '../src/empty-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** An empty PGlite cluster made for this run: new embedded archives in tests start from it, whether or not the package is built. */
    emptyCluster: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const folder = mkdtempSync(join(tmpdir(), 'idgov-archive-cluster-'));
  const file = join(folder, 'empty-cluster.tar.gz');
  await writeEmptyCluster(file);
  project.provide('emptyCluster', file);
  return () => { rmSync(folder, { recursive: true, force: true }); };
}
