import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeGraph } from './fake-graph.js';

/** Options for {@link FakeGraph.listen}. */
export interface ListenOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
}

/** A running HTTP door. */
export interface FakeGraphServer {
  /** Base URL ending in the version segment: `http://127.0.0.1:<port>/v1.0`. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections, ends idle keep-alive ones, resolves when closed. */
  close(): Promise<void>;
}

const MAX_BODY = 1_000_001;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep reading to the end, but hold no more than the fake will look at.
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

/** Serves a fake over HTTP on 127.0.0.1 only; the answers are those of `fake.handle`. */
export async function startServer(fake: FakeGraph, options: ListenOptions = {}): Promise<FakeGraphServer> {
  const { createServer } = await import('node:http');
  const versionPath = new URL(fake.baseUrl).pathname.replace(/\/+$/, '');
  let origin = '';
  const server = createServer({ keepAliveTimeout: 5_000 }, (req: IncomingMessage, res: ServerResponse) => {
    void serve(req, res);
  });
  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      // The request target, never the Host header, decides the path; the origin is ours.
      url = new URL(`${origin}${(req.url ?? '/').startsWith('/') ? '' : '/'}${req.url ?? ''}`);
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"code":"BadRequest","message":"The request target is not a valid path."}}');
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
    const body = readBody(req);
    try {
      const response = await fake.handle({ method: req.method ?? 'GET', url, headers, text: () => body, signal: abort.signal }, origin, 'http');
      if (response.failure === 'networkError') {
        req.socket.destroy();
        return;
      }
      const payload = Buffer.from(response.body, 'utf8');
      res.writeHead(response.status, { ...response.headers, 'content-length': String(payload.length) });
      if (response.failure === 'truncate') {
        res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => req.socket.destroy());
        return;
      }
      res.end(payload);
    } catch {
      // Aborted while an injected latency ran: the client is gone.
      if (!res.headersSent) req.socket.destroy();
    }
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}${versionPath}`,
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
