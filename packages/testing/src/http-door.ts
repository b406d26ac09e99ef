import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FakeGraph } from './fake-graph.js';
import { graphError } from './fake-response.js';
import type { FakeResponse } from './fake-response.js';

/** Size limits of the HTTP door; each answered with Graph's error shape when exceeded. */
export interface DoorLimits {
  /** Longest request target (path and query) in bytes, else 414 (default 16,384). */
  readonly urlBytes?: number;
  /** Largest request line plus headers in bytes, else 431 (default 32,768). */
  readonly headerBytes?: number;
  /** Largest request body in bytes, else 413 (default 1,000,000). */
  readonly bodyBytes?: number;
}

/** Options for {@link FakeGraph.listen}. */
export interface ListenOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /**
   * The origin clients reach the door through (a TLS, CORS or dev-server proxy), such as
   * `https://localhost:8443`: written into `@odata.nextLink` and `@odata.context` instead of the
   * door's own. A path, if any, must be the version segment (`/v1.0`).
   */
  readonly publicUrl?: string;
  readonly limits?: DoorLimits;
}

/** A running HTTP door. */
export interface FakeGraphServer {
  /** Base URL ending in the version segment: `http://127.0.0.1:<port>/v1.0`. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections, ends idle keep-alive ones, resolves when closed. */
  close(): Promise<void>;
}

/** Defaults of {@link DoorLimits}. */
export const defaultDoorLimits: Required<DoorLimits> = { urlBytes: 16_384, headerBytes: 32_768, bodyBytes: 1_000_000 };

/**
 * CORS: Graph answers browsers from any origin; the token travels in a header, never a cookie,
 * so `*` is what the service sends too.
 * @see https://learn.microsoft.com/graph/best-practices-concept#cors
 */
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'request-id, client-request-id, Retry-After, Preference-Applied',
} as const;
const PREFLIGHT_HEADERS = {
  ...CORS_HEADERS,
  'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
  'access-control-max-age': '86400',
} as const;

type Body = { ok: true; text: string } | { ok: false };

/** Reads a body up to `limit` bytes; past it, keeps draining the socket but holds nothing. Never rejects. */
function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (chunks.length > 0 || size === chunk.length) {
        chunks.length = 0;
        resolve({ ok: false });
      }
    });
    req.on('end', () => {
      resolve(size <= limit ? { ok: true, text: Buffer.concat(chunks).toString('utf8') } : { ok: false });
    });
    // A malformed chunk or a dropped connection: the parser's clientError answers, if anyone listens.
    req.on('error', () => {
      resolve({ ok: false });
    });
  });
}

/** A parser-level failure (the request never reached the handler), in Graph's shape. */
function clientErrorAnswer(err: NodeJS.ErrnoException & { rawPacket?: unknown }, limits: Required<DoorLimits>): { status: number; code: string; message: string } {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      // The parser counts the request line as header bytes; a packet that starts a request and
      // holds no line break within the URL limit overflowed in its target.
      if (Buffer.isBuffer(err.rawPacket) && /^[A-Z]+ /.test(err.rawPacket.subarray(0, 16).toString('latin1'))) {
        if (!err.rawPacket.subarray(0, limits.urlBytes + 16).includes('\r\n')) return { status: 414, code: 'RequestUriTooLong', message: `The request target is longer than ${limits.urlBytes} bytes.` };
      }
      return { status: 431, code: 'RequestHeaderFieldsTooLarge', message: `The request line and headers are larger than ${limits.headerBytes} bytes.` };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: 'RequestTimeout', message: 'The request did not arrive in time.' };
    case 'HPE_INVALID_METHOD':
      return { status: 405, code: 'MethodNotAllowed', message: 'The HTTP method is not one the service knows.' };
    case undefined:
    default:
      return { status: 400, code: 'BadRequest', message: 'The request is not valid HTTP/1.1.' };
  }
}

const STATUS_TEXT: Readonly<Record<number, string>> = { 400: 'Bad Request', 405: 'Method Not Allowed', 408: 'Request Timeout', 414: 'URI Too Long', 431: 'Request Header Fields Too Large' };

/** Writes a whole Graph-shaped answer on a raw socket and closes it. */
function answerRaw(socket: Duplex, response: FakeResponse): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const headers = { ...response.headers, ...CORS_HEADERS, 'content-length': String(Buffer.byteLength(response.body)), connection: 'close' };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.end(`HTTP/1.1 ${response.status} ${STATUS_TEXT[response.status] ?? 'Error'}\r\n${head}\r\n${response.body}`);
}

/**
 * Serves a fake over HTTP on 127.0.0.1 only; the answers are those of `fake.handle`. Whatever
 * arrives (malformed HTTP, oversized parts, CONNECT, a broken chunked body) gets an answer in
 * Graph's error shape or a closed connection; nothing a peer sends stops the server.
 */
