import { displayWidth, oneLine, padEnd, stripControls, truncate } from './text.js';

/** How `idgov` prints items: a table for people, JSON, NDJSON or CSV for programs. */
export type OutputFormat = 'table' | 'json' | 'ndjson' | 'csv';

export const outputFormats: readonly OutputFormat[] = ['table', 'json', 'ndjson', 'csv'];

/**
 * Where output goes: a file or stdout. `write` resolves once the destination has taken the text
 * (or has room for more), so a slow reader slows the listing instead of filling memory.
 */
export interface Sink {
  write(text: string): Promise<void> | void;
}

/** Options of {@link createItemWriter}. */
export interface WriterOptions {
  /** CSV: start with a UTF-8 byte order mark, so Excel reads the file as UTF-8. */
  readonly bom?: boolean;
  /** CSV: prefix cells that a spreadsheet would run as a formula with `'` (default true). */
  readonly formulaGuard?: boolean;
  /** CSV: the header to write when there are no items at all. */
  readonly emptyColumns?: readonly string[];
  /** Table: fit into this many columns, cutting the widest cells with `…` (default: no limit). */
  readonly width?: number;
}

/**
 * Writes items as they arrive. Every `write` ends on a complete line or row, so stopping between
 * two pages (Ctrl-C, a reader that went away) leaves valid output once `end` has run.
 */
export interface ItemWriter {
  write(items: readonly Record<string, unknown>[]): Promise<void>;
  end(): Promise<void>;
}

// JSON escapes C0 controls itself; C1 controls, bidi overrides and line separators are written
// as \u escapes too (the same value), so no terminal acts on them.
const unsafeInJson = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const json = (item: unknown): string => JSON.stringify(item).replace(unsafeInJson, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function createItemWriter(format: OutputFormat, sink: Sink, options: WriterOptions = {}): ItemWriter {
  switch (format) {
    case 'ndjson':
      return {
        write: async (items) => {
          if (items.length > 0) await sink.write(`${items.map(json).join('\n')}\n`);
        },
        end: () => Promise.resolve(),
      };
    case 'json': {
      let first = true;
      return {
        write: async (items) => {
          if (items.length === 0) return;
          await sink.write(`${first ? '[\n  ' : ',\n  '}${items.map(json).join(',\n  ')}`);
          first = false;
        },
        end: async () => {
          await sink.write(first ? '[]\n' : '\n]\n');
        },
      };
    }
    case 'csv':
      return csvWriter(sink, options);
    case 'table':
      return tableWriter(sink, options.width ?? Infinity);
  }
}

/**
 * Turns an item into table rows: nested objects become `a/b` columns (OData's own notation), and
 * an expanded collection of objects gives one row per element, its fields as `collection/field`.
 */
export function toRows(item: Record<string, unknown>): Record<string, unknown>[] {
  const row: Record<string, unknown> = {};
  let nested: { name: string; elements: Record<string, unknown>[] } | undefined;
  const walk = (value: Record<string, unknown>, prefix: string): void => {
    for (const [key, field] of Object.entries(value)) {
      if (key.startsWith('@odata.')) continue;
      const path = prefix === '' ? key : `${prefix}/${key}`;
      if (nested === undefined && Array.isArray(field) && field.length > 0 && field.every(isObject)) nested = { name: path, elements: field };
      else if (isObject(field)) walk(field, path);
      else row[path] = field;
    }
  };
  walk(item, '');
  if (nested === undefined) return [row];
  const { name, elements } = nested;
  return elements.map((element) => ({ ...row, ...prefixed(toRows(element)[0] ?? {}, name) }));
}

function prefixed(row: Record<string, unknown>, name: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [`${name}/${key}`, value]));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.length === 0 ? '' : `[${value.length}]`;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

// What spreadsheets start a formula with; a leading quote makes the cell text.
// @see https://owasp.org/www-community/attacks/CSV_Injection
const formulaStart = /^[=+\-@\t\r]/;

