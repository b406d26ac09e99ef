import { entities, operationMetadata } from '@idgov/types';
import type { EntityMetadata, OperationMetadata } from '@idgov/types';
import { decodeSkipToken, encodeSkipToken, prepareQuery, splitSkipToken, windowStart } from './collection-query.js';
import type { PreparedQuery, QueryError } from './collection-query.js';
import { activate, faultsFor } from './faults.js';
import type { ActiveRule, Fault, FaultRule } from './faults.js';
import { baseHeaders, graphError, jsonResponse, noContent, toResponse } from './fake-response.js';
import type { FakeResponse, ResponseContext } from './fake-response.js';
import { startServer } from '#http-door';
import type { FakeGraphServer, ListenOptions } from './http-door.js';
import { isNotFound, navigate, resolve } from './navigation.js';
import type { Item, Resource } from './navigation.js';
import { createRandom } from './random.js';
import { matchRoute } from './router.js';
import type { MatchedRoute } from './router.js';
import { createScenario } from './scenario.js';
import type { Scenario } from './scenario.js';
import { activateWorkflow, deleteWorkflow, parseBody, resumeTask, restoreWorkflow, updateWorkflow } from './writes.js';
import type { WriteOutcome } from './writes.js';

const entityTypes: Readonly<Record<string, EntityMetadata>> = entities;
/** Permissions that allow reading Lifecycle Workflows; writes need the second. */
const READ_SCOPES = ['LifecycleWorkflows.Read.All', 'LifecycleWorkflows.ReadWrite.All'];
const WRITE_SCOPE = 'LifecycleWorkflows.ReadWrite.All';

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
  /** Forgets recorded requests and injected faults, and restores the option faults afresh. */
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

  function authorize(request: FakeRequest, ctx: ResponseContext): { scopes: readonly string[] } | FakeResponse {
    const header = request.headers.get('authorization');
    if (header === null || header.trim() === '') return graphError(ctx, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if (token === undefined) return graphError(ctx, 401, 'InvalidAuthenticationToken', 'Access token validation failure: the Authorization header must be "Bearer <token>".');
    const scopes = options.scopes;
    if (scopes === undefined) return { scopes: [WRITE_SCOPE] };
    if (Array.isArray(scopes)) return { scopes: scopes as readonly string[] };
    const held = Object.hasOwn(scopes, token) ? (scopes as Readonly<Record<string, readonly string[]>>)[token] : undefined;
    if (held === undefined) return graphError(ctx, 401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
    return { scopes: held };
  }

  function prepare(route: MatchedRoute, rest: string): PreparedQuery | QueryError {
    const key = `${route.key}\n${rest}`;
    const hit = prepared.get(key);
    if (hit !== undefined) return hit;
    // `$count` has no result type of its own: its filter speaks of the list's items.
    const type = route.operation.resultIsCount ? operationMetadata[route.key.replace(/\/\$count$/, '')]?.resultType : route.operation.resultType;
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

  function shape(item: Item, q: PreparedQuery): unknown {
    if (q.expand.length === 0) return q.project(item.value);
    const value: Record<string, unknown> = { ...item.value };
    for (const name of q.expand) {
      const nav = navigate(scenario, item, name, name);
      if (nav === undefined) continue;
      value[name] = nav.kind === 'collection' ? nav.items().map((i) => i.value) : (nav.item?.value ?? null);
    }
    return q.project(value);
  }

  function summary(resource: Resource, route: MatchedRoute, ctx: ResponseContext, origin: string): FakeResponse {
    const start = route.params['startDateTime'] ?? '';
    const end = route.params['endDateTime'] ?? '';
    const from = Date.parse(start);
    const to = Date.parse(end);
    const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;
    if (!dateTime.test(start) || Number.isNaN(from)) return graphError(ctx, 400, 'BadRequest', `The parameter 'startDateTime' must be a date-time such as 2024-01-01T00:00:00Z, not '${start.slice(0, 40)}'.`);
    if (!dateTime.test(end) || Number.isNaN(to)) return graphError(ctx, 400, 'BadRequest', `The parameter 'endDateTime' must be a date-time such as 2024-01-01T00:00:00Z, not '${end.slice(0, 40)}'.`);
    if (to < from) return graphError(ctx, 400, 'BadRequest', "The parameter 'endDateTime' must not be before 'startDateTime'.");
    if (resource.kind !== 'collection') return graphError(ctx, 400, 'BadRequest', 'summary applies to a collection.');
    const inRange = (v: { scheduledDateTime?: string }): boolean => {
      const t = Date.parse(v.scheduledDateTime ?? '');
      return t >= from && t <= to;
    };
    const resultType = route.operation.resultType ?? '';
    const context = `${origin}/$metadata#${resultType}`;
    const values = resource.items().map((i) => i.value);
    if (resultType.endsWith('runSummary')) {
      const runs = values.filter(inRange) as { processingStatus?: string; failedTasksCount?: number; totalTasksCount?: number; totalUsersCount?: number }[];
      return jsonResponse(ctx, {
        '@odata.context': context,
        failedRuns: runs.filter((r) => r.processingStatus === 'failed' || r.processingStatus === 'completedWithErrors').length,
        failedTasks: runs.reduce((n, r) => n + (r.failedTasksCount ?? 0), 0),
        successfulRuns: runs.filter((r) => r.processingStatus === 'completed').length,
        totalRuns: runs.length,
        totalTasks: runs.reduce((n, r) => n + (r.totalTasksCount ?? 0), 0),
        totalUsers: runs.reduce((n, r) => n + (r.totalUsersCount ?? 0), 0),
      });
    }
    if (resultType.endsWith('userSummary')) {
      const users = values.filter(inRange) as { processingStatus?: string; failedTasksCount?: number; totalTasksCount?: number }[];
      return jsonResponse(ctx, {
        '@odata.context': context,
        failedTasks: users.reduce((n, u) => n + (u.failedTasksCount ?? 0), 0),
        failedUsers: users.filter((u) => u.processingStatus === 'failed').length,
        successfulUsers: users.filter((u) => u.processingStatus === 'completed').length,
        totalTasks: users.reduce((n, u) => n + (u.totalTasksCount ?? 0), 0),
        totalUsers: users.length,
      });
    }
    const runIds = new Set(resource.w?.runs.filter((r) => inRange(r.run)).map((r) => r.run.id));
    const reports = values.filter((r) => runIds.has((r as { runId?: string }).runId ?? '')) as { failedUsersCount?: number; successfulUsersCount?: number; totalUsersCount?: number; unprocessedUsersCount?: number }[];
    return jsonResponse(ctx, {
      '@odata.context': context,
      failedTasks: reports.reduce((n, r) => n + (r.failedUsersCount ?? 0), 0),
      successfulTasks: reports.reduce((n, r) => n + (r.successfulUsersCount ?? 0), 0),
      totalTasks: reports.reduce((n, r) => n + (r.totalUsersCount ?? 0), 0),
      unprocessedTasks: reports.reduce((n, r) => n + (r.unprocessedUsersCount ?? 0), 0),
    });
  }

  function read(route: MatchedRoute, ctx: ResponseContext, url: URL, origin: string, relPath: string): FakeResponse {
    const op: OperationMetadata = route.operation;
    const template = op.path.split('/').slice(3);
    const last = template.at(-1) ?? '';
    const raw = url.search.startsWith('?') ? url.search.slice(1) : url.search;
    const { rest, token } = splitSkipToken(raw);
    if (template[0] === 'settings') {
      return jsonResponse(ctx, { '@odata.context': `${origin}/$metadata#identityGovernance/lifecycleWorkflows/settings/$entity`, workflowScheduleIntervalInHours: 3, emailSettings: { senderDomain: 'contoso.com', useCompanyBranding: true } });
    }
    if (template[0] === 'insights' && template.length === 1) return jsonResponse(ctx, { '@odata.context': `${origin}/$metadata#identityGovernance/lifecycleWorkflows/insights/$entity` });
    if (template[0] === 'insights') return graphError(ctx, 501, 'NotImplemented', `The fake Graph does not implement ${route.key.replace(/\(.*\)$/, '(…)')}.`);
    const q = prepare(route, rest);
    if ('message' in q) return graphError(ctx, 400, 'BadRequest', q.message);
    const resource = resolve(scenario, template, route.params);
    if (isNotFound(resource)) return graphError(ctx, 404, 'ResourceNotFound', resource.notFound);
    if (last.startsWith('microsoft.graph.')) return summary(resource, route, ctx, origin);
    if (resource.kind === 'entity') {
      if (resource.item === null) return graphError(ctx, 404, 'ResourceNotFound', `Resource not found for the segment '${last}'.`);
      const body = shape(resource.item, q) as Record<string, unknown>;
      const context = resource.context.replace(/\/\$entity$/, `${q.selectSuffix}/$entity`);
      return jsonResponse(ctx, { '@odata.context': `${origin}/$metadata#${context}`, ...body });
    }
    const items = select(resource, q);
    if (last === '$count') {
      return { status: 200, headers: { ...baseHeaders(ctx, 'text/plain;charset=utf-8'), 'odata-version': '4.0' }, body: String(items.length) };
    }
    const scope = `${resource.path}\n${rest}`;
    let offset = q.query.skip ?? 0;
    if (token !== undefined) {
      const decoded = decodeSkipToken(token, scope);
      if (decoded === undefined) return graphError(ctx, 400, 'BadRequest', 'The $skiptoken is invalid: follow @odata.nextLink as given.');
      offset = decoded;
    }
    const size = q.query.top ?? pageSize;
    const page = items.slice(offset, offset + size);
    const body: Record<string, unknown> = { '@odata.context': `${origin}/$metadata#${resource.path}${q.selectSuffix}` };
    if (q.query.count === true) body['@odata.count'] = items.length;
    body['value'] = page.map((i) => shape(i, q));
    if (offset + size < items.length) {
      const next = options.nextLinkBaseUrl?.replace(/\/+$/, '') ?? origin;
      body['@odata.nextLink'] = `${next}${relPath.replace(/\/+$/, '')}?${rest === '' ? '' : `${rest}&`}$skiptoken=${encodeSkipToken(offset + size, scope)}`;
    }
    return jsonResponse(ctx, body);
  }

  async function write(route: MatchedRoute, ctx: ResponseContext, request: FakeRequest): Promise<FakeResponse> {
    const op = route.operation;
    const template = op.path.split('/').slice(3);
    const last = template.at(-1) ?? '';
    const action = last.startsWith('microsoft.graph.identityGovernance.') ? last.slice('microsoft.graph.identityGovernance.'.length) : undefined;
    const supported =
      (op.method === 'post' && (action === 'activate' || action === 'resume' || action === 'restore')) ||
      ((op.method === 'patch' || op.method === 'delete') && last === '{workflow-id}');
    if (!supported) return graphError(ctx, 501, 'NotImplemented', `The fake Graph does not implement ${route.key}.`);
    const text = await request.text();
    if (text.length > 1_000_000) return graphError(ctx, 413, 'RequestEntityTooLarge', 'The request body is larger than 1 MB.');
    const resource = resolve(scenario, template, route.params);
    if (isNotFound(resource)) return graphError(ctx, 404, 'ResourceNotFound', resource.notFound);
    if (resource.kind !== 'entity' || resource.item === null) return graphError(ctx, 404, 'ResourceNotFound', 'Resource not found.');
    const item = resource.item;
    const now = Math.max(clock(), nowMs);
    const needsBody = op.method === 'patch' || action === 'activate' || action === 'resume';
    const body = needsBody ? parseBody(text) : {};
    if (typeof body === 'string') return graphError(ctx, 400, 'BadRequest', body);
    let outcome: WriteOutcome;
    if (action === 'activate') outcome = activateWorkflow(scenario, random, item, body, now);
    else if (action === 'resume') outcome = resumeTask(random, item, body, now);
    else if (action === 'restore') outcome = restoreWorkflow(scenario, item);
    else if (op.method === 'patch') outcome = updateWorkflow(item, body, now);
    else outcome = deleteWorkflow(scenario, item, now);
    if (!outcome.ok) return graphError(ctx, outcome.status, outcome.code, outcome.message);
    dataVersion++;
    return outcome.body === undefined ? noContent(ctx) : jsonResponse(ctx, outcome.body);
  }

  async function respond(request: FakeRequest, ctx: ResponseContext, origin: string, relPath: string, route: ReturnType<typeof matchRoute> | undefined, scopes: () => { scopes: readonly string[] } | FakeResponse): Promise<FakeResponse> {
    const granted = scopes();
    if ('status' in granted) return granted;
    if (route === undefined) return graphError(ctx, 400, 'BadRequest', `Invalid version: the path must start with '${versionPath}/'.`);
    if ('kind' in route) {
      if (route.kind === 'method') return graphError(ctx, 405, 'MethodNotAllowed', `The HTTP method '${request.method}' is not allowed for this resource; allowed: ${route.allowed.join(', ')}.`, { allow: route.allowed.join(', ') });
      return graphError(ctx, 400, 'BadRequest', `Resource not found for the segment '${route.segment.slice(0, 80)}'.`);
    }
    const reading = route.operation.method === 'get';
    const wanted = reading ? READ_SCOPES : [WRITE_SCOPE];
    if (!wanted.some((s) => granted.scopes.includes(s))) {
      return graphError(ctx, 403, 'Authorization_RequestDenied', `Insufficient privileges to complete the operation. Requires ${wanted.join(' or ')}.`);
    }
    return reading ? read(route, ctx, request.url, origin, relPath) : write(route, ctx, request);
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
            : await respond(request, ctx, `${origin}${versionPath}`, relPath ?? '', route, () => authorize(request, ctx));
    } catch (err) {
      // A defect in the fake, not bad input: say so instead of a bare stack.
      response = graphError(ctx, 500, 'InternalServerError', `The fake Graph failed: ${err instanceof Error ? err.message : String(err)}`);
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
