import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createDemoScenario } from '@idgov/testing';
import { displayWidth } from '../src/text.js';

const bin = fileURLToPath(new URL('../src/bin/idgov.ts', import.meta.url));
const [demo] = createDemoScenario().workflows;
const demoRun = demo?.runs[0];
const quote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;

/**
 * The real bin in a pseudo-terminal (util-linux `script`): stdout and stderr are the same
 * terminal, as for a person at a shell, and stdin too (demo data needs `--demo` or a terminal).
 */
async function inTerminal(args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; raw: string }> {
  const command = [process.execPath, '--conditions=@idgov/source', '--import', 'tsx', bin, ...args].map(quote).join(' ');
  try {
    const { stdout } = await promisify(execFile)('script', ['-qefc', `stty cols 100 rows 40; ${command}`, '/dev/null'], {
      env: { PATH: process.env['PATH'] ?? '', TERM: 'xterm', ...env },
      encoding: 'utf8',
    });
    return { code: 0, raw: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, raw: failed.stdout };
  }
}

/** What the terminal shows once the output has been drawn: `\r` returns, `ESC[2K` erases the line. */
function screen(raw: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (let index = 0; index < raw.length; index++) {
    if (raw.startsWith('\u001b[2K', index)) {
      line = '';
      index += 3;
    } else if (raw[index] === '\r') {
      if (raw[index + 1] === '\n') continue;
      line = '';
    } else if (raw[index] === '\n') {
      lines.push(line);
      line = '';
    } else line += raw.charAt(index);
  }
  if (line !== '') lines.push(line);
  return lines;
}

describe('on a terminal', () => {
  it('progress never lands inside the data: every line shown is a whole NDJSON line', async () => {
    const { code, raw } = await inTerminal(['results', demo?.workflow.id ?? '', demoRun?.run.id ?? '', '--format', 'ndjson', '--top', '10', '--demo']);
    expect(code).toBe(0);
    // Progress was drawn (it is erased again before each data line and at the end).
    expect(raw).toContain(`idgov: 1 page, 10 of ${demoRun?.userProcessingResults.length ?? 0} items`);
    const [banner, ...data] = screen(raw);
    expect(banner).toBe('idgov: DEMO — demo data from the embedded fake Graph, not a tenant');
    expect(data).toHaveLength(demoRun?.userProcessingResults.length ?? 0);
    for (const line of data) expect(() => JSON.parse(line) as unknown, line).not.toThrow();
  });

  it('a table fits the terminal and no progress is left on screen', async () => {
    const { code, raw } = await inTerminal(['failures', '--demo']);
    expect(code).toBe(0);
    const [banner, header, rule, ...rows] = screen(raw);
    expect(banner).toBe('idgov: DEMO — demo data from the embedded fake Graph, not a tenant');
    expect(header).toMatch(/^workflow +user +task +failureReason +taskCompleted$/);
    expect(rule).toMatch(/^[─ ]+$/);
    expect(rows.length).toBeGreaterThan(0);
    for (const line of [header, rule, ...rows]) expect(displayWidth(line ?? '')).toBeLessThanOrEqual(100);
    expect(rows.some((row) => row.includes('idgov:'))).toBe(false);
  });

  it('without credentials, demo data comes under a banner and a sign-in hint', async () => {
    const { code, raw } = await inTerminal(['workflows', '--select', 'displayName']);
    expect(code).toBe(0);
    expect(screen(raw).slice(0, 3)).toMatchInlineSnapshot(`
      [
        "idgov: DEMO — demo data from the embedded fake Graph, not a tenant",
        "idgov: for your tenant, add --auth device-code --tenant <tenant-id>, or set IDGOV_TOKEN (see idgov --help)",
        "displayName",
      ]
    `);
  });
});
