/** A response the fake computed, independent of the door (fetch, HTTP server, msw) it leaves by. */
export interface FakeResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** JSON or `text/plain` text; empty for 204. */
  readonly body: string;
  /** How the answer breaks on the wire instead: the connection drops, or the body is cut short. */
  readonly failure?: 'networkError' | 'truncate';
}

/** The per-request facts every answer carries (`request-id`, `client-request-id`, `Date`). */
export interface ResponseContext {
  readonly requestId: string;
  readonly clientRequestId: string;
  /** Milliseconds since the epoch, from the fake's clock. */
  readonly time: number;
}

/** Graph's JSON content type for OData payloads. */
export const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** Headers Graph sends on every response. */
export function baseHeaders(ctx: ResponseContext, contentType?: string): Record<string, string> {
  const headers: Record<string, string> = {
    'request-id': ctx.requestId,
    'client-request-id': ctx.clientRequestId,
    date: new Date(ctx.time).toUTCString(),
    'x-ms-ags-diagnostic': '{"ServerInfo":{"DataCenter":"Fake Graph","Slice":"E","Ring":"5","ScaleUnit":"000","RoleInstance":"idgov-fake"}}',
  };
  if (contentType !== undefined) headers['content-type'] = contentType;
  return headers;
}

/**
 * A Graph-shaped error: `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`.
 * @see https://learn.microsoft.com/graph/errors
 */
export function graphError(ctx: ResponseContext, status: number, code: string, message: string, extraHeaders: Record<string, string> = {}): FakeResponse {
  const date = new Date(ctx.time).toISOString().slice(0, 19);
  const body = { error: { code, message, innerError: { date, 'request-id': ctx.requestId, 'client-request-id': ctx.clientRequestId } } };
  return { status, headers: { ...baseHeaders(ctx, 'application/json'), ...extraHeaders }, body: JSON.stringify(body) };
}

/** A JSON success. */
export function jsonResponse(ctx: ResponseContext, body: unknown, status = 200): FakeResponse {
  return { status, headers: { ...baseHeaders(ctx, JSON_TYPE), 'odata-version': '4.0' }, body: JSON.stringify(body) };
}

/** 204 No Content, as Graph answers actions, PATCH and DELETE. */
export function noContent(ctx: ResponseContext): FakeResponse {
  return { status: 204, headers: baseHeaders(ctx), body: '' };
}

const encoder = new TextEncoder();

/** Turns a fake response into a WHATWG `Response`; injected failures reject or break the body. */
export function toResponse(response: FakeResponse): Response {
  if (response.failure === 'networkError') {
    throw new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
  }
  const init = { status: response.status, headers: response.headers };
  if (response.failure === 'truncate') {
    const bytes = encoder.encode(response.body);
    const half = bytes.slice(0, Math.floor(bytes.length / 2));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(half);
        controller.error(new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }));
      },
    });
    return new Response(stream, init);
  }
  // Bytes, not a string: undici reads a byte body back about three times faster.
  return new Response(response.status === 204 ? null : encoder.encode(response.body), init);
}

