// A real HTTP server on 127.0.0.1 for tests whose defect lives in transport behaviour
// (redirects, bodies that break off, silent servers, body sizes): each request is logged.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
}

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** `<origin>/v1.0`, the base URL a client of this server uses. */
  readonly baseUrl: string;
  readonly received: Received[];
  close(): Promise<void>;
}

const open: TestServer[] = [];

/** Starts a server answering with `handle`; `closeServers()` stops every one started. */
export async function serve(handle: (request: IncomingMessage, response: ServerResponse, index: number) => void): Promise<TestServer> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    received.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers });
    handle(request, response, received.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const started: TestServer = {
    origin,
    baseUrl: `${origin}/v1.0`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
  open.push(started);
  return started;
}

export async function closeServers(): Promise<void> {
  await Promise.all(open.splice(0).map((s) => s.close()));
}

/** Answers JSON. */
export function sendJson(response: ServerResponse, body: unknown, status = 200, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}
