import type { Environment } from '@marcbachmann/cel-js';
import { chargeNode, isCounted } from './cel-cost.js';
import { type CelFunction, type CelNode, celJs } from './cel-js-handlers.js';
import { compileComprehension } from './compile-cel-comprehension.js';
import { compileMacro } from './compile-cel-macros.js';

/**
 * cel-js's parse tree compiled into JavaScript closures, one per node, built once per expression.
 * cel-js evaluates by walking the tree (ev.run(node) → node.evaluate → the operator's evaluate, which
 * runs its children the same way); a closure calls its children's closures directly and then the very
 * handler cel-js would have called (the node's `handle`: field access, operators, function overloads),
 * with the same arguments, in the same order, on cel-js's own activation objects — so values, error
 * messages and kinds are cel-js's. Each closure charges one cost unit exactly where the node's
 * instrumented wrapper would have (cel-cost.ts's isCounted: the nodes instrumentCost reached, which
 * leaves out a macro's expansion). The few operators whose cel-js code evaluates children itself
 * (ternary, logical, comprehensions, the has/optional/bind macros) are written out here following that
 * code line by line. A node whose handler is not one found in cel-js-handlers.ts is evaluated by cel-js
 * itself (ev.run): its subtree keeps cel-js's walk and its wrappers' counting, so falling back changes
 * nothing but speed.
 *
 * Synchronous functions only: the closures never wait for a Promise. cel-js marks a node "maybe
 * async" whenever one overload of its operator or function was registered without `async: false`
 * (and cel-js 8 drops that flag for binary operators, so every `==` is marked once a library adds an
 * `==` overload); the Kubernetes libraries (kubernetes-cel-env.ts) and cel-js's standard functions all
 * return plain values, so for them cel-js's asynchronous wrappers pass values through unchanged and
 * the two evaluations agree (test/unit/cel/compile-cel.test.ts compares them).
 */

/**
 * Whether `handle` is cel-js's `handler`, as it is or in the wrapper cel-js puts around it for a
 * possibly asynchronous first operand (maybeAsyncFirst, cached on the handler as `__asyncFirst`).
 */
export function isHandler(handle: CelFunction | undefined, handler: CelFunction | undefined): boolean {
  if (!handle || !handler) return false;
  return handle === handler || handle === (handler as { __asyncFirst?: CelFunction }).__asyncFirst;
}

/** cel-js's evaluator, as the closures use it. */
export interface CelEvaluator {
  run(node: CelNode, ctx: CelContext): unknown;
  createError(code: string, message: string, node?: unknown): Error;
  debugType(value: unknown): CelTypeDeclaration;
  debugRuntimeType(value: unknown): unknown;
  registry: unknown;
}

interface CelTypeDeclaration {
  fieldLazy(object: unknown, key: unknown, node: CelNode, ev: CelEvaluator): unknown;
}

/** cel-js's activation scopes (RootContext, and the OverlayContext of an iteration or bind variable). */
export interface CelContext {
  getCheckedValue(ev: CelEvaluator, node: CelNode): unknown;
  accuValue: unknown;
}

export interface IterationContext extends CelContext {
  async?: boolean;
  reuse(parent: CelContext): IterationContext;
  setIterValue(value: unknown, ev: CelEvaluator): IterationContext;
}

export type Compiled = (ev: CelEvaluator, ctx: CelContext) => unknown;

/** Evaluation by cel-js itself (its instrumented wrapper, if any, charges the node). */
function byCelJs(node: CelNode): Compiled {
  return (ev, ctx) => ev.run(node, ctx);
}

/** `node` as a closure; cel-js evaluates whatever this does not know. */
export function compileNode(node: CelNode): Compiled {
  const counted = isCounted(node);
  const meta = node.meta;
  if (meta.alternate) {
    const alternate = compileNode(meta.alternate);
    if (!counted) return alternate;
    return (ev, ctx) => {
      chargeNode();
      return alternate(ev, ctx);
    };
  }
  const compiled = meta.macro ? compileMacro(meta.macro, counted) : compileOperator(node, counted);
  return compiled ?? byCelJs(node);
}

