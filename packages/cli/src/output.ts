/** How `idgov` prints items: a table for people, JSON, NDJSON or CSV for programs. */
export type OutputFormat = 'table' | 'json' | 'ndjson' | 'csv';

export const outputFormats: readonly OutputFormat[] = ['table', 'json', 'ndjson', 'csv'];

/** Where output goes: a file or stdout, written in order. */
export interface Sink {
  write(text: string): void;
}

/**
 * Writes items as they arrive. Every `write` ends on a complete line or row, so stopping between
 * two items (Ctrl-C) leaves valid output once `end` has run.
 */
export interface ItemWriter {
  write(items: readonly Record<string, unknown>[]): void;
  end(): void;
}

export function createItemWriter(format: OutputFormat, sink: Sink): ItemWriter {
  switch (format) {
    case 'ndjson':
      return {
        write: (items) => {
          if (items.length > 0) sink.write(`${items.map((item) => JSON.stringify(item)).join('\n')}\n`);
        },
        end: () => undefined,
      };
    case 'json': {
      let first = true;
      return {
        write: (items) => {
          for (const item of items) {
            sink.write(`${first ? '[\n' : ',\n'}  ${JSON.stringify(item)}`);
            first = false;
          }
        },
        end: () => { sink.write(first ? '[]\n' : '\n]\n'); },
      };
    }
    case 'csv':
      return csvWriter(sink);
    case 'table':
      return tableWriter(sink);
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

function csvWriter(sink: Sink): ItemWriter {
  let columns: string[] | undefined;
  const quote = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const line = (values: readonly string[]): string => `${values.map(quote).join(',')}\r\n`;
  return {
    write: (items) => {
      const rows = items.flatMap((item) => toRows(item));
      if (rows.length === 0) return;
      let head = '';
      if (columns === undefined) {
        // The first page names the columns (a stream cannot go back to add one); later rows fill them.
        columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
        head = line(columns);
      }
      const header = columns;
      sink.write(head + rows.map((row) => line(header.map((column) => cell(row[column])))).join(''));
    },
    end: () => undefined,
  };
}

/** Tables need every width before the first line: rows wait until the end. */
function tableWriter(sink: Sink): ItemWriter {
  const rows: Record<string, unknown>[] = [];
  return {
    write: (items) => {
      for (const item of items) rows.push(...toRows(item));
    },
    end: () => {
      if (rows.length === 0) {
        sink.write('(no items)\n');
        return;
      }
      const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
      const text = rows.map((row) => columns.map((column) => cell(row[column])));
      const widths = columns.map((column, index) => Math.max(column.length, ...text.map((line) => line[index]?.length ?? 0)));
      const line = (values: readonly string[]): string => `${values.map((value, index) => value.padEnd(widths[index] ?? 0)).join('  ').trimEnd()}\n`;
      sink.write(line(columns) + line(widths.map((width) => '─'.repeat(width))) + text.map(line).join(''));
    },
  };
}
