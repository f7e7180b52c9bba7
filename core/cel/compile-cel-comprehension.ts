import { chargeNode } from './cel-cost.js';
import { type CelNode, celJs } from './cel-js-handlers.js';
import {
  type CelEvaluator,
  type Compiled,
  compileNode,
  type IterationContext,
  isHandler,
} from './compile-cel.js';

/**
 * The comprehensions cel-js expands macros into (all, exists, exists_one, map, filter), compiled
 * following cel-js's runQualifier/runComprehension and their loops (lib/operators.js): iteration
 * contexts, accumulator and error handling are cel-js's own.
 */

interface ComprehensionArgs {
  iterable: CelNode;
  init: CelNode;
  step: CelNode;
  iterCtx: IterationContext;
  condition?: (accu: unknown) => unknown;
  result: (accu: unknown) => unknown;
}

/** A macro's comprehension: cel-js's runQualifier (all, exists, exists_one) or runComprehension (map, filter). */
export function compileComprehension(node: CelNode, counted: boolean): Compiled | undefined {
  const handle = node.handle;
  const args = node.args as ComprehensionArgs;
  const quantifier = isHandler(handle, celJs().quantifier);
  if (!handle || !(quantifier || isHandler(handle, celJs().comprehension)) || !args.iterCtx) return undefined;
  const iterable = compileNode(args.iterable);
  const init = compileNode(args.init);
  const step = compileNode(args.step);
  const iterate = quantifier ? iterateQuantifier : iterateLoop;
  return (ev, ctx) => {
    if (counted) chargeNode();
    let items = iterable(ev, ctx);
    // An iteration context left asynchronous by an earlier evaluation: cel-js's own path.
    if (args.iterCtx.async) return handle(items, args, ev, ctx);
    if (!Array.isArray(items)) items = toIterable(ev, args, items);
    const scope = args.iterCtx.reuse(ctx);
    const accu = init(ev, scope);
    scope.accuValue = accu;
    return iterate(ev, scope, args, step, items as unknown[], accu);
  };
}

function toIterable(ev: CelEvaluator, args: ComprehensionArgs, collection: unknown): unknown[] {
  if (collection instanceof Set) return [...collection];
  if (collection instanceof Map) return [...collection.keys()];
  if (collection && typeof collection === 'object') return Object.keys(collection);
  throw ev.createError(
    'invalid_comprehension_range',
    `Expression of type '${ev.debugType(collection)}' cannot be range of a comprehension (must be list, map, or dynamic).`,
    args.iterable,
  );
}

/** Runs a comprehension's steps over `items` from `accu`, in `scope`, and gives its result. */
type Iterate = (
  ev: CelEvaluator,
  scope: IterationContext,
  args: ComprehensionArgs,
  step: Compiled,
  items: unknown[],
  accu: unknown,
) => unknown;

/** cel-js's iterateQuantifier: a step's error is kept, and thrown only if the result still depends on it. */
const iterateQuantifier: Iterate = (ev, scope, args, step, items, accu) => {
  const condition = args.condition as (accu: unknown) => unknown;
  let error: unknown;
  let i = 0;
  while (i < items.length) {
    if (!condition(accu)) return args.result(accu);
    const next = scope.setIterValue(items[i++], ev);
    let value: unknown;
    try {
      value = step(ev, next);
    } catch (thrown) {
      value = thrown;
    }
    if (value instanceof Error) {
      error ??= value;
      continue;
    }
    accu = value;
  }
  if (error && condition(accu)) throw error;
  return args.result(accu);
};

/** cel-js's iterateLoop: errors are fatal. */
const iterateLoop: Iterate = (ev, scope, args, step, items, accu) => {
  const condition = args.condition;
  let i = 0;
  while (i < items.length) {
    if (condition && !condition(accu)) break;
    accu = step(ev, scope.setIterValue(items[i++], ev));
  }
  return args.result(accu);
};