function compileOperator(node: CelNode, counted: boolean): Compiled | undefined {
  const evaluate = node.meta.evaluate;
  if (evaluate === undefined) return undefined;
  if (evaluate !== celJs().evaluate.get(node.op)) return compileReplaced(node, evaluate, counted);
  switch (node.op) {
    case 'value':
      return constant(node.args, counted);
    case 'id':
      return (ev, ctx) => {
        if (counted) chargeNode();
        return ctx.getCheckedValue(ev, node);
      };
    case '.':
    case '.?':
      return fieldAccess(node, counted);
    case '!_':
    case '-_':
      return unary(node, counted);
    case 'call':
      return call(node, node.args[1] as CelNode[], counted);
    case 'rcall':
      return receiverCall(node, counted);
    case 'list':
      return list(node.args as CelNode[], counted);
    case 'map':
      return map(node.args as Array<[CelNode, CelNode]>, counted);
    case '?:':
      return isHandler(node.handle, celJs().ternary) ? ternary(node, counted) : undefined;
    case '||':
      return logical(node, true, counted);
    case '&&':
      return logical(node, false, counted);
    case 'comprehension':
      return compileComprehension(node, counted);
    case 'accuValue':
      return (_ev, ctx) => {
        if (counted) chargeNode();
        return ctx.accuValue;
      };
    case 'accuPush': {
      const item = compileNode(node.args as CelNode);
      return (ev, ctx) => {
        if (counted) chargeNode();
        const accu = ctx.accuValue as unknown[];
        accu.push(item(ev, ctx));
        return accu;
      };
    }
    case 'accuInc':
      return (_ev, ctx) => {
        if (counted) chargeNode();
        // cel-js's `ctx.accuValue += 1`, whatever the accumulator holds (exists_one starts it at 0).
        // biome-ignore lint/suspicious/noExplicitAny: `+=` on an unknown accumulator, as cel-js does.
        (ctx as any).accuValue += 1;
        return ctx.accuValue;
      };
    default:
      return binary(node, counted);
  }
}

/** Nodes whose evaluate the type checker replaced: empty literals and a synchronous list append. */
function compileReplaced(node: CelNode, evaluate: CelFunction, counted: boolean): Compiled | undefined {
  if (node.op === 'list' && evaluate === celJs().emptyList)
    return () => {
      if (counted) chargeNode();
      return [];
    };
  if (node.op === 'map' && evaluate === celJs().emptyMap)
    return () => {
      if (counted) chargeNode();
      return {};
    };
  if (node.op === 'accuPush' && evaluate === celJs().accuPushSync) {
    const item = compileNode(node.args as CelNode);
    return (ev, ctx) => {
      if (counted) chargeNode();
      (ctx.accuValue as unknown[]).push(item(ev, ctx));
      return ctx.accuValue;
    };
  }
  return undefined;
}

function constant(value: unknown, counted: boolean): Compiled {
  if (!counted) return () => value;
  return () => {
    chargeNode();
    return value;
  };
}

/** `a.b`, `a.?b`: cel-js's evaluateBinaryFirst. */
function fieldAccess(node: CelNode, counted: boolean): Compiled | undefined {
  const handle = node.handle;
  if (!handle || !node.left) return undefined;
  const left = compileNode(node.left);
  const key = node.right;
  return (ev, ctx) => {
    if (counted) chargeNode();
    return handle(left(ev, ctx), key, node, ev);
  };
}

/** `a[b]`, `a[?b]` and the binary operators: cel-js's evaluateBinary (left, then right). */
function binary(node: CelNode, counted: boolean): Compiled | undefined {
  const handle = node.handle;
  if (!handle || !node.left || typeof node.right !== 'object') return undefined;
  const left = compileNode(node.left);
  const right = compileNode(node.right);
  return (ev, ctx) => {
    if (counted) chargeNode();
    return handle(left(ev, ctx), right(ev, ctx), node, ev);
  };
}

function unary(node: CelNode, counted: boolean): Compiled | undefined {
  const handle = node.handle;
  if (!handle) return undefined;
  const operand = compileNode(node.args as CelNode);
  return (ev, ctx) => {
    if (counted) chargeNode();
    return handle(operand(ev, ctx), node, ev);
  };
}

/** cel-js's resolveAstArray: the elements evaluated last to first, into a fresh array. */
function resolveAll(items: readonly Compiled[], ev: CelEvaluator, ctx: CelContext): unknown[] {
  let i = items.length;
  if (i === 0) return [];
  const results = new Array(i);
  while (i--) results[i] = (items[i] as Compiled)(ev, ctx);
  return results;
}

function call(node: CelNode, args: CelNode[], counted: boolean): Compiled | undefined {
  const handle = node.handle;
  if (!handle || !Array.isArray(args)) return undefined;
  const compiled = args.map(compileNode);
  return (ev, ctx) => {
    if (counted) chargeNode();
    return handle(resolveAll(compiled, ev, ctx), node, ev);
  };
}

function receiverCall(node: CelNode, counted: boolean): Compiled | undefined {
  const handle = node.handle;
  if (!handle || !Array.isArray(node.receiverWithArgs)) return undefined;
  const compiled = node.receiverWithArgs.map(compileNode);
  return (ev, ctx) => {
    if (counted) chargeNode();
    return handle(resolveAll(compiled, ev, ctx), ev, node);
  };
}

function list(items: CelNode[], counted: boolean): Compiled {
  const compiled = items.map(compileNode);
  return (ev, ctx) => {
    if (counted) chargeNode();
    return resolveAll(compiled, ev, ctx);
  };
}

