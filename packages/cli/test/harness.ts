import type { FakeGraph } from '@idgov/testing';
import { createFakeGraph, createScenario } from '@idgov/testing';
import type { Io } from '../src/main.js';
import { main } from '../src/main.js';

export const scenario = createScenario({ seed: 7, workflows: 1, runsPerWorkflow: 2, usersPerRun: 250, failureRate: 0.2 });
export const [first] = scenario.workflows;
if (first === undefined) throw new Error('the scenario has no workflow');
export const workflowId = first.workflow.id;
const [older, latest] = first.runs;
if (older === undefined || latest === undefined) throw new Error('the scenario needs two runs');
export const olderRun = older;
export const latestRun = latest;

export interface Captured {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** `--output` files as committed (a discarded one is absent, or keeps what it had). */
  readonly files: ReadonlyMap<string, string>;
  readonly fake: FakeGraph;
}

export interface Options {
  env?: Record<string, string>;
  controller?: AbortController;
  onWrite?: (text: string) => void;
  fake?: FakeGraph;
  /** stdout a terminal (tables by default); `terminal` makes stdin and stderr one too. */
  stdoutIsTTY?: boolean;
  terminal?: boolean;
  columns?: number;
  /** What the user answers to a confirmation. */
  answer?: string;
  files?: Map<string, string>;
  now?: number;
}

/** Runs `idgov` in-process against an embedded fake of `scenario`, capturing everything. */
export async function idgov(argv: readonly string[], options: Options = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const files = options.files ?? new Map<string, string>();
  const fake = options.fake ?? createFakeGraph({ scenario });
  const controller = options.controller ?? new AbortController();
  const io: Io = {
    stdout: {
      write: (text) => {
        stdout += text;
        options.onWrite?.(text);
      },
      isTTY: options.stdoutIsTTY ?? options.terminal ?? false,
      ...(options.columns === undefined ? {} : { columns: options.columns }),
    },
    stderr: { write: (text) => (stderr += text), isTTY: options.terminal ?? false, columns: options.columns ?? 80 },
    stdin: {
      isTTY: options.terminal ?? false,
      question: (prompt) => {
        stderr += prompt;
        return Promise.resolve(options.answer ?? '');
      },
    },
    env: options.env ?? {},
    fetch: fake.fetch,
    signal: controller.signal,
    now: () => options.now ?? Date.parse('2024-10-02T00:00:00Z'),
    openOutput: (path) => {
      let text = '';
      return Promise.resolve({
        write: (chunk: string) => {
          text += chunk;
          options.onWrite?.(chunk);
        },
        commit: () => {
          files.set(path, text);
          return Promise.resolve();
        },
        discard: () => Promise.resolve(),
      });
    },
    readFile: (path) => {
      const text = files.get(path);
      return text === undefined ? Promise.reject(new Error(`ENOENT: no such file, open '${path}'`)) : Promise.resolve(text);
    },
    embeddedGraph: () => Promise.resolve({ baseUrl: fake.baseUrl, fetch: fake.fetch }),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr, files, fake };
}

export const ndjson = (text: string): Record<string, unknown>[] =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