function csvWriter(sink: Sink, options: WriterOptions): ItemWriter {
  const guard = options.formulaGuard ?? true;
  let columns: readonly string[] | undefined;
  const text = (value: unknown): string => {
    const written = stripControls(cell(value));
    return guard && typeof value === 'string' && formulaStart.test(written) ? `'${written}` : written;
  };
  const quote = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const line = (values: readonly string[]): string => `${values.map(quote).join(',')}\r\n`;
  const start = (names: readonly string[]): string => {
    columns = names;
    return (options.bom === true ? '\uFEFF' : '') + line(names.map(stripControls));
  };
  return {
    write: async (items) => {
      const rows = items.flatMap((item) => toRows(item));
      if (rows.length === 0) return;
      // The first page names the columns (a stream cannot go back to add one); later rows fill them.
      const head = columns === undefined ? start([...new Set(rows.flatMap((row) => Object.keys(row)))]) : '';
      const header = columns ?? [];
      await sink.write(head + rows.map((row) => line(header.map((column) => text(row[column])))).join(''));
    },
    end: async () => {
      if (columns === undefined) await sink.write(start(options.emptyColumns ?? []));
    },
  };
}

/**
 * Tables need every width before the first line: rows wait until the end. When they are wider
 * than `width`, the columns wider than a fair share give up room (see {@link fit}).
 */
function tableWriter(sink: Sink, width: number): ItemWriter {
  const rows: Record<string, unknown>[] = [];
  return {
    write: (items) => {
      for (const item of items) rows.push(...toRows(item));
      return Promise.resolve();
    },
    end: async () => {
      if (rows.length === 0) {
        await sink.write('(no items)\n');
        return;
      }
      const keys = [...new Set(rows.flatMap((row) => Object.keys(row)))];
      const columns = keys.map(oneLine);
      const text = rows.map((row) => keys.map((key) => oneLine(shortTime(cell(row[key])))));
      const widths = fit(
        columns.map((column, index) => Math.max(displayWidth(column), ...text.map((line) => displayWidth(line[index] ?? '')))),
        width,
      );
      const line = (values: readonly string[]): string =>
        `${values.map((value, index) => padEnd(truncate(value, widths[index] ?? 0), widths[index] ?? 0)).join('  ').trimEnd()}\n`;
      await sink.write(line(columns) + line(widths.map((w) => '─'.repeat(w))) + text.map(line).join(''));
    },
  };
}

const narrowest = 6;
const shortest = 20;

// Tables are read by people: a UTC date-time to the second is enough (`2024-10-01 03:37:16Z`).
const shortTime = (text: string): string => text.replace(/^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/, '$1 $2Z');

/**
 * Column widths that fit `width` with two spaces between them: columns narrower than a fair share
 * (or than 20, while the others keep six each) keep their width, the others share the rest in proportion to their own (at least six each).
 */
export function fit(natural: readonly number[], width: number): number[] {
  const room = width - 2 * (natural.length - 1);
  const sum = (values: readonly number[]): number => values.reduce((total, w) => total + w, 0);
  if (sum(natural) <= room) return [...natural];
  const kept = new Set<number>();
  for (let changed = true; changed; ) {
    changed = false;
    const share = (room - sum([...kept].map((i) => natural[i] ?? 0))) / (natural.length - kept.size);
    for (const [index, w] of natural.entries()) {
      const keptWidth = sum([...kept].map((i) => natural[i] ?? 0)) + w;
      // A short value (a date-time) stays whole too, while the others keep room to show something.
      const short = w <= shortest && room - keptWidth >= narrowest * (natural.length - kept.size - 1);
      if (!kept.has(index) && (w <= share || short)) {
        kept.add(index);
        changed = true;
      }
    }
  }
  const left = room - sum([...kept].map((i) => natural[i] ?? 0));
  const cut = sum(natural.filter((_, index) => !kept.has(index)));
  const widths = natural.map((w, index) => (kept.has(index) ? w : Math.max(narrowest, Math.floor((w * left) / cut))));
  // Rounding down leaves a few columns over: the cut columns take them back, in order.
  for (let spare = room - sum(widths), index = 0; spare > 0 && index < widths.length; index++) {
    if (kept.has(index)) continue;
    const extra = Math.min(spare, (natural[index] ?? 0) - (widths[index] ?? 0));
    widths[index] = (widths[index] ?? 0) + extra;
    spare -= extra;
  }
  return widths;
}
