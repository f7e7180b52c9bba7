/**
 * Runtime cost of CEL evaluation, the way Kubernetes bounds it (k8s.io/apiserver/pkg/apis/cel/config.go):
 * every expression evaluation may spend at most PER_CALL_LIMIT units, and one policy's evaluation of one
 * object at most RUNTIME_BUDGET. A unit is one evaluated expression node (cel-go's ActualCost counts
 * the same way: one per interpreted step), plus the size-proportional charges that the string, regex
 * and list functions add (cel-go charges 0.1 per character or element traversed).
 */
export const PER_CALL_LIMIT = 1_000_000;
export const RUNTIME_BUDGET = 10_000_000;

export class CostLimitExceeded extends Error {
  constructor(readonly limit: number) {
    super('operation cancelled: actual cost limit exceeded');
  }
}

// The running count of the expression evaluation in progress, as two plain module variables rather
// than a meter object: every evaluated node charges one unit, so this is the hottest code of a policy
// review (a method call per node showed at 4-6 % of the policy row). Evaluation is synchronous, so one
// count at a time; outside a metered evaluation the limit is infinite and charging changes nothing.
let spent = 0;
let limit = Number.POSITIVE_INFINITY;

function exceeded(): never {
  throw new CostLimitExceeded(limit);
}

/**
 * Charges the one unit of an evaluated expression node (compile-cel.ts's closures call it where the
 * instrumented node's wrapper below would have counted).
 */
export function chargeNode(): void {
  if (++spent > limit) exceeded();
}

/** Charges `units` to the evaluation running now (no-op outside a metered evaluation). */
export function chargeCost(units: number): void {
  spent += units;
  if (spent > limit) exceeded();
}

/** Where a metered evaluation's cost goes: one policy's evaluation of one object. */
export interface CostAccount {
  spent: number;
}

/**
 * Runs `program.run(input)` with a fresh count and `units` as its limit, adds what it cost to
 * `account` and returns its value; over the limit it throws CostLimitExceeded and charges nothing
 * (the caller charges the limit, as Kubernetes does). The program and its input are passed rather
 * than a closure, and the cost goes to the account rather than into a result object: this runs for
 * every expression of every policy on every object reviewed. An evaluation started inside another (a
 * variable read by a validation) has a count of its own; the outer one resumes where it was.
 */
export function metered<I, T>(
  units: number,
  program: { run(input: I): T },
  input: I,
  account: CostAccount,
): T {
  const outerSpent = spent;
  const outerLimit = limit;
  spent = 0;
  limit = units;
  try {
    const value = program.run(input);
    account.spent += spent;
    return value;
  } finally {
    spent = outerSpent;
    limit = outerLimit;
  }
}

type Evaluate = (ev: unknown, ast: unknown, ctx: unknown) => unknown;

interface EvaluableNode {
  evaluate: Evaluate;
  args?: unknown;
}

const instrumented = new WeakSet<object>();

/** Whether evaluating `node` charges a unit: instrumentCost reached it (a macro's expansion is not). */
export function isCounted(node: object): boolean {
  return instrumented.has(node);
}

/**
 * Makes every node of a parsed expression charge one unit when evaluated. cel-js replaces a node's
 * `evaluate` with its operator's handler on first use (ASTNode.prototype.evaluate assigns it, then
 * calls it); the wrapper lets that happen once, keeps the handler and puts itself back in front.
 */
export function instrumentCost(root: unknown): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (const child of node) stack.push(child);
      continue;
    }
    if (!('op' in node) || instrumented.has(node)) {
      if (!('op' in node)) for (const value of Object.values(node)) stack.push(value);
      continue;
    }
    instrumented.add(node);
    const evaluable = node as unknown as EvaluableNode;
    wrapEvaluate(evaluable);
    stack.push(evaluable.args);
  }
}

function wrapEvaluate(node: EvaluableNode): void {
  const initial = Object.getPrototypeOf(node).evaluate as Evaluate;
  let inner: Evaluate | undefined;
  // Plain data properties and fixed arity: this runs for every node of every evaluation.
  const counting: Evaluate = function (this: EvaluableNode, ev, ast, ctx) {
    if (++spent > limit) exceeded();
    return (inner as Evaluate).call(this, ev, ast, ctx);
  };
  const first: Evaluate = function (this: EvaluableNode, ev, ast, ctx) {
    if (++spent > limit) exceeded();
    try {
      // The prototype stores the handler on the node, then calls it: that call is the one charged above.
      return initial.call(this, ev, ast, ctx);
    } finally {
      if (this.evaluate !== first) {
        inner = this.evaluate;
        this.evaluate = counting;
      }
    }
  };
  node.evaluate = first;
}
