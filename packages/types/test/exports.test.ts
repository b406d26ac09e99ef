import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';

const read = (file: string) => readFile(new URL(`../src/${file}`, import.meta.url), 'utf8');

describe('the package entry', () => {
  test('exports every generated schema type by name', async () => {
    const generated = [...(await read('generated/openapi.ts')).matchAll(/^export type (\w+) =/gm)].map((m) => m[1] ?? '').filter((name) => name !== 'webhooks');
    const index = await read('index.ts');
    const blocks = [...index.matchAll(/export type \{([\s\S]*?)\} from '\.\/generated\/openapi\.js';/g)].map((m) => m[1] ?? '');
    const exported = new Set(blocks.flatMap((block) => [...block.matchAll(/\b(\w+),/g)].map((m) => m[1])));
    expect(generated.length).toBeGreaterThan(40);
    expect(generated.filter((name) => !exported.has(name))).toEqual([]);
  });
});
