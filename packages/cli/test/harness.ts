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
  readonly files: ReadonlyMap<string, string>;
  readonly fake: FakeGraph;
}

/** Runs `idgov` in-process against an embedded fake of `scenario`, capturing everything. */
export async function idgov(
  argv: readonly string[],
  options: { env?: Record<string, string>; controller?: AbortController; onWrite?: (text: string) => void; fake?: FakeGraph; stdoutIsTTY?: boolean } = {},
): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const files = new Map<string, string>();
  const fake = options.fake ?? createFakeGraph({ scenario });
  const controller = options.controller ?? new AbortController();
  const io: Io = {
    stdout: {
      write: (text) => {
        stdout += text;
        options.onWrite?.(text);
      },
      isTTY: options.stdoutIsTTY ?? false,
    },
    stderr: { write: (text) => (stderr += text), isTTY: false },
    env: options.env ?? {},
    fetch: fake.fetch,
    signal: controller.signal,
    openOutput: (path) => {
      files.set(path, '');
      return {
        write: (text) => {
          files.set(path, (files.get(path) ?? '') + text);
          options.onWrite?.(text);
        },
        close: () => Promise.resolve(),
      };
    },
    embeddedGraph: () => Promise.resolve({ baseUrl: fake.baseUrl, fetch: fake.fetch }),
    serveFakeGraph: () => Promise.reject(new Error('not in these tests')),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr, files, fake };
}

export const ndjson = (text: string): Record<string, unknown>[] =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
