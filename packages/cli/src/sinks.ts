import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import type { Sink } from './output.js';

/** The reader of stdout went away (`| head -1`): the run ends quietly, as Unix tools do. */
export class ReaderGone extends Error {
  override readonly name = 'ReaderGone';
}

/** `--output` could not be opened or written: one line naming the file and the cause, exit 1. */
export class OutputError extends Error {
  override readonly name = 'OutputError';
}

/** An output file: written beside the target, put in its place by `commit`, removed by `discard`. */
export interface OutputFile extends Sink {
  commit(): Promise<void>;
  discard(): Promise<void>;
}

const gone = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);

/**
 * A {@link Sink} over a Node stream that honours backpressure: `write` waits for `drain` when the
 * stream's buffer is full, and rejects once the stream has failed. `describe` turns a failure
 * into the error the CLI reports.
 */
export function streamSink(stream: Writable, describe: (error: NodeJS.ErrnoException) => Error): Sink & { finish(): Promise<void> } {
  let failure: Error | undefined;
  // Read through a function: the stream may fail while `write` awaits, which narrowing cannot see.
  const failed = (): Error | undefined => failure;
  const waiters = new Set<(error?: Error) => void>();
  const fail = (error: NodeJS.ErrnoException): void => {
    failure ??= describe(error);
    for (const wake of waiters) wake(failure);
  };
  stream.on('error', fail);
  const wait = (event: 'drain' | 'finish', start?: () => void): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (failure !== undefined) {
        reject(failure);
        return;
      }
      const wake = (error?: Error): void => {
        waiters.delete(wake);
        stream.off(event, done);
        if (error === undefined) resolve();
        else reject(error);
      };
      const done = (): void => { wake(); };
      waiters.add(wake);
      stream.once(event, done);
      start?.();
    });
  return {
    async write(text) {
      const before = failed();
      if (before !== undefined) throw before;
      if (!stream.write(text)) await wait('drain');
      const after = failed();
      if (after !== undefined) throw after;
    },
    finish: () => wait('finish', () => stream.end()),
  };
}

/** Stdout as a sink: a closed pipe is {@link ReaderGone}, anything else an {@link OutputError}. */
export function stdoutSink(stream: Writable): Sink {
  return streamSink(stream, (error) => (gone.has(error.code ?? '') ? new ReaderGone('the reader of stdout has gone') : new OutputError(`cannot write to stdout: ${reason(error)}`)));
}

/**
 * Opens `--output`. A regular file (or a new one) is written to a temporary file in the same
 * folder and renamed over the target on `commit`, so a failed run leaves what was there; devices
 * and pipes (`/dev/null`, `/dev/stdout`) are written directly.
 */
export async function openOutputFile(path: string): Promise<OutputFile> {
  const describe = (error: NodeJS.ErrnoException): OutputError => new OutputError(`cannot write --output ${path}: ${reason(error)}`);
  const existing = await stat(path).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw describe(error as NodeJS.ErrnoException);
  });
  if (existing?.isDirectory() === true) throw new OutputError(`cannot write --output ${path}: it is a folder`);
  const direct = existing !== undefined && !existing.isFile();
  const target = direct ? path : join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(target, direct ? 'w' : 'wx', existing?.mode ?? 0o666).catch((error: unknown) => {
    throw describe(error as NodeJS.ErrnoException);
  });
  const sink = streamSink(createWriteStream('', { fd: handle.fd, autoClose: false }), describe);
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    try {
      await sink.finish();
    } finally {
      await handle.close();
    }
  };
  return {
    write: (text) => sink.write(text),
    commit: async () => {
      try {
        await close();
        if (!direct) await rename(target, path);
      } catch (error) {
        if (!direct) await unlink(target).catch(() => undefined);
        throw error instanceof OutputError ? error : describe(error as NodeJS.ErrnoException);
      }
    },
    discard: async () => {
      await close().catch(() => undefined);
      if (!direct) await unlink(target).catch(() => undefined);
    },
  };
}

const reasons: Readonly<Record<string, string>> = {
  ENOENT: 'no such folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  EDQUOT: 'disk quota exceeded',
};

function reason(error: NodeJS.ErrnoException): string {
  const code = error.code ?? '';
  return code in reasons ? `${code} (${reasons[code] ?? ''})` : error.message.split('\n')[0] ?? code;
}
