import { describe, expect, it } from 'vitest';
import type { OutputFormat } from '../src/output.js';
import { createItemWriter, toRows } from '../src/output.js';

const render = (format: OutputFormat, pages: Record<string, unknown>[][]): string => {
  let text = '';
  const writer = createItemWriter(format, { write: (chunk) => (text += chunk) });
  for (const page of pages) writer.write(page);
  writer.end();
  return text;
};

describe('toRows', () => {
  it('flattens nested objects into a/b columns and skips annotations', () => {
    expect(toRows({ id: '1', '@odata.type': '#x', subject: { id: 'u', displayName: 'Lea' } })).toEqual([{ id: '1', 'subject/id': 'u', 'subject/displayName': 'Lea' }]);
  });

  it('gives one row per element of an expanded collection', () => {
    expect(toRows({ id: '1', tasks: [{ status: 'failed' }, { status: 'completed' }] })).toEqual([
      { id: '1', 'tasks/status': 'failed' },
      { id: '1', 'tasks/status': 'completed' },
    ]);
  });
});

describe('writers', () => {
  const pages = [[{ id: 'a', name: 'O\'Brien, "Lea"', count: 1 }], [], [{ id: 'b', name: 'line\nbreak', count: null }]];

  it('NDJSON: one object per line', () => {
    expect(render('ndjson', pages)).toBe('{"id":"a","name":"O\'Brien, \\"Lea\\"","count":1}\n{"id":"b","name":"line\\nbreak","count":null}\n');
  });

  it('JSON: one array, also when empty', () => {
    expect(JSON.parse(render('json', pages))).toEqual([...(pages[0] ?? []), ...(pages[2] ?? [])]);
    expect(render('json', [])).toBe('[]\n');
  });

  it('CSV: RFC 4180 quoting, header once', () => {
    expect(render('csv', pages)).toBe('id,name,count\r\na,"O\'Brien, ""Lea""",1\r\nb,"line\nbreak",\r\n');
  });

  it('table: aligned columns under a rule', () => {
    expect(render('table', [[{ id: 'a', status: 'failed' }, { id: 'bbb', status: 'ok' }]])).toBe(
      'id   status\n───  ──────\na    failed\nbbb  ok\n',
    );
    expect(render('table', [])).toBe('(no items)\n');
  });
});
