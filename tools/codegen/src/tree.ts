import { isRecord } from './config.js';
import { CodegenError } from './errors.js';
import type { OperationFacts } from './metadata.js';
import { sliceOperations } from './metadata.js';
import { compareStrings } from './slice.js';

type Obj = Record<string, unknown>;

/**
 * How a method of the resource tree calls its operation (mirrored by `@idgov/client`'s runtime):
 * `list` pages, `read` is a GET with `$select`/`$expand`, `count` a `$count` GET, `body` sends its
 * argument as the request body, `none` takes no argument, `function` fills the path parameters
 * written inside an OData function's segment (G10).
 */
type CallKind = 'list' | 'read' | 'count' | 'body' | 'none' | 'function';

interface Method {
  readonly name: string;
  readonly operation: OperationFacts;
  readonly kind: CallKind;
  /** The last segment when it is not the node's own: `$count`, an action or a function. */
  readonly segment?: string;
  readonly functionParams?: readonly string[];
  /** The path item the operation comes from: mirrored subtrees (G23) share one type. */
  readonly identity: string;
}

interface Node {
  readonly path: string;
  readonly methods: Map<string, Method>;
  readonly children: Map<string, Node>;
  key?: { readonly param: string; readonly kind: 'string' | 'int32'; readonly node: Node };
}

const newNode = (path: string): Node => ({ path, methods: new Map(), children: new Map() });
// Every function object has these: a callable node cannot carry a member of these names.
const reserved = new Set(['name', 'length', 'prototype', 'call', 'apply', 'bind', 'caller', 'arguments', 'toString', 'constructor']);
const functionSegment = /^([A-Za-z0-9_.]+)\((.*)\)$/;

/**
 * The typed resource tree over every operation of the slice, as one TypeScript module: node
 * interfaces and the runtime description that `@idgov/client`'s `lifecycleWorkflows()` walks.
 */
export function buildResourceTree(slice: Obj, root: string): string {
  const tree = newNode(root);
  const operations = [...sliceOperations(slice)].sort((a, b) => compareStrings(`${a.path} ${a.method}`, `${b.path} ${b.method}`));
  for (const operation of operations) {
    if (!operation.path.startsWith(`${root}/`)) throw new CodegenError(`operation ${operation.operationId} (${operation.path}) is outside ${root}`);
    const item = pathItem(slice, operation.path);
    place(tree, { operation, identity: item.identity, hasBody: isRecord(item.value[operation.method]) && (item.value[operation.method] as Obj)['requestBody'] !== undefined });
  }
  return new Emitter(tree, root).emit();
}

function pathItem(slice: Obj, path: string): { identity: string; value: Obj } {
  const item = ((slice['paths'] ?? {}) as Obj)[path];
  if (!isRecord(item)) throw new CodegenError(`${path}: no path item`);
  const ref = item['$ref'];
  if (typeof ref !== 'string') return { identity: path, value: item };
  const name = ref.slice(ref.lastIndexOf('/') + 1);
  const shared = (((slice['components'] ?? {}) as Obj)['pathItems'] ?? {}) as Obj;
  const value = shared[name];
  if (!isRecord(value)) throw new CodegenError(`${path}: ${ref} does not resolve`);
  return { identity: `#${name}`, value };
}

interface Placement {
  readonly operation: OperationFacts;
  readonly identity: string;
  readonly hasBody: boolean;
}

function place(tree: Node, placement: Placement): void {
  const { operation } = placement;
  const segments = operation.path.slice(tree.path.length + 1).split('/');
  const last = segments.at(-1) ?? '';
  const trailing = last === '$count' || last.includes('.');
  let node = tree;
  for (const segment of trailing ? segments.slice(0, -1) : segments) {
    if (segment.startsWith('{')) {
      const param = segment.slice(1, -1);
      const kind = operation.pathParams.find((p) => p.name === param)?.kind ?? 'string';
      node.key ??= { param, kind, node: newNode(`${node.path}/${segment}`) };
      if (node.key.param !== param) throw new CodegenError(`${operation.path}: two keys below ${node.path} ({${node.key.param}} and {${param}})`);
      node = node.key.node;
      continue;
    }
    if (reserved.has(segment)) throw new CodegenError(`${operation.path}: segment "${segment}" cannot be a member of a callable node`);
    let child = node.children.get(segment);
    if (child === undefined) node.children.set(segment, (child = newNode(`${node.path}/${segment}`)));
    node = child;
  }
  const method = methodFor(placement, trailing ? last : undefined);
  if (node.methods.has(method.name) || node.children.has(method.name)) throw new CodegenError(`${operation.path}: two members named "${method.name}" on ${node.path}`);
  node.methods.set(method.name, method);
}

