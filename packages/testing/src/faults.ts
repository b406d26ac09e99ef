import type { Random } from './random.js';
import { createRandom } from './random.js';

/**
 * One injected failure. `status` answers with a Graph error (429 carries `Retry-After`,
 * 1 s unless given); `latency` delays the normal answer; `networkError` drops the connection
 * (`fetch` rejects with a `TypeError`); `truncate` sends half the body, then drops it.
 */
export type Fault =
  | { readonly kind: 'status'; readonly status: 429 | 500 | 502 | 503 | 504; readonly retryAfter?: number }
  | { readonly kind: 'latency'; readonly ms: number }
  | { readonly kind: 'networkError' }
  | { readonly kind: 'truncate' };

/** The facts a fault rule can match a request on. */
export interface FaultTarget {
  readonly method: string;
  /** The path after the version segment, as requested (`/identityGovernance/…`). */
  readonly path: string;
  /** The matched operation, `GET /identityGovernance/…/{workflow-id}/runs`, if any. */
  readonly route: string | undefined;
}

/**
 * Which requests a rule applies to: an operation key (`GET /…/runs/{run-id}/userProcessingResults`),
 * a path template or concrete path (any method), a RegExp tested on the concrete path, or a predicate.
 * Absent: every request.
 */
export type FaultRoute = string | RegExp | ((target: FaultTarget) => boolean);

/**
 * A deterministic fault script for matching requests: an exact `queue` (one entry per request,
 * `null` = answer normally; then normal), `every` Nth request, or a seeded `rate`.
 * @example { route: 'GET /identityGovernance/lifecycleWorkflows/workflows', queue: [{ kind: 'status', status: 429, retryAfter: 2 }, { kind: 'status', status: 503 }, null] }
 */
export type FaultRule = { readonly route?: FaultRoute } & (
  | { readonly queue: readonly (Fault | null)[] }
  | { readonly every: number; readonly fault: Fault }
  | { readonly rate: number; readonly seed?: number; readonly fault: Fault }
);

/** A rule with its progress. */
export interface ActiveRule {
  readonly rule: FaultRule;
  seen: number;
  readonly random: Random | undefined;
}

export function activate(rule: FaultRule): ActiveRule {
  if ('every' in rule && !(Number.isSafeInteger(rule.every) && rule.every >= 1)) throw new RangeError(`A fault rule's 'every' must be a positive integer, not ${rule.every}.`);
  if ('rate' in rule && !(rule.rate >= 0 && rule.rate <= 1)) throw new RangeError(`A fault rule's 'rate' must be between 0 and 1, not ${rule.rate}.`);
  return { rule, seen: 0, random: 'rate' in rule ? createRandom(rule.seed ?? 1) : undefined };
}

function matches(route: FaultRoute | undefined, target: FaultTarget): boolean {
  if (route === undefined) return true;
  if (typeof route === 'function') return route(target);
  if (route instanceof RegExp) return route.test(target.path);
  const template = target.route?.slice(target.route.indexOf(' ') + 1);
  return route === target.route || route === template || route === target.path;
}

/** The faults that apply to a request, in rule order; advances each matching rule. */
export function faultsFor(rules: readonly ActiveRule[], target: FaultTarget): Fault[] {
  const out: Fault[] = [];
  for (const active of rules) {
    if (!matches(active.rule.route, target)) continue;
    const n = active.seen++;
    const rule = active.rule;
    let fault: Fault | null | undefined;
    if ('queue' in rule) fault = rule.queue[n];
    else if ('every' in rule) fault = (n + 1) % rule.every === 0 ? rule.fault : null;
    else fault = active.random?.chance(rule.rate) === true ? rule.fault : null;
    if (fault != null) out.push(fault);
  }
  return out;
}
