import type { CallOptions, LifecycleWorkflows, ODataInput, PageLimits, Paginator } from '@idgov/client';
import { lifecycleWorkflows } from '@idgov/client';
import { entities } from '@idgov/types';
import { exitCodes, integer, text } from './args.js';
import type { Context } from './commands.js';
import { connect } from './connect.js';
import type { Sink } from './output.js';
import { createItemWriter } from './output.js';
import { readQuery } from './query.js';
import { localTime } from './time.js';

type Item = Record<string, unknown>;

/**
 * Writes what `body` produces in the chosen `--format` to stdout or `--output`. The file is put
 * in place only when everything was written (or the user interrupted: it then holds complete
 * lines); on any error it is discarded and an existing file keeps its content. On a terminal,
 * progress is cleared before each write to stdout.
 */
export async function emit(context: Context, options: { readonly columns?: readonly string[] }, body: (write: (items: readonly Item[]) => Promise<void>) => Promise<void>): Promise<number> {
  const { io, flags, progress } = context;
  const path = text(flags, 'output');
  const file = path === undefined ? undefined : await io.openOutput(path);
  const stdout: Sink = io.stdout.isTTY === true ? { write: (chunk) => { progress.clear(); return io.stdout.write(chunk); } } : io.stdout;
  const writer = createItemWriter(context.format ?? 'ndjson', file ?? stdout, {
    bom: flags['bom'] === true,
    formulaGuard: flags['no-formula-guard'] !== true,
    ...(options.columns === undefined ? {} : { emptyColumns: options.columns }),
    ...(flags['wide'] === true || file !== undefined ? {} : widthOf(io)),
  });
  const shape = flags['local-time'] === true ? localTime(io.env['TZ']) : undefined;
  try {
    await body((items) => writer.write(shape === undefined ? items : items.map(shape)));
  } catch (error) {
    if (!io.signal.aborted) {
      await file?.discard();
      throw error;
    }
  }
  progress.clear();
  try {
    await writer.end();
    await file?.commit();
  } catch (error) {
    await file?.discard();
    throw error;
  }
  return io.signal.aborted ? exitCodes.interrupted : exitCodes.ok;
}

/** The terminal's width for tables; `COLUMNS` when stdout is not a terminal but sets one. */
function widthOf(io: Context['io']): { width?: number } {
  if (io.stdout.isTTY === true) return { width: io.stdout.columns ?? 80 };
  const columns = Number(io.env['COLUMNS']);
  return Number.isSafeInteger(columns) && columns > 0 ? { width: columns } : {};
}

/** Any list of the resource tree, whatever its entity. */
export type AnyList = (query?: never) => Paginator<unknown>;

/** A pageable collection a list command reads. */
export interface ListTarget {
  readonly entity: string;
  /** The tree's list of the collection. */
  readonly list: (tree: LifecycleWorkflows) => AnyList;
  /** The date-time property `--since`/`--until` compare. */
  readonly timeProperty?: string;
}

/** The properties a CSV of no items names in its header: the selected ones, or the entity's own. */
export function columnsOf(entity: string, select: string | undefined): string[] {
  if (select !== undefined) return select.split(',').map((s) => s.trim());
  const properties = (entities as Readonly<Record<string, { properties: Readonly<Record<string, { navigation: boolean }>> } | undefined>>)[entity]?.properties ?? {};
  return Object.entries(properties).filter(([, p]) => !p.navigation).map(([name]) => name);
}

/** Lists every page of a collection with the query flags, progress on a terminal, and `--count`. */
export async function listCommand(context: Context, target: ListTarget): Promise<number> {
  const { io, flags, progress } = context;
  const countOnly = flags['count'] === true;
  // On a terminal the total is worth the `$count` it costs: progress shows "n of total".
  const query = readQuery(flags, target.entity, { now: io.now(), ...(target.timeProperty === undefined ? {} : { timeProperty: target.timeProperty }), count: countOnly || io.stderr.isTTY === true });
  const maxItems = integer(flags, 'max-items', 1, Number.MAX_SAFE_INTEGER);
  if (!query.validated) io.stderr.write('idgov: --no-validate: the query goes to the service unchecked\n');
  // The query comes from flags, checked against the metadata at run time (or not: --no-validate),
  // so the list is called with the client's untyped query form.
  const list = target.list(lifecycleWorkflows(await connect(context))) as unknown as (query: ODataInput & PageLimits & CallOptions) => Paginator<Item>;
  const paginator = list({
    ...query.input,
    ...(countOnly ? { top: 1, maxPages: 1 } : maxItems === undefined ? {} : { maxItems }),
    signal: io.signal,
  });
  return emit(context, { columns: countOnly ? ['count'] : columnsOf(target.entity, text(flags, 'select')) }, async (write) => {
    let pages = 0;
    let items = 0;
    let total: number | undefined;
    for await (const page of paginator.pages()) {
      if (countOnly) {
        await write([{ count: page.count ?? null }]);
        return;
      }
      pages++;
      items += page.value.length;
      await write(page.value);
      total ??= page.count;
      progress.page(pages, items, total);
      if (io.signal.aborted) return;
    }
  });
}