export async function startServer(fake: FakeGraph, options: ListenOptions = {}): Promise<FakeGraphServer> {
  const { createServer } = await import('node:http');
  const { randomUUID } = await import('node:crypto');
  const limits = { ...defaultDoorLimits, ...options.limits };
  const versionPath = new URL(fake.baseUrl).pathname.replace(/\/+$/, '');
  const publicOrigin = options.publicUrl === undefined ? undefined : publicOriginOf(options.publicUrl, versionPath);
  let origin = '';
  /** The response in progress on each socket, so a late parser error never writes over it. */
  const busy = new WeakMap<Duplex, ServerResponse>();
  /** Door-level errors have no request the fake saw: a fresh id (the caller's `client-request-id` if it came) and the machine's clock. */
  const doorError = (status: number, code: string, message: string, extra: Record<string, string> = {}, req?: IncomingMessage): FakeResponse => {
    const requestId = randomUUID();
    const sent = req?.headers['client-request-id'];
    return graphError({ requestId, clientRequestId: typeof sent === 'string' ? sent.slice(0, 200) : requestId, time: Date.now() }, status, code, message, extra);
  };

  // No Host header needed: the fake answers by path, and Node's own 400 for it would not be Graph-shaped.
  const server = createServer({ keepAliveTimeout: 5_000, maxHeaderSize: limits.headerBytes, requestTimeout: 60_000, headersTimeout: 30_000, requireHostHeader: false }, (req, res) => {
    busy.set(req.socket, res);
    res.on('finish', () => busy.delete(req.socket));
    void serve(req, res);
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    const res = busy.get(socket);
    if (err.code === 'ECONNRESET' || res?.headersSent === true) {
      socket.destroy();
      return;
    }
    const answer = clientErrorAnswer(err, limits);
    answerRaw(socket, doorError(answer.status, answer.code, answer.message));
  });
  // Graph is no proxy and speaks no other protocol on this port.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    answerRaw(socket, doorError(405, 'MethodNotAllowed', 'The HTTP method CONNECT is not allowed: this is not a proxy.', { allow: 'GET, POST, PATCH, PUT, DELETE' }));
  });
  server.on('upgrade', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    answerRaw(socket, doorError(400, 'BadRequest', 'Protocol upgrades are not supported.'));
  });

  function send(res: ServerResponse, response: FakeResponse, close = false): void {
    const payload = Buffer.from(response.body, 'utf8');
    res.writeHead(response.status, { ...response.headers, ...CORS_HEADERS, 'content-length': String(payload.length), ...(close ? { connection: 'close' } : {}) });
    res.end(payload);
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    if (Buffer.byteLength(target) > limits.urlBytes) {
      send(res, doorError(414, 'RequestUriTooLong', `The request target is longer than ${limits.urlBytes} bytes.`, {}, req), true);
      return;
    }
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      // A CORS preflight carries no token: it is answered before authentication, as Graph does.
      const asked = req.headers['access-control-request-headers'];
      res.writeHead(204, { ...PREFLIGHT_HEADERS, 'access-control-allow-headers': asked ?? 'authorization, content-type', 'content-length': '0' }).end();
      return;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limits.bodyBytes) {
      send(res, doorError(413, 'RequestEntityTooLarge', `The request body is larger than ${limits.bodyBytes} bytes.`, {}, req), true);
      return;
    }
    let url: URL;
    try {
      // The request target, never the Host header, decides the path; the origin is ours.
      url = new URL(`${origin}${target.startsWith('/') ? '' : '/'}${target}`);
    } catch {
      send(res, doorError(400, 'BadRequest', 'The request target is not a valid path.', {}, req));
      return;
    }
    const body = await readBody(req, limits.bodyBytes);
    if (!body.ok) {
      if (req.readableAborted || req.socket.destroyed) return;
      send(res, doorError(413, 'RequestEntityTooLarge', `The request body is larger than ${limits.bodyBytes} bytes.`, {}, req), true);
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      try {
        if (typeof value === 'string') headers.set(name, value);
        else if (Array.isArray(value)) headers.set(name, value.join(', '));
      } catch {
        // A header WHATWG Headers refuses is one the fake ignores.
      }
    }
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort(new Error('client went away'));
    });
    let response: FakeResponse;
    try {
      response = await fake.handle({ method: req.method ?? 'GET', url, headers, text: () => Promise.resolve(body.text), signal: abort.signal }, publicOrigin ?? origin, 'http');
    } catch (err) {
      // Aborted while an injected latency ran: the client is gone. Anything else is the fake's defect.
      if (abort.signal.aborted || res.headersSent) req.socket.destroy();
      else send(res, doorError(500, 'InternalServerError', `The fake Graph failed: ${err instanceof Error ? err.message : String(err)}`, {}, req));
      return;
    }
    if (response.failure === 'networkError') {
      req.socket.destroy();
      return;
    }
    if (response.failure === 'truncate') {
      const payload = Buffer.from(response.body, 'utf8');
      res.writeHead(response.status, { ...response.headers, ...CORS_HEADERS, 'content-length': String(payload.length) });
      res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => req.socket.destroy());
      return;
    }
    send(res, response);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A listening server must never die of an 'error' event (EMFILE and the like); it keeps serving.
  server.on('error', () => undefined);
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${publicOrigin ?? origin}${versionPath}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => {
          if (err === undefined) resolve();
          else reject(err);
        });
        server.closeIdleConnections();
      }),
  };
}

/** The origin of a public URL; its path may only be the fake's version segment. */
export function publicOriginOf(publicUrl: string, versionPath: string): string {
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    throw new TypeError(`--public-url must be an absolute http(s) URL, not '${publicUrl}'`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '' || (path !== '' && path !== versionPath)) {
    throw new TypeError(`--public-url must be an http(s) origin, optionally followed by ${versionPath}, not '${publicUrl}'`);
  }
  return url.origin;
}
