import { truncate } from './text.js';

/** A stream of text for people (stderr): written at once, in order. */
export interface Terminal {
  write(text: string): void;
  readonly isTTY?: boolean;
  /** Width in columns, when it is a terminal. */
  readonly columns?: number;
}

/** One status line on a terminal's stderr, redrawn in place and cleared before data is written. */
export interface Progress {
  /** Pages and items read so far, and the total when the service counted it. */
  page(pages: number, items: number, total: number | undefined): void;
  /** A throttling or network wait before a retry. */
  waiting(reason: string, ms: number): void;
  /** Removes the line, leaving the cursor at the start of an empty line. */
  clear(): void;
}

const erase = '\r\u001b[2K';
const quiet: Progress = { page: () => undefined, waiting: () => undefined, clear: () => undefined };

/** Progress for `stderr`: nothing at all unless it is a terminal (logs stay free of it). */
export function createProgress(stderr: Terminal): Progress {
  if (stderr.isTTY !== true) return quiet;
  let shown = false;
  let status = '';
  const draw = (text: string): void => {
    // One column short of the width: a line that fills it wraps on some terminals, and `\r` then misses it.
    stderr.write(`${erase}${truncate(`idgov: ${text}`, Math.max(20, (stderr.columns ?? 80) - 1))}`);
    shown = true;
  };
  return {
    page(pages, items, total) {
      status = `${count(pages, 'page')}, ${items.toLocaleString('en')}${total === undefined ? '' : ` of ${total.toLocaleString('en')}`} item${items === 1 && total === undefined ? '' : 's'}`;
      draw(status);
    },
    waiting(reason, ms) {
      draw(`${status === '' ? '' : `${status} · `}${reason}, retrying in ${Math.ceil(ms / 1000)} s`);
    },
    clear() {
      if (!shown) return;
      stderr.write(erase);
      shown = false;
    },
  };
}

const count = (n: number, noun: string): string => `${n.toLocaleString('en')} ${noun}${n === 1 ? '' : 's'}`;
