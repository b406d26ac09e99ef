import type { Expression, LogicalNode } from './ast.js';

/** Nesting the parser accepts (parentheses, `not`, calls, lambdas, chained comparisons); deeper is hostile input. */
export const MAX_DEPTH = 100;

/** Nodes one query may hold: a 50,000-clause filter is about 200,000. */
export const MAX_NODES = 500_000;

/**
 * How deep a built AST may nest before formatting or compiling refuses it. Links of a left-deep
 * `and`/`or` chain do not count: they are walked in a loop. The parser stays well inside it.
 */
const MAX_TREE_DEPTH = 1_000;

/**
 * The operands of a chain of one logical operator, left to right, however it is nested:
 * `a and (b and c)` → `[a, b, c]`. Iterative, so chain length costs no stack.
 */
export function operands(e: Expression, op: 'and' | 'or'): Expression[] {
  const out: Expression[] = [];
  const work: Expression[] = [e];
  for (let x = work.pop(); x !== undefined; x = work.pop()) {
    if (x.kind === 'logical' && x.op === op) work.push(x.right, x.left);
    else out.push(x);
  }
  return out;
}

/** A left-deep chain `((a op b) op c)`: its first operand, and its links from the innermost out. */
export function leftChain(e: LogicalNode): { first: Expression; links: LogicalNode[] } {
  const links: LogicalNode[] = [];
  let x: Expression = e;
  while (x.kind === 'logical' && x.op === e.op) {
    links.push(x);
    x = x.left;
  }
  return { first: x, links: links.reverse() };
}

/**
 * Refuses an expression that formatting, compiling or checking could not walk within the stack:
 * more than {@link MAX_NODES} nodes, or nesting deeper than 1,000 outside left-deep `and`/`or`
 * chains. Every expression the parser returns passes.
 * @throws {RangeError} naming the limit.
 */
export function assertShape(e: Expression): void {
  let nodes = 0;
  // Parallel stacks, not tuples: this runs before every format and compile, allocation-free per node.
  const work: Expression[] = [e];
  const depths: number[] = [-1];
  const push = (x: Expression, depth: number): void => {
    work.push(x);
    depths.push(depth);
  };
  // `depths` holds each node's parent's level.
  for (let x = work.pop(); x !== undefined; x = work.pop()) {
    const depth = (depths.pop() ?? 0) + 1;
    if (depth > MAX_TREE_DEPTH) throw new RangeError(`The filter nests deeper than ${MAX_TREE_DEPTH.toLocaleString('en-US')} levels`);
    // A left-deep chain's links share one level.
    for (let link = x; link.kind === 'logical'; link = link.left) {
      nodes++;
      push(link.right, depth);
      if (link.left.kind !== 'logical' || link.left.op !== link.op) {
        x = link.left;
        break;
      }
    }
    nodes++;
    switch (x.kind) {
      case 'literal':
      case 'property':
        break;
      case 'logical':
        // The head of a chain of the other operator: one level down, walked on a later round.
        nodes--;
        push(x, depth);
        break;
      case 'compare':
        push(x.left, depth);
        push(x.right, depth);
        break;
      case 'in':
        push(x.left, depth);
        nodes += x.list.length;
        break;
      case 'not':
        push(x.operand, depth);
        break;
      case 'call':
        for (const a of x.args) push(a, depth);
        break;
      case 'lambda':
        nodes++;
        if (x.predicate !== undefined) push(x.predicate, depth);
        break;
    }
    if (nodes > MAX_NODES) throw new RangeError(`The filter has more than ${MAX_NODES.toLocaleString('en-US')} nodes`);
  }
}
