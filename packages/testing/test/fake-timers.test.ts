import { afterEach, describe, expect, test, vi } from 'vitest';
import { LCW, get, smallFake } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('the fake on vitest fake timers', () => {
  test('a 30-second latency fault resolves when the timers are advanced, with no real wait', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fake = smallFake({ faults: [{ route: 'GET /identityGovernance/lifecycleWorkflows/workflows', queue: [{ kind: 'latency', ms: 30_000 }] }] });
    let settled = false;
    const answer = get(fake, `${LCW}/workflows?$select=id`).finally(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(29_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await answer).status).toBe(200);
  });
});
