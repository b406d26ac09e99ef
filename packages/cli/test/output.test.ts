import { describe, expect, it } from 'vitest';
import type { OutputFormat, WriterOptions } from '../src/output.js';
import { createItemWriter, fit, toRows } from '../src/output.js';
import { displayWidth, stripControls, truncate } from '../src/text.js';

const render = async (format: OutputFormat, pages: Record<string, unknown>[][], options?: WriterOptions): Promise<string> => {
  let text = '';
  const writer = createItemWriter(format, { write: (chunk) => { text += chunk; } }, options);
  for (const page of pages) await writer.write(page);
  await writer.end();
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

  it('NDJSON: one object per line', async () => {
    expect(await render('ndjson', pages)).toBe('{"id":"a","name":"O\'Brien, \\"Lea\\"","count":1}\n{"id":"b","name":"line\\nbreak","count":null}\n');
  });

  it('JSON: one array, also when empty', async () => {
    expect(JSON.parse(await render('json', pages))).toEqual([...(pages[0] ?? []), ...(pages[2] ?? [])]);
    expect(await render('json', [])).toBe('[]\n');
  });

  it('CSV: RFC 4180 quoting, header once', async () => {
    expect(await render('csv', pages)).toBe('id,name,count\r\na,"O\'Brien, ""Lea""",1\r\nb,"line\nbreak",\r\n');
  });

  it('CSV: a header for no items, and a byte order mark when asked', async () => {
    expect(await render('csv', [[]], { emptyColumns: ['id', 'processingStatus'] })).toBe('id,processingStatus\r\n');
    expect(await render('csv', [[{ id: 'a' }]], { bom: true })).toBe('\uFEFFid\r\na\r\n');
  });

  it('CSV: cells a spreadsheet would run as formulas start with a quote, unless the guard is off', async () => {
    const hostile = [[{ a: '=HYPERLINK("http://x")', b: '+1', c: '-2', d: '@SUM(A1)', e: '\tx', f: '\rx', g: -3, h: 'ok' }]];
    expect(await render('csv', hostile)).toBe('a,b,c,d,e,f,g,h\r\n"\'=HYPERLINK(""http://x"")",\'+1,\'-2,\'@SUM(A1),\'\tx,"\'\rx",-3,ok\r\n');
    expect(await render('csv', hostile, { formulaGuard: false })).toBe('a,b,c,d,e,f,g,h\r\n"=HYPERLINK(""http://x"")",+1,-2,@SUM(A1),\tx,"\rx",-3,ok\r\n');
  });

  it('CSV and tables: escape sequences a server sent do not reach the output', async () => {
    const hostile = [[{ name: 'Lea\u001b[2J\u001b]0;owned\u0007\u009b31m\u202eevil' }]];
    expect(await render('csv', hostile)).toBe('name\r\nLeaevil\r\n');
    expect(await render('table', hostile)).toBe('name\n───────\nLeaevil\n');
    expect(await render('table', [[{ 'x\u001b[31m': 1 }]])).toBe('x\n─\n1\n');
    // JSON keeps the value, written with escapes a terminal does not act on.
    const line = await render('ndjson', [[{ name: 'a\u009b31m\u202eb' }]]);
    expect(line).toBe('{"name":"a\\u009b31m\\u202eb"}\n');
    expect(JSON.parse(line)).toEqual({ name: 'a\u009b31m\u202eb' });
  });

  it('table: aligned columns under a rule', async () => {
    expect(await render('table', [[{ id: 'a', status: 'failed' }, { id: 'bbb', status: 'ok' }]])).toBe('id   status\n───  ──────\na    failed\nbbb  ok\n');
    expect(await render('table', [])).toBe('(no items)\n');
  });

  it('table: fits the width by cutting the widest column with an ellipsis, measuring wide characters as two', async () => {
    const rows = [[{ id: 'a', name: '山田太郎 '.repeat(10), status: 'failed' }]];
    const text = await render('table', rows, { width: 40 });
    for (const line of text.trimEnd().split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(40);
    expect(text.split('\n')[2]).toMatch(/^a {3}山田太郎.*… {2}failed$/);
  });
});

describe('text', () => {
  it('fit keeps the narrow columns and shares the rest in proportion', () => {
    expect(fit([2, 50, 30], 40)).toEqual([2, 22, 12]);
    // Never narrower than six columns, even if the table then stays wider.
    expect(fit([10, 10, 10, 10], 20)).toEqual([6, 6, 6, 6]);
    expect(fit([2, 5], 80)).toEqual([2, 5]);
  });

  it('truncate cuts on grapheme and width boundaries', () => {
    expect(truncate('👩‍👩‍👧‍👦 family', 3)).toBe('👩‍👩‍👧‍👦…');
    expect(truncate('abc', 3)).toBe('abc');
  });

  it('stripControls keeps tabs and line breaks, drops the rest', () => {
    expect(stripControls('a\tb\nc\u0000\u0007\u001b[1m')).toBe('a\tb\nc');
  });
});