/** A map literal: keys and values in order, then cel-js's safeFromEntries. */
function map(entries: Array<[CelNode, CelNode]>, counted: boolean): Compiled {
  const keys = entries.map((entry) => compileNode(entry[0]));
  const values = entries.map((entry) => compileNode(entry[1]));
  return (ev, ctx) => {
    if (counted) chargeNode();
    const results: Array<[unknown, unknown]> = new Array(keys.length);
    for (let i = 0; i < keys.length; i++)
      results[i] = [(keys[i] as Compiled)(ev, ctx), (values[i] as Compiled)(ev, ctx)];
    const object: Record<string, unknown> = {};
    for (const [key, value] of results) {
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
      object[key as string] = value;
    }
    return object;
  };
}

/** `c ? a : b`: cel-js's handleTernary. */
function ternary(node: CelNode, counted: boolean): Compiled | undefined {
  const { condition: conditionNode, left: leftNode, right: rightNode } = node;
  if (!conditionNode || !leftNode || typeof rightNode !== 'object') return undefined;
  const condition = compileNode(conditionNode);
  const left = compileNode(leftNode);
  const right = compileNode(rightNode);
  return (ev, ctx) => {
    if (counted) chargeNode();
    const c = condition(ev, ctx);
    if (c === true) return left(ev, ctx);
    if (c === false) return right(ev, ctx);
    throw ev.createError(
      'invalid_condition_type',
      `${conditionNode.meta.label || 'Ternary condition must be bool'}, got '${ev.debugRuntimeType(c)}'`,
      conditionNode,
    );
  };
}

/**
 * `a || b` (short = true) and `a && b` (short = false): cel-js's operators, which evaluate the left
 * side catching its error (tryEval), so that `error || true` is true, and _logicalOp.
 */
function logical(node: CelNode, short: boolean, counted: boolean): Compiled | undefined {
  const { left: leftNode, right: rightNode } = node;
  if (!leftNode || typeof rightNode !== 'object') return undefined;
  const left = compileNode(leftNode);
  const right = compileNode(rightNode);
  return (ev, ctx) => {
    if (counted) chargeNode();
    let l: unknown;
    try {
      l = left(ev, ctx);
    } catch (error) {
      l = error;
    }
    if (l === short) return short;
    if (l === !short) {
      const r = right(ev, ctx);
      if (typeof r === 'boolean') return r;
      return logicalResult(short, ev, leftNode, l, r);
    }
    return logicalResult(short, ev, leftNode, l, right(ev, ctx));
  };
}

/** cel-js's _logicalOp (its errors name the left operand's node, as cel-js does). */
function logicalResult(short: boolean, ev: CelEvaluator, leftNode: CelNode, l: unknown, r: unknown): boolean {
  if (r === short) return short;
  if (r === !short) {
    if (l === r) return r;
    throw l instanceof Error ? l : logicalOperandError(ev, l, leftNode);
  }
  throw logicalOperandError(ev, r, leftNode);
}

function logicalOperandError(ev: CelEvaluator, value: unknown, node: CelNode): Error {
  return ev.createError(
    'invalid_logical_operand',
    `Logical operator requires bool operands, got '${ev.debugRuntimeType(value)}'`,
    node,
  );
}

interface ProgramEntry {
  ev: CelEvaluator;
  Root: new (registry: unknown, activation: unknown) => CelContext;
}

const entries = new WeakMap<Environment, ProgramEntry>();

/**
 * The evaluator and root-scope class a program of `env` runs with. Neither is exported by cel-js: a
 * probe expression whose root node reports them is evaluated once (cel-js calls the root node's
 * evaluate with exactly these).
 */
function entryOf(env: Environment): ProgramEntry {
  let entry = entries.get(env);
  if (entry) return entry;
  const probe = env.parse('true');
  if (!probe.check().valid) throw new Error('cel-js probe expression did not type-check');
  (probe.ast as unknown as { evaluate: CelFunction }).evaluate = (
    ev: CelEvaluator,
    _node,
    ctx: CelContext,
  ) => {
    entry = { ev, Root: ctx.constructor as ProgramEntry['Root'] };
  };
  probe({});
  if (!entry) throw new Error('cel-js probe expression was not evaluated');
  entries.set(env, entry);
  return entry;
}

/**
 * A parsed, type-checked and cost-instrumented program of `env` as a function of its activation,
 * giving what `program(activation)` gives (value, error, cost), with its tree compiled.
 */
export function compileProgram(
  env: Environment,
  program: ReturnType<Environment['parse']>,
): (activation: Record<string, unknown>) => unknown {
  const { ev, Root } = entryOf(env);
  const root = compileNode(program.ast as unknown as CelNode);
  return (activation) => root(ev, new Root(ev.registry, activation));
}
