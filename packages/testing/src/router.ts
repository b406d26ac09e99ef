import { operationMetadata } from '@idgov/types';
import type { OperationMetadata } from '@idgov/types';

/** One operation of the slice, matched by the real URL shape. */
export interface MatchedRoute {
  /** `METHOD /path/{template}`, as `operationMetadata` keys it. */
  readonly key: string;
  readonly operation: OperationMetadata;
  /** Path parameters by their hyphenated names (`workflow-id`), percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
}

/** Why no operation matched. */
export type RouteMiss =
  | { readonly kind: 'segment'; readonly segment: string }
  | { readonly kind: 'method'; readonly allowed: readonly string[] };

interface FunctionSegment {
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly node: TrieNode;
}

interface TrieNode {
  readonly literals: Map<string, TrieNode>;
  param?: { readonly name: string; readonly node: TrieNode };
  readonly functions: FunctionSegment[];
  readonly operations: Map<string, { readonly key: string; readonly operation: OperationMetadata; readonly names: readonly string[] }>;
}

const newNode = (): TrieNode => ({ literals: new Map(), functions: [], operations: new Map() });

/** The namespace of the slice's bound actions and functions, lower-cased. */
const NAMESPACE = 'microsoft.graph.identitygovernance.';

/** A function segment's pattern with its namespace prefix made optional (`summary(…)` as well). */
function optionalNamespace(source: string): string {
  const prefix = escapeRegExp('microsoft.graph.identityGovernance.');
  return source.startsWith(prefix) ? `(?:${prefix})?${source.slice(prefix.length)}` : source;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A trie over the slice's path templates. Literal segments win over `{id}` segments, so
 * `runs/$count` never reads `$count` as a run id; Graph's hyphenated parameter names
 * (`{workflow-id}`) and function segments (`summary(startDateTime={startDateTime},…)`) are
 * matched as the service does, case-insensitively; bound actions and functions also by their short
 * names (`…/activate`, `…/runs/summary(…)`).
 */
function buildTrie(operations: Readonly<Record<string, OperationMetadata>>): TrieNode {
  const root = newNode();
  for (const [key, operation] of Object.entries(operations)) {
    let node = root;
    const names: string[] = [];
    for (const segment of operation.path.split('/').slice(1)) {
      const param = /^\{([^}]+)\}$/.exec(segment);
      if (param?.[1] !== undefined) {
        names.push(param[1]);
        node.param ??= { name: param[1], node: newNode() };
        node = node.param.node;
      } else if (segment.includes('(')) {
        const fnNames = [...segment.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
        const source = optionalNamespace(segment.split(/\{[^}]+\}/).map(escapeRegExp).join('([^,()]*)'));
        let fn = node.functions.find((f) => f.pattern.source === `^${source}$`);
        if (fn === undefined) {
          fn = { pattern: new RegExp(`^${source}$`, 'i'), names: fnNames, node: newNode() };
          node.functions.push(fn);
        }
        names.push(...fnNames);
        node = fn.node;
      } else {
        const lower = segment.toLowerCase();
        let next = node.literals.get(lower);
        if (next === undefined) {
          next = newNode();
          node.literals.set(lower, next);
          // Bound actions answer to their short name too (`…/activate`), as the docs write them.
          if (lower.startsWith(NAMESPACE)) node.literals.set(lower.slice(NAMESPACE.length), next);
        }
        node = next;
      }
    }
    node.operations.set(operation.method.toUpperCase(), { key, operation, names });
  }
  return root;
}

const trie = buildTrie(operationMetadata);

/**
 * Matches decoded path segments (after the version segment) and a method to an operation.
 * A trailing empty segment (`…/userProcessingResults/`) is ignored, as the service does.
 */
export function matchRoute(method: string, segments: readonly string[]): MatchedRoute | RouteMiss {
  const parts = segments.at(-1) === '' ? segments.slice(0, -1) : segments;
  let node = trie;
  const values: string[] = [];
  for (const segment of parts) {
    const literal = node.literals.get(segment.toLowerCase());
    if (literal !== undefined) {
      node = literal;
      continue;
    }
    const fn = node.functions.find((f) => f.pattern.test(segment));
    if (fn !== undefined) {
      const m = fn.pattern.exec(segment);
      values.push(...(m?.slice(1) ?? []));
      node = fn.node;
      continue;
    }
    if (node.param !== undefined && segment !== '') {
      values.push(segment);
      node = node.param.node;
      continue;
    }
    return { kind: 'segment', segment };
  }
  const found = node.operations.get(method.toUpperCase());
  if (found === undefined) {
    if (node.operations.size === 0) return { kind: 'segment', segment: parts.at(-1) ?? '' };
    return { kind: 'method', allowed: [...node.operations.keys()] };
  }
  const params: Record<string, string> = {};
  found.names.forEach((name, i) => (params[name] = values[i] ?? ''));
  return { key: found.key, operation: found.operation, params };
}
