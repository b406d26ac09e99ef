import { context } from 'esbuild';
import { fileURLToPath } from 'node:url';

/** The page on a local HTTP server; `close` stops it. */
export interface PageServer {
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
  close(): Promise<void>;
}

const www = fileURLToPath(new URL('../www', import.meta.url));

/**
 * Serves `www/` and `page.js` (with its chunks), bundled for browsers by esbuild from
 * `src/page.ts` (again on a request after an edit). On `port` 0 the system picks a free port.
 */
export async function servePage(port = 0): Promise<PageServer> {
  const build = await context({
    entryPoints: { page: fileURLToPath(new URL('./page.ts', import.meta.url)) },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    // The in-page fake is imported when used: a chunk of its own (`chunks/in-page-fake-<hash>.js`).
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: true,
    outdir: www,
    write: false,
    // In this workspace the packages resolve to their TypeScript sources; an app that installs
    // them from a registry leaves this out.
    conditions: ['@idgov/source'],
    logLevel: 'warning',
  });
  try {
    const served = await build.serve({ servedir: www, host: '127.0.0.1', port });
    return { url: `http://127.0.0.1:${served.port}/`, close: () => build.dispose() };
  } catch (error) {
    await build.dispose();
    throw error;
  }
}