function methodFor({ operation, identity, hasBody }: Placement, segment: string | undefined): Method {
  const base = { operation, identity };
  if (segment === '$count') return { ...base, name: 'count', kind: 'count', segment };
  if (segment !== undefined) {
    // Actions and functions go by their short names, never by (mangled, G14) operationIds.
    const fn = functionSegment.exec(segment);
    const qualified = fn?.[1] ?? segment;
    const name = qualified.slice(qualified.lastIndexOf('.') + 1);
    if (fn === null) return { ...base, name, kind: hasBody ? 'body' : 'none', segment };
    const functionParams = [...(fn[2] ?? '').matchAll(/=\{([^}]+)\}/g)].map((m) => m[1] ?? '');
    return { ...base, name, kind: 'function', segment, functionParams };
  }
  switch (operation.method) {
    case 'get':
      if (operation.resultIsCollection) return { ...base, name: 'list', kind: 'list' };
      return { ...base, name: 'get', kind: operation.queryOptions.includes('$select') || operation.queryOptions.includes('$expand') ? 'read' : 'none' };
    case 'post':
      return { ...base, name: 'create', kind: hasBody ? 'body' : 'none' };
    case 'patch':
      return { ...base, name: 'update', kind: 'body' };
    case 'put':
      return { ...base, name: 'replace', kind: 'body' };
    case 'delete':
      return { ...base, name: 'delete', kind: 'none' };
  }
}

const pascal = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** `workflow-id` → `workflowId`, `workflowVersion-versionNumber` → `versionNumber`. */
function keyArgument(param: string): string {
  const parts = param.split('-');
  const last = parts.at(-1) ?? param;
  return last === 'id' ? `${parts.slice(0, -1).join('')}Id` : last;
}

class Emitter {
  private readonly signatures = new Map<Node, string>();
  /** One entry per distinct subtree: its representative node (the shortest path) and its name. */
  private readonly distinct = new Map<string, { node: Node; name: string }>();

  constructor(
    private readonly tree: Node,
    private readonly root: string,
  ) {}

  emit(): string {
    const all = this.collect(this.tree);
    const bySignature = new Map<string, Node>();
    for (const node of all) {
      const signature = this.signature(node);
      const seen = bySignature.get(signature);
      if (seen === undefined || node.path.length < seen.path.length || (node.path.length === seen.path.length && node.path < seen.path)) bySignature.set(signature, node);
    }
    const names = this.names([...bySignature.values()]);
    for (const [signature, node] of bySignature) this.distinct.set(signature, { node, name: names.get(node) ?? '' });
    const ordered = [...this.distinct.values()].sort((a, b) => compareStrings(a.name, b.name));
    const interfaces = ordered.map(({ node, name }) => this.interfaceOf(node, name));
    const specs: string[] = [];
    const rootSpec = this.specsInOrder(this.tree, new Map(), specs);
    const rootName = this.entry(this.tree).name;
    return [
      "import type { components, entities, paths } from '@idgov/types';",
      "import type { BodyOp, CountOp, FunctionOp, GetOp, ListOp, NoArgOp, NodeSpec } from '../resource-tree.js';",
      '',
      "type Schemas = components['schemas'];",
      'type Entities = typeof entities;',
      '',
      ...interfaces,
      ...specs,
      `/** What \`lifecycleWorkflows()\` walks: every operation below \`${this.root}\`, mirrored subtrees shared. */`,
      `export const resourceTree: NodeSpec = ${rootSpec};`,
      '',
      `export type { ${rootName} as LifecycleWorkflowsTree };`,
      '',
    ].join('\n');
  }

  private collect(node: Node, out: Node[] = []): Node[] {
    out.push(node);
    for (const child of node.children.values()) this.collect(child, out);
    if (node.key !== undefined) this.collect(node.key.node, out);
    return out;
  }

  private signature(node: Node): string {
    const known = this.signatures.get(node);
    if (known !== undefined) return known;
    const methods = [...node.methods.values()].map((m) => [m.name, m.kind, m.operation.method, m.segment ?? '', m.identity, m.operation.resultType ?? '']);
    const children = [...node.children].map(([name, child]) => [name, this.signature(child)]);
    const key = node.key === undefined ? null : [node.key.param, node.key.kind, this.signature(node.key.node)];
    const signature = JSON.stringify([methods, children, key]);
    this.signatures.set(node, signature);
    return signature;
  }

  private entry(node: Node): { node: Node; name: string } {
    const found = this.distinct.get(this.signature(node));
    if (found === undefined) throw new CodegenError(`no entry for ${node.path}`);
    return found;
  }

