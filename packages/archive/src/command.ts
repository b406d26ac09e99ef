/**
 * `idgov archive …`: the archive's commands, for a CLI to dispatch to with its own streams,
 * environment, Graph connection and output writers.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { GraphClient } from '@idgov/client';
import { createClient } from '@idgov/client';
import { createDemoScenario, createFakeGraph } from '@idgov/testing';
import type { ArchiveDatabase } from './database.js';
import { isServerLocation, openArchive, reduceProcessMemory } from './database.js';
import { failures, gaps, parseSince, readOnlyQuery } from './queries.js';
import { resultWindowDays, syncTenant } from './sync.js';

/** Where text goes. */
export interface ArchiveSink {
  /** May resolve only when the reader has taken the text (backpressure); it is awaited. */
  write(text: string): Promise<void> | void;
}

/** Prints rows in one of the CLI's formats. */
export interface ArchiveRowWriter {
  write(rows: readonly Record<string, unknown>[]): Promise<void> | void;
  end(): Promise<void> | void;
}

/** What the archive commands talk to the world through. */
export interface ArchiveIo {
  readonly stdout: ArchiveSink & { readonly isTTY?: boolean };
  readonly stderr: { write(text: string): void; readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted on Ctrl-C: the sync stops after the page being committed. */
  readonly signal: AbortSignal;
  /** Graph with the configured credentials, for a sync without `--demo`. */
  readonly connect: () => Promise<GraphClient>;
  /** The output formats `createRowWriter` knows; the first one is for terminals. */
  readonly formats: readonly string[];
  readonly createRowWriter: (format: string, sink: ArchiveSink) => ArchiveRowWriter;
}

/** Usage text of `idgov archive`. */
export const archiveUsage = `usage: idgov archive <command> [options]

commands:
  sync                       archive what changed since the last sync (workflows, versions, runs,
                             user and task processing results, task reports)
  report failures [--since 90d] [--workflow <id>]
                             failed tasks of runs scheduled since then, newest first
  report gaps                runs whose results the service dropped before they were archived
  query "<SQL>"              one read-only SQL statement over the archive's tables

options:
  --db <folder|postgres://…> the archive (or IDGOV_ARCHIVE_DB; default ./idgov-archive, embedded)
  --tenant <name>            whose rows (default AZURE_TENANT_ID, else "default")
  --demo                     the embedded fake Graph's demo tenant, in <tmp>/idgov-archive-demo
  --format <format>          output of reports and queries
  --page-size <n>            $top when reading user processing results`;

const exit = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

class ArchiveUsageError extends Error {}

/**
 * Runs `idgov archive <args…>` and returns its exit code: 0, 1 for a failure (one line on
 * stderr), 2 for a usage mistake, 130 when interrupted.
 */
export async function runArchiveCommand(args: readonly string[], io: ArchiveIo): Promise<number> {
  let db: ArchiveDatabase | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        tenant: { type: 'string' },
        demo: { type: 'boolean' },
        format: { type: 'string' },
        since: { type: 'string' },
        workflow: { type: 'string' },
        'page-size': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    const [command, ...rest] = positionals;
    if (values.help === true || command === undefined) {
      await io.stdout.write(`${archiveUsage}\n`);
      return values.help === true ? exit.ok : exit.usage;
    }
    const demo = values.demo === true;
    const scenario = demo ? createDemoScenario() : undefined;
    const now = scenario === undefined ? Date.now() : Date.parse(scenario.now);
    const tenant = values.tenant ?? (demo ? 'demo' : nonEmpty(io.env['AZURE_TENANT_ID']) ?? 'default');
    const location = values.db ?? nonEmpty(io.env['IDGOV_ARCHIVE_DB']) ?? (demo ? join(tmpdir(), 'idgov-archive-demo') : 'idgov-archive');
    const format = outputFormat(values.format, io);
    const open = async (): Promise<ArchiveDatabase> => {
      // The command runs in a process a CLI owns: tuned for the embedded engine's memory.
      if (!isServerLocation(location)) reduceProcessMemory();
      db = await openArchive(location).catch((error: unknown) => {
        const where = isServerLocation(location) ? location.replace(/\/\/[^@/]*@/, '//…@') : location;
        throw new Error(`cannot open the archive at ${where}: ${error instanceof Error ? error.message : String(error)}`);
      });
      return db;
    };
    const rows = async (items: Promise<readonly object[]>): Promise<number> => {
      const writer = io.createRowWriter(format, io.stdout);
      await writer.write((await items) as Record<string, unknown>[]);
      await writer.end();
      return exit.ok;
    };
    switch (command) {
      case 'sync': {
        expectArgs(rest, 0, 'sync takes no arguments');
        const pageSize = values['page-size'] === undefined ? undefined : wholeNumber(values['page-size'], '--page-size', 1, 1000);
        let graph: GraphClient;
        if (scenario === undefined) graph = await io.connect();
        else {
          const fake = createFakeGraph({ scenario, clock: () => now });
          graph = createClient({ baseUrl: fake.baseUrl, fetch: fake.fetch, token: 'embedded-demo' });
        }
        const database = await open();
        const progress = io.stderr.isTTY === true;
        const report = await syncTenant({
          db: database,
          graph,
          tenant,
          now: () => now,
          signal: io.signal,
          ...(pageSize === undefined ? {} : { pageSize }),
          ...(progress ? { onPage: (p) => { io.stderr.write(`\ridgov archive: ${p.pages} pages, ${p.userProcessingResults} user results`); } } : {}),
        });
        if (progress) io.stderr.write('\n');
        await io.stdout.write(
          `archived tenant ${tenant}: ${report.workflows} workflows, ${report.runsRead} runs read (${report.runsUnchanged} unchanged, ${report.runsResumed} resumed), ` +
            `${report.userProcessingResults} user processing results, ${report.taskProcessingResults} task processing results, ${report.taskReports} task reports, in ${report.pages} pages\n`,
        );
        if (report.uncoveredSince !== undefined) io.stderr.write(`idgov archive: the last completed sync was before the ${resultWindowDays}-day window: runs since ${report.uncoveredSince} may be lost\n`);
        for (const gap of report.gaps) {
          io.stderr.write(`idgov archive: gap: run ${gap.runId} of workflow ${gap.workflowId} (${gap.scheduledDateTime}): ${gap.archivedUsers} of ${gap.expectedUsers ?? '?'} user results archived, the rest no longer held by the service\n`);
        }
        return exit.ok;
      }
      case 'report': {
        const [kind] = rest;
        if (kind === 'failures') {
          expectArgs(rest, 1, 'report failures takes no further arguments');
          const since = parseSince(values.since ?? '90d', now);
          const database = await open();
          return await rows(failures(database, { tenant, since, ...(values.workflow === undefined ? {} : { workflowId: values.workflow }) }));
        }
        if (kind === 'gaps') {
          expectArgs(rest, 1, 'report gaps takes no further arguments');
          return await rows(gaps(await open(), tenant));
        }
        throw new ArchiveUsageError(`report needs 'failures' or 'gaps'${kind === undefined ? '' : `, not '${kind}'`}`);
      }
      case 'query': {
        expectArgs(rest, 1, 'query takes one SQL statement, quoted');
        return await rows(readOnlyQuery(await open(), rest[0] ?? ''));
      }
      default:
        throw new ArchiveUsageError(`unknown archive command '${command}' (try idgov archive --help)`);
    }
  } catch (error) {
    if (error instanceof ArchiveUsageError || error instanceof RangeError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      io.stderr.write(`idgov archive: ${firstLine(error.message)}\n`);
      return exit.usage;
    }
    if (io.signal.aborted) {
      io.stderr.write('idgov archive: interrupted; the next sync resumes from the last committed page\n');
      return exit.interrupted;
    }
    io.stderr.write(`idgov archive: ${firstLine(error instanceof Error ? error.message : String(error))}\n`);
    return exit.failed;
  } finally {
    await db?.close();
  }
}

const firstLine = (text: string): string => text.split('\n')[0] ?? '';
const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value);

function expectArgs(args: readonly string[], count: number, message: string): void {
  if (args.length !== count) throw new ArchiveUsageError(message);
}

function wholeNumber(text: string, flag: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw new ArchiveUsageError(`${flag} must be a whole number from ${min} to ${max}, not '${text}'`);
  return value;
}

function outputFormat(requested: string | undefined, io: ArchiveIo): string {
  const format = requested ?? (io.stdout.isTTY === true ? (io.formats[0] ?? 'json') : (io.formats.includes('ndjson') ? 'ndjson' : (io.formats[0] ?? 'json')));
  if (!io.formats.includes(format)) throw new ArchiveUsageError(`--format must be one of ${io.formats.join(', ')}, not '${format}'`);
  return format;
}
