import type { FakeGraphServer } from './http-door.js';

/** In a browser there is no HTTP server to start: the fetch door and msw serve instead. */
export function startServer(): Promise<FakeGraphServer> {
  return Promise.reject(new Error('fake.listen() needs Node: in a browser, use fake.fetch or the msw handlers of @idgov/testing/msw.'));
}
