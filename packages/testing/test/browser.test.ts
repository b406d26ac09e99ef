import { launchChromium } from '@idgov/chromium';
import type { Chromium } from '@idgov/chromium';
import { build } from 'esbuild';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeGraph, createScenario } from '../src/index.js';
import type { FakeGraphServer } from '../src/index.js';
import type { Listing } from './browser/page.js';

const SEED = 7;
const USERS = 45;

/** Serves the page and its bundle from an origin of its own, so the door is cross-origin to it. */
async function servePage(): Promise<{ server: Server; origin: string }> {
  const bundled = await build({
    entryPoints: [fileURLToPath(new URL('./browser/page.ts', import.meta.url))],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    conditions: ['@idgov/source'],
    write: false,
    logLevel: 'silent',
  });
  const script = bundled.outputFiles[0]?.text ?? '';
  const server = createServer((req, res) => {
    if (req.url === '/page.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>idgov</title><script type="module" src="/page.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, origin: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}` };
}

describe('in a real headless browser', () => {
  const fake = createFakeGraph({ scenario: createScenario({ seed: SEED, workflows: 1, runsPerWorkflow: 1, usersPerRun: USERS }) });
  const workflow = fake.scenario.workflows[0];
  const run = workflow?.runs[0];
  const expected = run?.userProcessingResults.map((u) => u.result.id) ?? [];
  let door: FakeGraphServer;
  let site: { server: Server; origin: string };
  let browser: Chromium;
  let page: Page;

  beforeAll(async () => {
    [door, site, browser] = await Promise.all([fake.listen(), servePage(), launchChromium()]);
    page = await browser.context.newPage();
    await page.goto(site.origin);
    await page.waitForFunction(() => typeof window.listFromDoor === 'function');
  });
  afterAll(async () => {
    await Promise.all([browser.close(), door.close(), new Promise((resolve) => site.server.close(resolve))]);
  });

  it('lists a run\'s results cross-origin from the HTTP door, reading the exposed request-id', async () => {
    expect(expected).toHaveLength(USERS);
    const listing: Listing = await page.evaluate(([base, w, r]) => window.listFromDoor(base, w, r), [door.url, workflow?.workflow.id ?? '', run?.run.id ?? ''] as const);
    expect(listing.ids).toStrictEqual(expected);
    expect(listing.pages).toBe(5);
    expect(listing.requestIds.every((id) => typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id))).toBe(true);
    // The Authorization header makes the browser send a preflight; the door answers it before the fake sees it.
    expect(fake.requests.some((r) => r.method === 'OPTIONS')).toBe(false);
    expect(fake.requests.filter((r) => r.door === 'http' && r.headers['origin'] === site.origin)).toHaveLength(5);
  });

  it('lists a run\'s results from a fake made in the page, with no server at all', async () => {
    const listing = await page.evaluate(([seed, users]) => window.listFromInPageFake(seed, users), [SEED, USERS] as const);
    expect([listing.workflowId, listing.runId]).toStrictEqual([workflow?.workflow.id, run?.run.id]);
    expect(listing.ids).toStrictEqual(expected);
    expect(listing.pages).toBe(5);
  });
});
