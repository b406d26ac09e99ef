import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { publishablePackages } from './registry.js';

const exec = promisify(execFile);

describe('packing a workspace package with npm', () => {
  it('fails loudly, naming pnpm, because npm would ship workspace:^ ranges and the source condition', async () => {
    const packages = await publishablePackages();
    expect(packages.length).toBeGreaterThan(0);
    for (const pkg of packages) {
      const packed = exec('npm', ['pack', '--dry-run'], { cwd: pkg.dir });
      await expect(packed).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining(`${pkg.name}: pack and publish with pnpm`) as unknown,
      });
    }
  });
});
