import { connect } from 'node:net';

/** An answer read off a raw socket. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Writes bytes on a fresh socket and reads what comes back until the server closes it (or, for
 * a keep-alive answer, until its `content-length` is in). `status` is 0 when nothing came.
 * `hangUp` ends the sending side right after the bytes.
 */
export function raw(port: number, bytes: string | Buffer, hangUp = false): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => (hangUp ? socket.end(bytes) : socket.write(bytes)));
    let data = Buffer.alloc(0);
    const done = (): void => {
      socket.destroy();
      resolve(parse(data));
    };
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const answer = parse(data);
      const length = Number(answer.headers['content-length'] ?? Number.NaN);
      if (answer.status !== 0 && Buffer.byteLength(answer.body) >= length) done();
    });
    socket.on('close', done);
    socket.on('error', done);
  });
}

function parse(data: Buffer): RawAnswer {
  const text = data.toString('utf8');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: {}, body: '' };
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0), headers, body: text.slice(end + 4) };
}

/** Whether a body is Graph's error shape with the given code. */
export function graphErrorCode(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown; innerError?: { 'request-id'?: unknown } } };
    const e = parsed.error;
    return typeof e?.code === 'string' && typeof e.message === 'string' && typeof e.innerError?.['request-id'] === 'string' ? e.code : undefined;
  } catch {
    return undefined;
  }
}
