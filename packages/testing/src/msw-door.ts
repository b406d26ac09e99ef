import type { HttpHandler } from 'msw';
import type { FakeRequest } from './fake-graph.js';
import { toResponse } from './fake-response.js';
import type { FakeResponse } from './fake-response.js';

interface Msw {
  readonly http: { all(path: string, resolver: (info: { request: Request }) => Promise<Response>): HttpHandler };
}

/**
 * msw 2 handlers routing every request under `baseUrl` to the fake. msw is an optional peer
 * dependency: it is loaded here, synchronously, only when handlers are asked for.
 * @see https://mswjs.io/docs/api/http
 */
export function createMswHandlers(baseUrl: string, handle: (request: FakeRequest) => Promise<FakeResponse>): readonly HttpHandler[] {
  const nodeModule = process.getBuiltinModule('node:module');
  let msw: Msw;
  try {
    msw = nodeModule.createRequire(import.meta.url)('msw') as Msw;
  } catch (err) {
    throw new Error("fake.handlers needs msw 2: install it ('pnpm add -D msw').", { cause: err });
  }
  const handler = msw.http.all(`${baseUrl}/*`, async ({ request }) => {
    const response = await handle({ method: request.method, url: new URL(request.url), headers: request.headers, text: () => request.text(), signal: request.signal });
    // msw reads Response.error() as a network error.
    return response.failure === 'networkError' ? Response.error() : toResponse(response);
  });
  return [handler];
}
