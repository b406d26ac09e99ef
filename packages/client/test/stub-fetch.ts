// Small injected fetch stubs for unit tests: a queue or a function of the request, and a log.

export const base = 'https://graph.microsoft.com/v1.0';
export const uprPath = '/identityGovernance/lifecycleWorkflows/workflows/{workflow-id}/runs/{run-id}/userProcessingResults';
export const uprParams = { path: { 'workflow-id': 'w1', 'run-id': 'r1' } };
export const uprUrl = `${base}/identityGovernance/lifecycleWorkflows/workflows/w1/runs/r1/userProcessingResults`;

/** A JSON response, as Graph sends it. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** Graph's error body. */
export function graphError(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  const innerError = { date: '2024-05-01T00:00:00', 'request-id': 'req-1', 'client-request-id': 'cr-1' };
  return json({ error: { code, message, innerError } }, status, { 'request-id': 'req-1', ...headers });
}

export interface Sent {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  readonly body: string | null;
}

/** A fetch answering with `answer(request, index)`; every request sent is logged (headers copied). */
export function stubFetch(answer: (request: Request, index: number) => Response | Promise<Response>) {
  const sent: Sent[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const body = request.body === null ? null : await request.clone().text();
    sent.push({ method: request.method, url: request.url, headers: new Headers(request.headers), body });
    return answer(request, sent.length - 1);
  };
  return { fetch, sent };
}

/** A fetch answering from a queue, in order; runs dry with an error. */
export function queueFetch(...answers: (Response | Error | (() => Response))[]) {
  return stubFetch((_request, index) => {
    const next = answers[index];
    if (next === undefined) throw new Error(`stub: no answer for request ${index + 1}`);
    if (next instanceof Error) throw next;
    return typeof next === 'function' ? next() : next;
  });
}

/** `count` pages of `size` items with ids `u0…`, linked by absolute next links on `origin`. */
export function pagedFetch(count: number, size: number, origin = 'https://graph.microsoft.com') {
  return stubFetch((request) => {
    const page = Number(new URL(request.url).searchParams.get('$skiptoken') ?? '0');
    const value = Array.from({ length: size }, (_, i) => ({ id: `u${page * size + i}` }));
    const next = page + 1 < count ? `${origin}/v1.0/identityGovernance/lifecycleWorkflows/workflows/w1/runs/r1/userProcessingResults?$skiptoken=${page + 1}` : undefined;
    return json({ value, ...(next === undefined ? {} : { '@odata.nextLink': next }) });
  });
}
