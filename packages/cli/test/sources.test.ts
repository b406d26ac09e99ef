import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src', import.meta.url));

/** Every line of the CLI's sources that spells a Lifecycle Workflows path (segments are case-insensitive). */
function pathLiterals(): { files: number; hits: string[] } {
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'));
  const hits = files.flatMap((name) =>
    readFileSync(join(src, name), 'utf8')
      .split('\n')
      .flatMap((line, index) => (/\/identityGovernance/i.test(line) ? [`${name}:${index + 1}: ${line.trim()}`] : [])),
  );
  return { files: files.length, hits };
}

describe('the CLI reaches Lifecycle Workflows only through the generated resource tree', () => {
  it('has no hand-written /identityGovernance path in its sources', () => {
    const { files, hits } = pathLiterals();
    // Guard against a scan that finds nothing to look at.
    expect(files).toBeGreaterThan(10);
    expect(hits).toEqual([]);
  });
});
