import { entities, operationMetadata } from '@idgov/types';
import type { EntityMetadata, OperationMetadata } from '@idgov/types';
import { decodeSkipToken, encodeSkipToken, prepareQuery, splitSkipToken, windowStart } from './collection-query.js';
import type { PreparedQuery, QueryError } from './collection-query.js';
import { activate, faultsFor } from './faults.js';
import type { ActiveRule, Fault, FaultRule } from './faults.js';
import { baseHeaders, graphError, jsonResponse, noContent, toResponse } from './fake-response.js';
import { insight, parseRange, summarize } from './insights.js';
import type { FakeResponse, ResponseContext } from './fake-response.js';
import { startServer } from '#http-door';
import type { FakeGraphServer, ListenOptions } from './http-door.js';
import { isNotFound, navigate, resolve } from './navigation.js';
import type { Item, Resource } from './navigation.js';
import { allowedScopes, WRITE_SCOPE, WWW_AUTHENTICATE } from './permissions.js';
import { createRandom } from './random.js';
import { matchRoute } from './router.js';
import type { MatchedRoute } from './router.js';
import { advanceRun, quarantineIfNeeded } from './runs.js';
import type { PendingRun } from './runs.js';
import { createScenario } from './scenario.js';
import type { Scenario, ScenarioSettings } from './scenario.js';
import { countedByDefault, hideEvolvableMembers, wantsUnknownEnumMembers } from './shapes.js';
import {
  activateWithScope,
  activateWorkflow,
  cancelProcessing,
  clearQuarantine,
  createCustomTaskExtension,
  createNewVersion,
  createWorkflow,
  deleteCustomTaskExtension,
  deleteWorkflow,
  parseBody,
  previewTaskFailures,
  previewWorkflow,
  refuseTaskChange,
  restoreWorkflow,
  resumeTask,
  updateCustomTaskExtension,
  updateInsights,
  updateSettings,
  updateTask,
  updateWorkflow,
} from './writes.js';
import type { WriteOutcome } from './writes.js';

const entityTypes: Readonly<Record<string, EntityMetadata>> = entities;
/** Bound actions and functions of the slice start with this. */
const NAMESPACE = 'microsoft.graph.identityGovernance.';
const TASK_PROCESSING_RESULT = 'microsoft.graph.identityGovernance.taskProcessingResult';

/** How a request wants to see the data: with `Prefer: include-unknown-enum-members` or without. */
interface View {
  readonly includeUnknownEnumMembers: boolean;
}

/** What paging a collection needs to know about the request. */
interface PageContext {
  readonly ctx: ResponseContext;
  readonly origin: string;
  readonly relPath: string;
  readonly rest: string;
  readonly template: readonly string[];
  readonly type: string | undefined;
  readonly view: View;
}

/** Options for {@link createFakeGraph}. */
export interface FakeGraphOptions {
  /** The data served (default: `createScenario()`). Writes change it in place. */
  readonly scenario?: Scenario;
  /**
   * Who may call: a list of scopes every bearer token holds (default `['LifecycleWorkflows.ReadWrite.All']`),
   * or opaque tokens mapped to their scopes (any other token gets 401).
   */
  readonly scopes?: readonly string[] | Readonly<Record<string, readonly string[]>>;
  /** Fault rules active from the start; add more with {@link FakeGraph.inject}. */
  readonly faults?: readonly FaultRule[];
  /** Base URL of the fetch and msw doors (default `https://graph.microsoft.com/v1.0`). */
  readonly baseUrl?: string;
  /** Base URL written into `@odata.nextLink` (default: the URL the request came to). Point it at another fake to test that a client refuses a foreign next link. */
  readonly nextLinkBaseUrl?: string;
  /** Page size without `$top` (default 100). */
  readonly pageSize?: number;
  /** Milliseconds since the epoch for `Date`, error dates, the request log and writes (default `Date.now`). */
  readonly clock?: () => number;
  /** How many requests {@link FakeGraph.requests} keeps, newest last (default {@link DEFAULT_REQUEST_LOG_SIZE}; 0 keeps none). */
  readonly requestLogSize?: number;
}

/** Requests the log keeps by default: enough for any test's assertions, flat memory in a long-running server. */
export const DEFAULT_REQUEST_LOG_SIZE = 1_000;
/** A logged URL or header value is cut to this many characters, so a ring of hostile requests stays small. */
const LOGGED_TEXT = 4_096;
const cut = (text: string): string => (text.length > LOGGED_TEXT ? `${text.slice(0, LOGGED_TEXT)}…` : text);

