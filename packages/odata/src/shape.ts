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

function children(e: Expression): readonly Expression[] {
  switch (e.kind) {
    case 'literal':
    case 'property':
      return [];
    case 'logical':
    case 'compare':
      return [e.left, e.right];
    case 'in':
      return [e.left, ...e.list];
    case 'not':
      return [e.operand];
    case 'call':
      return e.args;
    case 'lambda':
      return e.predicate === undefined ? [e.collection] : [e.collection, e.predicate];
  }
}

/**
 * Refuses an expression that formatting, compiling or checking could not walk within the stack:
 * more than {@link MAX_NODES} nodes, or nesting deeper than 1,000 outside left-deep `and`/`or`
 * chains. Every expression the parser returns passes.
 * @throws {RangeError} naming the limit.
 */
export function assertShape(e: Expression): void {
  let nodes = 0;
  const work: [Expression, number][] = [[e, 0]];
  for (let next = work.pop(); next !== undefined; next = work.pop()) {
    const [x, depth] = next;
    if (++nodes > MAX_NODES) throw new RangeError(`The filter has more than ${MAX_NODES.toLocaleString('en-US')} nodes`);
    if (depth > MAX_TREE_DEPTH) throw new RangeError(`The filter nests deeper than ${MAX_TREE_DEPTH.toLocaleString('en-US')} levels`);
    for (const c of children(x)) {
      const link = x.kind === 'logical' && c === x.left && c.kind === 'logical' && c.op === x.op;
      work.push([c, link ? depth : depth + 1]);
    }
  }
}
