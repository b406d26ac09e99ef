import type { GraphClient } from '@idgov/client';
import { lifecycleWorkflows, unwrap } from '@idgov/client';
import { suggestProperty } from '@idgov/odata';
import { entities, enums } from '@idgov/types';
import { exitCodes, list, text, UsageError } from './args.js';
import type { Context } from './commands.js';
import { connect } from './connect.js';
import { emit } from './list.js';
import { oneLine } from './text.js';

const ns = 'microsoft.graph.identityGovernance';
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Asks before a change on an interactive terminal, unless `--yes`; without a terminal `--yes` is
 * required, so a script never changes a tenant by accident.
 */
async function confirm(context: Context, what: string): Promise<boolean> {
  const { io, flags } = context;
  if (flags['yes'] === true) return true;
  if (io.stdin.isTTY !== true || io.stderr.isTTY !== true) throw new UsageError(`${what}: not confirmed (add --yes to run it without a terminal)`);
  const answer = await io.stdin.question(`idgov: ${what}? [y/N] `);
  return /^y(es)?$/i.test(answer.trim());
}

/** The request-id of the write just answered, as connect noted it. */
const requestIds = (context: Context): string => {
  const id = context.reached.requestId;
  return id === undefined ? '' : ` (request-id ${oneLine(id)})`;
};

const scopes = ['users', 'group', 'run'] as const;
const upn = /^[^@\s/]+@[^@\s/]+$/;

/**
 * Object ids for `--user`: ids as given, user principal names looked up (`GET /users/{upn}`,
 * which needs User.Read.All) — the activation takes ids only. Users are outside the Lifecycle
 * Workflows tree, so this one request uses the client's raw method.
 * @see https://learn.microsoft.com/graph/api/user-get
 */
async function userIds(graph: GraphClient, users: readonly string[], signal: AbortSignal): Promise<string[]> {
  const loose = graph as unknown as { GET(path: string, init: Record<string, unknown>): Promise<{ data?: unknown; error?: unknown; response: Response }> };
  return Promise.all(
    users.map(async (user) => {
      if (guid.test(user)) return user;
      const found = unwrap(await loose.GET('/users/{user-id}', { params: { path: { 'user-id': user }, query: { $select: ['id'] } }, signal })) as { id?: unknown } | undefined;
      if (typeof found?.id !== 'string') throw new Error(`no object id for user ${user}`);
      return found.id;
    }),
  );
}

/**
 * `idgov run <workflow>`: on-demand activation for `--user`s; with `--scope`, the scoped
 * activation: `users`, a `group`, or a `run` again (`--failed-only`: its failed users' failed tasks).
 */
export async function activateCommand(context: Context): Promise<number> {
  const { io, flags, args } = context;
  const workflowId = args[0] ?? '';
  const scope = text(flags, 'scope');
  if (scope !== undefined && !(scopes as readonly string[]).includes(scope)) throw new UsageError(`--scope must be one of ${scopes.join(', ')}, not '${scope}'`);
  const given = list(flags, 'user');
  const group = text(flags, 'group');
  const run = text(flags, 'run');
  const only = (wanted: string, given: Readonly<Record<string, boolean>>): void => {
    const extra = Object.entries(given).find(([name, present]) => present && name !== wanted);
    if (extra !== undefined) throw new UsageError(`--${extra[0]} does not go with ${scope === undefined ? 'a run for users' : `--scope ${scope}`}`);
  };
  only(scope === 'group' ? 'group' : scope === 'run' ? 'run' : 'user', { user: given.length > 0, group: group !== undefined, run: run !== undefined });
  if (flags['failed-only'] === true && scope !== 'run') throw new UsageError('--failed-only goes with --scope run');
  if ((scope === undefined || scope === 'users') && given.length === 0) throw new UsageError('run needs --user <upn|id> (one or more)');
  const wrongUser = given.find((user) => !guid.test(user) && !upn.test(user));
  if (wrongUser !== undefined) throw new UsageError(`--user takes a user principal name or object id, not '${wrongUser}'`);
  if (group !== undefined && !guid.test(group)) throw new UsageError(`--group takes an object id (a GUID), not '${group}'`);
  if (scope === 'group' && group === undefined) throw new UsageError('--scope group needs --group <id>');
  if (scope === 'run' && run === undefined) throw new UsageError('--scope run needs --run <runId>');
  const graph = await connect(context);
  const users = await userIds(graph, given, io.signal);
  const whom = scope === 'group' ? `the members of group ${group ?? ''}` : scope === 'run' ? `the ${flags['failed-only'] === true ? 'failed users of' : 'users of'} run ${run ?? ''}` : `${users.length} user${users.length === 1 ? '' : 's'}`;
  if (!(await confirm(context, `run workflow ${workflowId} now for ${whom}`))) return nothingDone(context);
  const workflow = lifecycleWorkflows(graph).workflows(workflowId);
  const options = { signal: io.signal };
  if (scope === undefined) await workflow.activate({ subjects: users.map((id) => ({ id })) }, options);
  else {
    await workflow.activateWithScope(
      {
        scope:
          scope === 'users'
            ? { '@odata.type': `#${ns}.activateUserScope`, users: users.map((id) => ({ id })) }
            : scope === 'group'
              ? { '@odata.type': `#${ns}.activateGroupScope`, group: { id: group ?? '' } }
              : { '@odata.type': `#${ns}.activateRunScope`, run: { id: run ?? '' }, ...(flags['failed-only'] === true ? { taskScope: 'failedTasks', userScope: 'failedUsers' } : { taskScope: 'allTasks', userScope: 'allUsers' }) },
      },
      options,
    );
  }
  await io.stdout.write(`started workflow ${workflowId} for ${scope === undefined || scope === 'users' ? given.join(', ') : whom}${requestIds(context)}\n`);
  return exitCodes.ok;
}