/** One request as the fake saw it, for assertions. */
export interface RecordedRequest {
  readonly method: string;
  /** The full URL as requested. */
  readonly url: string;
  /** The path after the version segment (`/identityGovernance/…`), undecoded. */
  readonly path: string;
  /** Header names in lower case; `authorization` is replaced by `Bearer <redacted>`. */
  readonly headers: Readonly<Record<string, string>>;
  /** Whether an `Authorization` header came. */
  readonly authorization: boolean;
  /** The bearer token, to assert which credential reached the fake (a fake: tokens are opaque test strings). */
  readonly token: string | undefined;
  /** The matched operation (`GET /identityGovernance/…/{workflow-id}`), if any. */
  readonly route: string | undefined;
  /** From the fake's clock, at arrival. */
  readonly time: number;
  readonly door: 'fetch' | 'http' | 'msw';
  /** The answer's status; undefined when a network error was injected. */
  readonly status: number | undefined;
  /** Kinds of the injected faults that applied. */
  readonly faults: readonly Fault['kind'][];
}

/** A door-independent request. */
export interface FakeRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: { get(name: string): string | null; forEach(fn: (value: string, name: string) => void): void };
  text(): Promise<string>;
  readonly signal?: AbortSignal;
}

/** A fake Microsoft Graph for the Lifecycle Workflows API: one implementation, three doors. */
export interface FakeGraph {
  /** The data served; writes change it. */
  readonly scenario: Scenario;
  /** `https://graph.microsoft.com/v1.0` unless configured. */
  readonly baseUrl: string;
  /** A WHATWG `fetch` answering URLs under `baseUrl`, without network; other URLs reject like an unknown host. */
  readonly fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  /** The latest requests (at most `requestLogSize`), oldest first; URLs and header values cut at 4,096 characters. */
  readonly requests: readonly RecordedRequest[];
  /** Adds a fault rule (after the existing ones). */
  inject(rule: FaultRule): void;
  /** Forgets recorded requests and injected faults, restores the option faults afresh, and drops cached query results (call it after editing `scenario` by hand). */
  reset(): void;
  /** Serves the same fake over HTTP on 127.0.0.1 (port 0: any free port). */
  listen(options?: ListenOptions): Promise<FakeGraphServer>;
  /** Answers one door-independent request; `origin` is the scheme, host and port it came to. The msw handlers of `@idgov/testing/msw` go through it. */
  handle(request: FakeRequest, origin: string, door: RecordedRequest['door']): Promise<FakeResponse>;
}

const LCW_PREFIX = ['identityGovernance', 'lifecycleWorkflows'];
/** Graph takes at most 20 requests in one `$batch`. */
const BATCH_LIMIT = 20;

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    }, { once: true });
  });
}

function bounded<K, V>(map: Map<K, V>, key: K, value: V, limit: number): V {
  if (map.size >= limit) {
    const first = map.keys().next();
    if (first.done !== true) map.delete(first.value);
  }
  map.set(key, value);
  return value;
}

/**
 * Creates a fake Graph over a scenario: Graph's envelope and paging, OData queries computed with
 * `@idgov/odata` under the metadata's capabilities, Graph-shaped errors, scopes, and scriptable faults.
 * @example
 * const fake = createFakeGraph({ scenario: createScenario({ seed: 42 }) });
 * const res = await fake.fetch('https://graph.microsoft.com/v1.0/identityGovernance/lifecycleWorkflows/workflows', { headers: { authorization: 'Bearer t' } });
 * @see https://learn.microsoft.com/graph/api/resources/identitygovernance-lifecycleworkflows-overview
 */