  /** Each name is the shortest tail of the node's segments (`RunsNode`, `RunsItemUserProcessingResultsNode`) that no other node ends with. */
  private names(nodes: readonly Node[]): Map<Node, string> {
    const tokens = new Map(nodes.map((node) => [node, this.tokens(node)] as const));
    const endsWith = (list: readonly string[], tail: readonly string[]) => list.length >= tail.length && tail.every((t, i) => list[list.length - tail.length + i] === t);
    const out = new Map<Node, string>();
    const taken = new Set<string>();
    for (const node of nodes) {
      const own = tokens.get(node) ?? [];
      let name = 'LifecycleWorkflowsNode';
      for (let start = own.length - 1; start >= 0; start--) {
        if (own[start] === 'Item') continue;
        const tail = own.slice(start);
        name = `${tail.join('')}Node`;
        if (!nodes.some((other) => other !== node && endsWith(tokens.get(other) ?? [], tail))) break;
      }
      if (taken.has(name)) throw new CodegenError(`two resource tree nodes would be named ${name} (${node.path})`);
      taken.add(name);
      out.set(node, name);
    }
    return out;
  }

  private tokens(node: Node): string[] {
    const relative = node.path.slice(this.root.length).split('/').filter((s) => s !== '');
    return relative.map((segment) => (segment.startsWith('{') ? 'Item' : pascal(segment)));
  }

  private interfaceOf(node: Node, name: string): string {
    const lines = [`/** \`${node.path.slice(this.root.length) || '/'}\` */`, `export interface ${name} {`];
    if (node.key !== undefined) {
      const type = node.key.kind === 'int32' ? 'number' : 'string';
      lines.push(`  (${keyArgument(node.key.param)}: ${type}): ${this.entry(node.key.node).name};`);
    }
    for (const method of [...node.methods.values()].sort((a, b) => compareStrings(a.name, b.name))) {
      lines.push(`  /** \`${method.operation.method.toUpperCase()} ${method.operation.path.slice(this.root.length)}\` */`);
      lines.push(`  readonly ${method.name}: ${this.methodType(method)};`);
    }
    for (const [child, childNode] of [...node.children].sort(([a], [b]) => compareStrings(a, b))) lines.push(`  readonly ${child}: ${this.entry(childNode).name};`);
    lines.push('}', '');
    return lines.join('\n');
  }

  private methodType(method: Method): string {
    const { operation } = method;
    const entity = (name: string | undefined) => {
      if (name === undefined) throw new CodegenError(`${operation.method.toUpperCase()} ${operation.path}: no result type to read`);
      return `Schemas['${name}'], Entities['${name}']`;
    };
    const op = `paths['${operation.path}']['${operation.method}']`;
    switch (method.kind) {
      case 'list':
        return `ListOp<${entity(operation.resultType)}>`;
      case 'read':
        return `GetOp<${entity(operation.resultType)}>`;
      case 'count':
        return 'CountOp';
      case 'body':
        return `BodyOp<${op}>`;
      case 'none':
        return `NoArgOp<${op}>`;
      case 'function':
        return `FunctionOp<${op}, ${(method.functionParams ?? []).map((p) => `'${p}'`).join(' | ') || 'never'}>`;
    }
  }

  /** Runtime descriptions, children before parents, each distinct one once (paths are built by the walk, so more subtrees share). */
  private specsInOrder(node: Node, specs: Map<string, string>, out: string[]): string {
    const parts: string[] = [];
    if (node.methods.size > 0) {
      const methods = [...node.methods.values()]
        .sort((a, b) => compareStrings(a.name, b.name))
        .map((m) => `${m.name}: ${JSON.stringify([m.operation.method, m.kind, ...(m.segment === undefined ? [] : [m.segment])])}`);
      parts.push(`m: { ${methods.join(', ')} }`);
    }
    if (node.children.size > 0) {
      const children = [...node.children].sort(([a], [b]) => compareStrings(a, b)).map(([name, child]) => `${name}: ${this.specsInOrder(child, specs, out)}`);
      parts.push(`c: { ${children.join(', ')} }`);
    }
    if (node.key !== undefined) parts.push(`k: ['${node.key.param}', ${this.specsInOrder(node.key.node, specs, out)}]`);
    const body = `{ ${parts.join(', ')} }`;
    const known = specs.get(body);
    if (known !== undefined) return known;
    const name = `n${specs.size}`;
    specs.set(body, name);
    out.push(`const ${name}: NodeSpec = ${body};`);
    return name;
  }
}
