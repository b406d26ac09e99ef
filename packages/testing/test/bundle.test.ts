import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = (file: string): string => fileURLToPath(new URL(`../src/${file}`, import.meta.url));

/** Bundles one entry for the browser, as an app's bundler would (workspace sources, no Node built-ins). */
async function bundleForBrowser(entry: string): Promise<{ errors: string[]; code: string }> {
  try {
    const result = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', conditions: ['@idgov/source'], write: false, logLevel: 'silent' });
    return { errors: [], code: result.outputFiles.map((f) => f.text).join('\n') };
  } catch (err) {
    return { errors: ((err as { errors?: { text: string }[] }).errors ?? []).map((e) => e.text), code: '' };
  }
}

describe('browser bundles', () => {
  it('the main entry bundled node:http through the HTTP door; now it bundles for the browser', async () => {
    const { errors, code } = await bundleForBrowser(src('index.ts'));
    expect(errors).toStrictEqual([]);
    expect(code).not.toMatch(/["']node:/);
    expect(code).toContain('fake.listen() needs Node');
  });

  it('the msw entry bundles for the browser', async () => {
    const { errors, code } = await bundleForBrowser(src('msw.ts'));
    expect(errors).toStrictEqual([]);
    expect(code).not.toMatch(/["']node:/);
  });

  it('the server entry is Node-only, and says so to a browser bundler', async () => {
    const { errors } = await bundleForBrowser(src('server.ts'));
    expect(errors.some((e) => e.includes('node:'))).toBe(true);
  });
});
