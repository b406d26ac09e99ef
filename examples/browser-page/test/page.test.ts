import { launchChromium } from '@idgov/chromium';
import type { Chromium } from '@idgov/chromium';
import type { FailedUser } from '@idgov/example-failed-users-report';
import { expectedFailedUsers } from '@idgov/example-failed-users-report/expected';
import { createDemoScenario, createFakeGraph, createScenario } from '@idgov/testing';
import type { FakeGraph, FakeGraphServer } from '@idgov/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { servePage } from '../src/serve.js';
import type { PageServer } from '../src/serve.js';

/** The table's rows as the page must render them. */
const cells = (rows: readonly FailedUser[]): string[][] => rows.map((r) => [r.workflow, r.user, r.userPrincipalName, r.failedTasks.join('; ')]);

/** What the page rendered once it is no longer loading, and every URL it requested. */
interface Rendered {
  readonly state: string | undefined;
  readonly status: string;
  readonly rows: string[][];
}

async function render(page: Page, url: string): Promise<Rendered & { requested: string[] }> {
  const requested: string[] = [];
  const record = (request: { url(): string }): void => void requested.push(request.url());
  page.on('request', record);
  try {
    await page.goto(url);
    await page.waitForSelector('body:not([data-state="loading"])');
    const shown = await page.evaluate(
      (): Rendered => ({
        state: document.body.dataset['state'],
        status: document.getElementById('status')?.textContent ?? '',
        rows: [...document.querySelectorAll<HTMLTableRowElement>('#failed-users tr')].map((tr) => [...tr.cells].map((td) => td.textContent)),
      }),
    );
    return { ...shown, requested };
  } finally {
    page.off('request', record);
  }
}

describe('the page in headless Chromium', () => {
  let site: PageServer;
  let browser: Chromium;
  let page: Page;
  const doors: FakeGraphServer[] = [];
  /** A fake Graph on an origin of its own (another port): cross-origin to the page. */
  const listen = async (fake: FakeGraph): Promise<string> => {
    const door = await fake.listen();
    doors.push(door);
    return `${site.url}?graph=${encodeURIComponent(door.url)}`;
  };

  beforeAll(async () => {
    [site, browser] = await Promise.all([servePage(), launchChromium()]);
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await Promise.all([browser.close(), site.close(), ...doors.map((door) => door.close())]);
  });

  test('shows the failed users of the fake made in the page, asking nothing of the network but the page', async () => {
    const { requested, ...shown } = await render(page, site.url);
    const want = cells(expectedFailedUsers(createDemoScenario()));
    expect(want.length).toBeGreaterThan(0);
    expect(shown).toEqual({ state: 'done', status: `${want.length} failed users, from a fake Graph in this page.`, rows: want });
    expect(requested.filter((url) => !url.startsWith(site.url))).toEqual([]);
    expect(requested.filter((url) => url.includes('/chunks/in-page-fake-'))).toHaveLength(1);
  });

  test("shows the failed users of a fake Graph on another origin, through its HTTP door's CORS", async () => {
    const fake = createFakeGraph({ scenario: createScenario({ seed: 5, workflows: 2, runsPerWorkflow: 2, usersPerRun: 15, failureRate: 0.4 }) });
    const url = await listen(fake);
    const { requested, ...shown } = await render(page, url);
    const want = cells(expectedFailedUsers(fake.scenario));
    expect(want.length).toBeGreaterThan(0);
    expect(shown.rows).toEqual(want);
    expect(shown.state).toBe('done');
    // The in-page fake is never loaded when the page reads a service.
    expect(requested.filter((url) => url.includes('/chunks/in-page-fake-'))).toEqual([]);
    // Every request the fake saw came from the page's origin, none failed.
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(fake.requests.filter((r) => r.headers['origin'] !== new URL(site.url).origin || r.status !== 200)).toEqual([]);
  });

  test("a service that refuses the page's token gets one line of Graph's error on the page, no table", async () => {
    const fake = createFakeGraph({ scenario: createScenario({ seed: 5, workflows: 1 }), scopes: { 'another-token': ['LifecycleWorkflows.Read.All'] } });
    const { requested: _, ...shown } = await render(page, await listen(fake));
    expect(shown).toMatchInlineSnapshot(`
      {
        "rows": [],
        "state": "failed",
        "status": "401 InvalidAuthenticationToken: Access token validation failure. Invalid audience.",
      }
    `);
  });
});
