/**
 * `@idgov/testing/msw`: the fake Graph as msw 2 handlers. A subpath of its own, so that only
 * code importing it needs msw (an optional peer dependency), types included.
 * @see https://mswjs.io/docs/api/http
 */
import type { HttpHandler } from 'msw';
import { http } from 'msw';
import type { FakeGraph } from './fake-graph.js';
import { toResponse } from './fake-response.js';

/**
 * Handlers routing every request under the fake's `baseUrl` to it, by the real URL shape (Graph's
 * hyphenated `{workflow-id}` parameters are the fake's business, not msw's path matching).
 * @example setupServer(...graphHandlers(createFakeGraph({ scenario })))
 */
export function graphHandlers(fake: FakeGraph): HttpHandler[] {
  const { origin } = new URL(fake.baseUrl);
  const handler = http.all(`${fake.baseUrl}/*`, async ({ request }) => {
    const response = await fake.handle(
      { method: request.method, url: new URL(request.url), headers: request.headers, text: () => request.text(), signal: request.signal },
      origin,
      'msw',
    );
    // msw reads Response.error() as a network error.
    return response.failure === 'networkError' ? Response.error() : toResponse(response);
  });
  return [handler];
}