/** `idgov cancel <workflow> [--run <id>…]`: stops processing, of the given runs or all in progress. */
export async function cancelCommand(context: Context): Promise<number> {
  const { io, flags, args } = context;
  const workflowId = args[0] ?? '';
  const runs = list(flags, 'run');
  const graph = await connect(context);
  const what = runs.length === 0 ? 'everything in progress' : `run${runs.length === 1 ? '' : 's'} ${runs.join(', ')}`;
  if (!(await confirm(context, `cancel ${what} of workflow ${workflowId}`))) return nothingDone(context);
  await lifecycleWorkflows(graph)
    .workflows(workflowId)
    .cancelProcessing({ scope: runs.length === 0 ? null : { '@odata.type': `#${ns}.cancelRunsScope`, runs: runs.map((id) => ({ id })) } }, { signal: io.signal });
  await io.stdout.write(`canceled ${what} of workflow ${workflowId}${requestIds(context)}\n`);
  return exitCodes.ok;
}

/** `idgov clear-quarantine <workflow>`: lets a quarantined workflow run again. */
export async function clearQuarantineCommand(context: Context): Promise<number> {
  const { io, args } = context;
  const workflowId = args[0] ?? '';
  const graph = await connect(context);
  if (!(await confirm(context, `clear the quarantine of workflow ${workflowId}`))) return nothingDone(context);
  await lifecycleWorkflows(graph).workflows(workflowId).clearQuarantine({ signal: io.signal });
  await io.stdout.write(`cleared the quarantine of workflow ${workflowId}${requestIds(context)}\n`);
  return exitCodes.ok;
}

function nothingDone(context: Context): number {
  context.io.stderr.write('idgov: nothing done\n');
  return exitCodes.failed;
}

/** `idgov workflows create --file`: checks the file against the workflow's metadata, then POSTs it. */
export async function createWorkflowCommand(context: Context): Promise<number> {
  const { io, flags } = context;
  const file = text(flags, 'file');
  if (file === undefined) throw new UsageError('workflows create needs --file <workflow.json>');
  let body: unknown;
  try {
    body = JSON.parse(await io.readFile(file));
  } catch (error) {
    throw new UsageError(`--file ${file}: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}`);
  }
  const problem = checkBody(body, `${ns}.workflow`, '');
  if (problem !== undefined) throw new UsageError(`--file ${file}: ${problem}`);
  const workflow = body as { displayName?: string };
  const graph = await connect(context);
  if (!(await confirm(context, `create workflow '${workflow.displayName ?? ''}'`))) return nothingDone(context);
  const data = (await lifecycleWorkflows(graph).workflows.create(body as never, { signal: io.signal })) as Record<string, unknown>;
  const id = typeof data['id'] === 'string' ? data['id'] : '';
  io.stderr.write(`idgov: created workflow ${oneLine(id)}${requestIds(context)}\n`);
  return emit(context, {}, (write) => write([data]));
}

type Metadata = Readonly<Record<string, { properties: Readonly<Record<string, { kind: string; nullable: boolean; collection: boolean; type?: string; navigation: boolean }>> } | undefined>>;

/**
 * The first way `value` does not fit the type `typeName` of the generated metadata: an unknown
 * property (with the nearest known one), a wrong kind of value, an enum member that does not exist.
 * Derived types (`@odata.type`) are checked against their own properties.
 */
export function checkBody(value: unknown, typeName: string, at: string): string | undefined {
  const written = (value as { '@odata.type'?: unknown } | null)?.['@odata.type'];
  const derived = typeof written === 'string' ? written.replace(/^#/, '') : undefined;
  const type = (entities as Metadata)[derived ?? typeName];
  if (type === undefined) return derived === undefined ? undefined : `${at || 'the body'}: unknown @odata.type '${derived}'`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return `${at || 'the body'} must be an object`;
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    if (key.includes('@odata.')) continue;
    const where = at === '' ? key : `${at}.${key}`;
    const property = type.properties[key];
    if (property === undefined) {
      const near = suggestProperty(key, Object.keys(type.properties));
      return `${where} is not a property of ${typeName.split('.').at(-1) ?? typeName}${near === undefined ? '' : ` (did you mean ${near}?)`}`;
    }
    if (field === null) {
      if (!property.nullable) return `${where} may not be null`;
      continue;
    }
    if (property.collection && !Array.isArray(field)) return `${where} must be an array`;
    const values: readonly unknown[] = property.collection ? (field as unknown[]) : [field];
    for (const [index, element] of values.entries()) {
      const here = property.collection ? `${where}[${index}]` : where;
      const problem = checkValue(element, property, here);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

function checkValue(value: unknown, property: { kind: string; type?: string }, at: string): string | undefined {
  switch (property.kind) {
    case 'string':
    case 'dateTimeOffset':
    case 'duration':
    case 'guid':
      return typeof value === 'string' ? undefined : `${at} must be a string`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${at} must be true or false`;
    case 'int32':
    case 'int64':
      return Number.isInteger(value) ? undefined : `${at} must be a whole number`;
    case 'enum': {
      const members = (enums as Readonly<Record<string, { members: readonly string[] } | undefined>>)[property.type ?? '']?.members ?? [];
      const wrong = typeof value === 'string' ? value.split(',').find((member) => !members.includes(member.trim())) : String(value);
      return wrong === undefined ? undefined : `${at}: '${wrong}' is not one of ${members.join(', ')}`;
    }
    case 'complex':
    case 'entity':
      return checkBody(value, property.type ?? '', at);
    default:
      return undefined;
  }
}