export function createFakeGraph(options: FakeGraphOptions = {}): FakeGraph {
  const scenario = options.scenario ?? createScenario();
  const baseUrl = (options.baseUrl ?? 'https://graph.microsoft.com/v1.0').replace(/\/+$/, '');
  const base = new URL(baseUrl);
  const versionPath = base.pathname.replace(/\/+$/, '');
  const clock = options.clock ?? Date.now;
  const pageSize = options.pageSize ?? 100;
  const random = createRandom(scenario.seed + 0x5eed);
  const nowMs = Date.parse(scenario.now);
  const requests: RecordedRequest[] = [];
  const logSize = options.requestLogSize ?? DEFAULT_REQUEST_LOG_SIZE;
  if (!Number.isSafeInteger(logSize) || logSize < 0) throw new RangeError(`createFakeGraph: 'requestLogSize' must be a non-negative integer, not ${logSize}.`);
  let rules: ActiveRule[] = (options.faults ?? []).map(activate);
  let dataVersion = 0;
  const prepared = new Map<string, PreparedQuery | QueryError>();
  const matched = new Map<string, { version: number; items: readonly Item[] }>();
  /** On-demand runs still moving on. */
  const pending: PendingRun[] = [];

  function authorize(request: FakeRequest, ctx: ResponseContext): { scopes: readonly string[] } | FakeResponse {
    const header = request.headers.get('authorization');
    const challenge = { 'www-authenticate': WWW_AUTHENTICATE };
    if (header === null || header.trim() === '') return graphError(ctx, 401, 'InvalidAuthenticationToken', 'Access token is empty.', challenge);
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if (token === undefined) return graphError(ctx, 401, 'InvalidAuthenticationToken', 'Access token validation failure: the Authorization header must be "Bearer <token>".', challenge);
    const scopes = options.scopes;
    if (scopes === undefined) return { scopes: [WRITE_SCOPE] };
    if (Array.isArray(scopes)) return { scopes: scopes as readonly string[] };
    const held = Object.hasOwn(scopes, token) ? (scopes as Readonly<Record<string, readonly string[]>>)[token] : undefined;
    if (held === undefined) return graphError(ctx, 401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.', challenge);
    return { scopes: held };
  }

  function prepare(route: MatchedRoute, rest: string, resultType: string | undefined): PreparedQuery | QueryError {
    const key = `${route.key}\n${rest}`;
    const hit = prepared.get(key);
    if (hit !== undefined) return hit;
    // `$count` has no result type of its own: its filter speaks of the list's items.
    const type = route.operation.resultIsCount ? operationMetadata[route.key.replace(/\/\$count$/, '')]?.resultType : resultType;
    const entity = type === undefined ? undefined : entityTypes[type];
    return bounded(prepared, key, prepareQuery(route.operation, entity, rest), 512);
  }

  /** Items of a collection after window, search and filter, ordered; cached until the next write. */
  function select(resource: Extract<Resource, { kind: 'collection' }>, q: PreparedQuery): readonly Item[] {
    const key = `${resource.path}\n${q.rest}`;
    const hit = matched.get(key);
    if (hit?.version === dataVersion) return hit.items;
    let items = resource.items();
    if (resource.windowed) {
      const from = windowStart(nowMs, q.reach);
      items = items.filter((i) => Date.parse((i.value as { scheduledDateTime?: string }).scheduledDateTime ?? '') >= from);
    }
    const search = q.search;
    if (search !== undefined) {
      items = items.filter((i) => {
        const v = i.value as { displayName?: unknown; description?: unknown };
        return [v.displayName, v.description].some((s) => typeof s === 'string' && s.toLowerCase().includes(search));
      });
    }
    const filter = q.filter;
    if (filter !== undefined) items = items.filter((i) => filter(i.value));
    if (q.order !== undefined) {
      const order = q.order;
      items = [...items].sort((a, b) => order(a.value, b.value));
    }
    return bounded(matched, key, { version: dataVersion, items }, 64).items;
  }

  /** An item as served: default and requested expansions, `$select`, and the enum view. */
  function shape(item: Item, q: PreparedQuery, type: string | undefined, view: View, single?: { readonly origin: string; readonly path: string }): unknown {
    // The common case of a list page: nothing to expand, nothing to add.
    if (single === undefined && q.expand.length === 0 && (q.query.select === undefined || type !== TASK_PROCESSING_RESULT)) {
      const projected = q.project(item.value);
      return view.includeUnknownEnumMembers ? projected : hideEvolvableMembers(projected, type);
    }
    const expand = [...q.expand];
    const extra: Record<string, unknown> = {};
    const ref = item.ref;
    // Documented defaults of a single GET: a workflow (version, template) comes with its tasks and `{ id }` references.
    if (single !== undefined && q.query.select === undefined) {
      if ((ref.t === 'workflow' || ref.t === 'version' || ref.t === 'template') && !expand.includes('tasks')) {
        expand.push('tasks');
        extra['tasks@odata.context'] = `${single.origin}/$metadata#${single.path}/tasks`;
      }
      const owner = ref.t === 'workflow' || ref.t === 'version' ? ref.w.ownerId : undefined;
      for (const name of ['createdBy', 'lastModifiedBy']) if (owner !== undefined && !expand.includes(name)) extra[name] = { id: owner };
    }
    let value: object = item.value;
    if (expand.length > 0 || Object.keys(extra).length > 0) {
      const expanded: Record<string, unknown> = { ...item.value, ...extra };
      for (const name of expand) {
        const nav = navigate(scenario, item, name, name);
        if (nav === undefined) continue;
        expanded[name] = nav.kind === 'collection' ? nav.items().map((i) => i.value) : (nav.item?.value ?? null);
      }
      value = expanded;
    }
    let out = q.project(value) as Record<string, unknown>;
    // "List taskProcessingResults": the task comes inline even when `$select` leaves it out.
    if (q.query.select !== undefined && type === TASK_PROCESSING_RESULT && !('task' in out) && 'task' in item.value) out = { ...out, task: item.value.task };
    return view.includeUnknownEnumMembers ? out : hideEvolvableMembers(out, type);
  }

  function read(route: MatchedRoute, ctx: ResponseContext, url: URL, origin: string, relPath: string, view: View): FakeResponse {
    const op: OperationMetadata = route.operation;
    const template = op.path.split('/').slice(3);
    const last = template.at(-1) ?? '';
    const fn = last.startsWith(NAMESPACE) ? last.slice(NAMESPACE.length).replace(/\(.*$/, '') : undefined;
    const type = op.resultType;
    const raw = url.search.startsWith('?') ? url.search.slice(1) : url.search;
    const { rest, token } = splitSkipToken(raw);
    const q = prepare(route, rest, type);
    if ('message' in q) return graphError(ctx, 400, 'BadRequest', q.message);
    const entity = (body: object, context: string): FakeResponse => jsonResponse(ctx, { '@odata.context': `${origin}/$metadata#${context}`, ...(view.includeUnknownEnumMembers ? body : hideEvolvableMembers(body, type)) });
    if (template[0] === 'settings') return entity(q.project(settings()) as object, `identityGovernance/lifecycleWorkflows/settings${q.selectSuffix}/$entity`);
    if (template[0] === 'insights') {
      if (fn === undefined) return entity({}, 'identityGovernance/lifecycleWorkflows/insights/$entity');
      const range = parseRange(route.params);
      if (typeof range === 'string') return graphError(ctx, 400, 'BadRequest', range);
      const result = insight(fn, scenario, range);
      if (!Array.isArray(result)) return entity(result, type ?? '');
      const items = result.map((value) => ({ value, ref: { t: 'leaf' } as const }));
      return page({ kind: 'collection', path: `identityGovernance/lifecycleWorkflows/insights/${fn}(${range.from},${range.to})`, items: () => items, windowed: false, context: `Collection(${type ?? ''})` }, q, token, { ctx, origin, relPath, rest, template, type, view });
    }
    const resource = resolve(scenario, template, route.params);
    if (isNotFound(resource)) return graphError(ctx, 404, 'ResourceNotFound', resource.notFound);
    if (fn !== undefined) {
      const range = parseRange(route.params);
      if (typeof range === 'string') return graphError(ctx, 400, 'BadRequest', range);
      if (resource.kind !== 'collection') return graphError(ctx, 400, 'BadRequest', 'summary applies to a collection.');
      return entity(summarize(type ?? '', resource.w, resource.items().map((i) => i.value), range), type ?? '');
    }
    if (resource.kind === 'entity') {
      if (resource.item === null) return graphError(ctx, 404, 'ResourceNotFound', `Resource not found for the segment '${last}'.`);
      const body = shape(resource.item, q, type, view, { origin, path: resource.path }) as Record<string, unknown>;
      const context = resource.context.replace(/\/\$entity$/, `${q.selectSuffix}/$entity`);
      return jsonResponse(ctx, { '@odata.context': `${origin}/$metadata#${context}`, ...body });
    }
    if (last === '$count') {
      return { status: 200, headers: { ...baseHeaders(ctx, 'text/plain;charset=utf-8'), 'odata-version': '4.0' }, body: String(select(resource, q).length) };
    }
    return page(resource, q, token, { ctx, origin, relPath, rest, template, type, view });
  }

  /** One page of a collection: `$skip`/`$top`/`$skiptoken`, `@odata.count`, `@odata.nextLink`. */
  function page(resource: Extract<Resource, { kind: 'collection' }>, q: PreparedQuery, token: string | undefined, at: PageContext): FakeResponse {
    const items = select(resource, q);
    const scope = `${resource.path}\n${at.rest}`;
    let offset = q.query.skip ?? 0;
    if (token !== undefined) {
      const decoded = decodeSkipToken(token, scope);
      if (decoded === undefined) return graphError(at.ctx, 400, 'BadRequest', 'The $skiptoken is invalid: follow @odata.nextLink as given.');
      offset = decoded;
    }
    const size = q.query.top ?? pageSize;
    const slice = items.slice(offset, offset + size);
    const body: Record<string, unknown> = { '@odata.context': `${at.origin}/$metadata#${resource.context ?? resource.path}${q.selectSuffix}` };
    if (q.query.count ?? countedByDefault(at.template)) body['@odata.count'] = items.length;
    body['value'] = slice.map((i) => shape(i, q, at.type, at.view));
    if (offset + size < items.length) {
      const next = options.nextLinkBaseUrl?.replace(/\/+$/, '') ?? at.origin;
      body['@odata.nextLink'] = `${next}${at.relPath.replace(/\/+$/, '')}?${at.rest === '' ? '' : `${at.rest}&`}$skiptoken=${encodeSkipToken(offset + size, scope)}`;
    }
    return jsonResponse(at.ctx, body);
  }

  function settings(): ScenarioSettings {
    return (scenario.settings ??= { workflowScheduleIntervalInHours: 3, emailSettings: { senderDomain: scenario.users[0]?.mail.split('@')[1] ?? 'contoso.com', useCompanyBranding: true } });
  }

  /** Applies one write; every write validates its whole body before it changes anything. */
  function apply(route: MatchedRoute, template: readonly string[], resource: Resource, body: Record<string, unknown>, now: number): WriteOutcome {
    const op = route.operation;
    const last = template.at(-1) ?? '';
    const action = last.startsWith(NAMESPACE) ? last.slice(NAMESPACE.length) : undefined;
    if (resource.kind === 'collection') {
      if (op.method !== 'post') return { ok: false, status: 405, code: 'MethodNotAllowed', message: `The HTTP method '${op.method.toUpperCase()}' is not allowed for this resource.` };
      if (last === 'workflows') return createWorkflow(scenario, random, body, now);
      if (last === 'customTaskExtensions') return createCustomTaskExtension(scenario, random, body, now);
      return refuseTaskChange();
    }
    if (template[0] === 'settings') return updateSettings(settings(), body);
    if (template[0] === 'insights') return op.method === 'patch' ? updateInsights(body) : { ok: false, status: 400, code: 'BadRequest', message: 'The insights of a tenant cannot be deleted.' };
    const item = resource.item;
    if (item === null) return { ok: false, status: 404, code: 'ResourceNotFound', message: 'Resource not found.' };
    if (action === 'activate') return activateWorkflow(scenario, random, item, body, now);
    if (action === 'activateWithScope') return activateWithScope(scenario, random, item, body, now);
    if (action === 'previewWorkflow') return previewWorkflow(scenario, random, item, body, now);
    if (action === 'previewTaskFailures') return previewTaskFailures(scenario, item);
    if (action === 'cancelProcessing') return cancelProcessing(item, body);
    if (action === 'clearQuarantine') return clearQuarantine(item, now);
    if (action === 'createNewVersion') return createNewVersion(scenario, random, item, body, now);
    if (action === 'restore') return restoreWorkflow(scenario, item);
    if (action === 'resume') return resumeTask(random, item, body, now);
    if (item.ref.t === 'task') return op.method === 'patch' ? updateTask(scenario, item, body, template) : refuseTaskChange();
    if (item.ref.t === 'customTaskExtension') return op.method === 'patch' ? updateCustomTaskExtension(item, body, now) : deleteCustomTaskExtension(scenario, item);
    return op.method === 'patch' ? updateWorkflow(scenario, item, body, now) : deleteWorkflow(scenario, item, now);
  }

  async function write(route: MatchedRoute, ctx: ResponseContext, request: FakeRequest, origin: string, view: View): Promise<FakeResponse> {
    const op = route.operation;
    const template = op.path.split('/').slice(3);
    const last = template.at(-1) ?? '';
    const text = await request.text();
    if (text.length > 1_000_000) return graphError(ctx, 413, 'RequestEntityTooLarge', 'The request body is larger than 1 MB.');
    const resource: Resource | ReturnType<typeof resolve> =
      template[0] === 'settings' || template[0] === 'insights' ? { kind: 'entity', path: template[0], context: template[0], item: null } : resolve(scenario, template, route.params);
    if (isNotFound(resource)) return graphError(ctx, 404, 'ResourceNotFound', resource.notFound);
    // Bodiless writes: DELETE, restore, clearQuarantine, previewTaskFailures; the rest take a JSON object.
    const needsBody = op.method !== 'delete' && !/\.(restore|clearQuarantine|previewTaskFailures)$/.test(last);
    const body = needsBody ? parseBody(text) : {};
    if (typeof body === 'string') return graphError(ctx, 400, 'BadRequest', body);
    const outcome = apply(route, template, resource, body, Math.max(clock(), nowMs));
    if (!outcome.ok) return graphError(ctx, outcome.status, outcome.code, outcome.message);
    dataVersion++;
    if (outcome.pending !== undefined) pending.push(outcome.pending);
    const canceled = pending.findIndex((p) => p.record === outcome.canceled);
    if (canceled >= 0) pending.splice(canceled, 1);
    if (outcome.body === undefined) return noContent(ctx);
    const type = op.resultType;
    if (Array.isArray(outcome.body)) {
      const value = view.includeUnknownEnumMembers ? outcome.body : hideEvolvableMembers(outcome.body, type);
      return jsonResponse(ctx, { '@odata.context': `${origin}/$metadata#Collection(${type ?? ''})`, value }, outcome.status);
    }
    const shown = view.includeUnknownEnumMembers ? outcome.body : hideEvolvableMembers(outcome.body, type);
    const collection = /\.(restore|clearQuarantine)$/.test(last) ? 'workflows' : template.slice(0, last.startsWith(NAMESPACE) ? -2 : undefined).filter((s) => !s.startsWith('{')).join('/');
    return jsonResponse(ctx, { '@odata.context': `${origin}/$metadata#identityGovernance/lifecycleWorkflows/${collection}/$entity`, ...shown }, outcome.status);
  }

  /** Moves on-demand runs to where the clock says they are; a change counts as a write for the caches. */
  function advance(): void {
    if (pending.length === 0) return;
    const now = Math.max(clock(), nowMs);
    for (let i = pending.length - 1; i >= 0; i--) {
      const run = pending[i];
      if (run === undefined) continue;
      const { changed, done } = advanceRun(run, now, random);
      if (changed) dataVersion++;
      if (!done) continue;
      pending.splice(i, 1);
      quarantineIfNeeded(run.w, run.record, scenario.settings?.quarantineConfiguration, now);
    }
  }

  async function respond(request: FakeRequest, ctx: ResponseContext, origin: string, relPath: string, route: ReturnType<typeof matchRoute> | undefined, scopes: () => { scopes: readonly string[] } | FakeResponse, view: View): Promise<FakeResponse> {
    const granted = scopes();
    if ('status' in granted) return granted;
    if (route === undefined) return graphError(ctx, 400, 'BadRequest', `Invalid version: the path must start with '${versionPath}/'.`);
    if ('kind' in route) {
      if (route.kind === 'method') return graphError(ctx, 405, 'MethodNotAllowed', `The HTTP method '${request.method}' is not allowed for this resource; allowed: ${route.allowed.join(', ')}.`, { allow: route.allowed.join(', ') });
      return graphError(ctx, 400, 'BadRequest', `Resource not found for the segment '${route.segment.slice(0, 80)}'.`);
    }
    const wanted = allowedScopes(route.operation);
    if (!wanted.some((s) => granted.scopes.includes(s))) {
      return graphError(ctx, 403, 'Authorization_RequestDenied', `Insufficient privileges to complete the operation. Requires ${wanted.join(' or ')}.`);
    }
    advance();
    return route.operation.method === 'get' ? read(route, ctx, request.url, origin, relPath, view) : write(route, ctx, request, origin, view);
  }

  /**
   * JSON batching: each part goes through {@link handle} on its own (faults, auth and all), so a
   * part can be throttled while the batch answers 200, as the service does.
   * @see https://learn.microsoft.com/graph/json-batching
   */
  async function batch(request: FakeRequest, ctx: ResponseContext, origin: string, door: RecordedRequest['door']): Promise<FakeResponse> {
    if (request.method !== 'POST') return graphError(ctx, 405, 'MethodNotAllowed', `The HTTP method '${request.method}' is not allowed for $batch; allowed: POST.`, { allow: 'POST' });
    const granted = authorize(request, ctx);
    if ('status' in granted) return granted;
    let parts: unknown;
    try {
      parts = (JSON.parse(await request.text()) as { requests?: unknown }).requests;
    } catch {
      return graphError(ctx, 400, 'BadRequest', 'Invalid batch payload: the body is not JSON.');
    }
    if (!Array.isArray(parts) || parts.length === 0 || parts.length > BATCH_LIMIT) {
      return graphError(ctx, 400, 'BadRequest', `Invalid batch payload: "requests" must hold 1 to ${BATCH_LIMIT} requests.`);
    }
    const ids = new Set<string>();
    for (const part of parts as unknown[]) {
      const { id, method, url } = (part ?? {}) as { id?: unknown; method?: unknown; url?: unknown };
      if (typeof id !== 'string' || typeof method !== 'string' || typeof url !== 'string' || !url.startsWith('/') || ids.has(id)) {
        return graphError(ctx, 400, 'BadRequest', 'Invalid batch payload: every request needs a unique string id, a method and a URL relative to the version.');
      }
      ids.add(id);
    }
    const responses = [];
    for (const part of parts as { id: string; method: string; url: string; headers?: Record<string, string>; body?: unknown }[]) {
      const headers = new Headers(typeof part.headers === 'object' ? part.headers : {});
      const authorization = request.headers.get('authorization');
      if (authorization !== null) headers.set('authorization', authorization);
      headers.set('client-request-id', ctx.clientRequestId);
      const body = part.body === undefined ? '' : JSON.stringify(part.body);
      const answer = await handle({ method: part.method.toUpperCase(), url: new URL(`${origin}${versionPath}${part.url}`), headers, text: () => Promise.resolve(body) }, origin, door);
      const parsed = answer.body === '' ? undefined : answer.headers['content-type']?.includes('json') === true ? (JSON.parse(answer.body) as unknown) : answer.body;
      // A part that "drops the connection" fails alone: the batch itself still answers.
      responses.push({ id: part.id, status: answer.failure === 'networkError' ? 504 : answer.status, headers: answer.headers, ...(parsed === undefined ? {} : { body: parsed }) });
    }
    return jsonResponse(ctx, { responses });
  }

  async function handle(request: FakeRequest, origin: string, door: RecordedRequest['door']): Promise<FakeResponse> {
    const time = clock();
    const requestId = random.guid();
    const clientRequestId = request.headers.get('client-request-id')?.slice(0, 200) ?? requestId;
    const ctx: ResponseContext = { requestId, clientRequestId, time };
    const view: View = { includeUnknownEnumMembers: wantsUnknownEnumMembers(request.headers.get('prefer')) };
    const pathname = request.url.pathname;
    const relPath = pathname.startsWith(`${versionPath}/`) ? pathname.slice(versionPath.length) : undefined;
    let route: ReturnType<typeof matchRoute> | undefined;
    let segmentError: string | undefined;
    if (relPath !== undefined) {
      try {
        const segments = relPath.split('/').slice(1).map((s) => decodeURIComponent(s));
        route = segments[0]?.toLowerCase() === 'identitygovernance' && segments[1]?.toLowerCase() === 'lifecycleworkflows' ? matchRoute(request.method, segments) : { kind: 'segment', segment: segments.find((s, i) => s.toLowerCase() !== LCW_PREFIX[i]?.toLowerCase()) ?? '' };
      } catch {
        segmentError = 'The path contains a malformed percent-encoding.';
      }
    }
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name.toLowerCase()] = name.toLowerCase() === 'authorization' ? 'Bearer <redacted>' : cut(value)));
    const auth = request.headers.get('authorization');
    const routeKey = route !== undefined && !('kind' in route) ? route.key : undefined;
    const faults = faultsFor(rules, { method: request.method, path: relPath ?? pathname, route: routeKey });
    const record = (status: number | undefined): void => {
      if (logSize === 0) return;
      // A ring: the oldest entry goes once the log is full.
      if (requests.length >= logSize) requests.shift();
      requests.push({
        method: cut(request.method),
        url: cut(request.url.href),
        path: cut(relPath ?? pathname),
        headers,
        authorization: auth !== null,
        token: auth === null ? undefined : /^Bearer\s+(\S+)/i.exec(auth)?.[1],
        route: routeKey,
        time,
        door,
        status,
        faults: faults.map((f) => f.kind),
      });
    };
    const latency = faults.reduce((ms, f) => ms + (f.kind === 'latency' ? f.ms : 0), 0);
    if (latency > 0) await sleep(latency, request.signal);
    const decisive = faults.find((f) => f.kind !== 'latency');
    if (decisive?.kind === 'networkError') {
      record(undefined);
      return { status: 0, headers: {}, body: '', failure: 'networkError' };
    }
    if (decisive?.kind === 'status') {
      const retryAfter = decisive.retryAfter ?? (decisive.status === 429 ? 1 : undefined);
      const extra = retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
      const [code, message] = STATUS_ERRORS[decisive.status];
      record(decisive.status);
      return graphError(ctx, decisive.status, code, retryAfter === undefined ? message : `${message} Retry after ${retryAfter} seconds.`, extra);
    }
    let response: FakeResponse;
    try {
      response =
        segmentError !== undefined
          ? graphError(ctx, 400, 'BadRequest', segmentError)
          : relPath?.toLowerCase() === '/$batch'
            ? await batch(request, ctx, origin, door)
            : await respond(request, ctx, `${origin}${versionPath}`, relPath ?? '', route, () => authorize(request, ctx), view);
    } catch (err) {
      // A defect in the fake, not bad input: say so instead of a bare stack.
      response = graphError(ctx, 500, 'InternalServerError', `The fake Graph failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    // The preference is honoured on every answer that carries data.
    if (view.includeUnknownEnumMembers && response.status < 300 && response.headers['content-type']?.startsWith('application/json') === true) {
      response = { ...response, headers: { ...response.headers, 'preference-applied': 'include-unknown-enum-members' } };
    }
    record(response.status);
    return decisive?.kind === 'truncate' ? { ...response, failure: 'truncate' } : response;
  }

  const fake: FakeGraph = {
    scenario,
    baseUrl,
    requests,
    handle,
    async fetch(input, init) {
      // Building a WHATWG Request costs as much as computing a page: skip it where nothing needs it.
      const simple = !(input instanceof Request) && (init?.body === undefined || init.body === null || typeof init.body === 'string');
      const request = simple ? undefined : input instanceof Request && init === undefined ? input : new Request(input, init);
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      if (url.origin !== base.origin) {
        throw new TypeError('fetch failed', { cause: Object.assign(new Error(`getaddrinfo ENOTFOUND ${url.hostname}`), { code: 'ENOTFOUND' }) });
      }
      const signal = request?.signal ?? init?.signal ?? undefined;
      const body = typeof init?.body === 'string' ? init.body : '';
      const response = await handle(
        {
          method: request?.method ?? (init?.method ?? 'GET').toUpperCase(),
          url,
          headers: request?.headers ?? new Headers(init?.headers),
          text: () => (request === undefined ? Promise.resolve(body) : request.text()),
          ...(signal === undefined ? {} : { signal }),
        },
        base.origin,
        'fetch',
      );
      return toResponse(response);
    },
    inject(rule) {
      rules.push(activate(rule));
    },
    reset() {
      requests.length = 0;
      rules = (options.faults ?? []).map(activate);
      dataVersion++;
    },
    listen(listenOptions) {
      return startServer(fake, listenOptions);
    },
  };
  return fake;
}

const STATUS_ERRORS: Readonly<Record<429 | 500 | 502 | 503 | 504, readonly [string, string]>> = {
  429: ['TooManyRequests', 'Too many requests.'],
  500: ['InternalServerError', 'An injected internal server error.'],
  502: ['BadGateway', 'Bad gateway.'],
  503: ['ServiceUnavailable', 'The service is temporarily unavailable.'],
  504: ['GatewayTimeout', 'The gateway timed out.'],
};
