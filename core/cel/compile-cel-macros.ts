import { Optional } from '@marcbachmann/cel-js';
import { chargeNode } from './cel-cost.js';
import { type CelNode, celJs } from './cel-js-handlers.js';
import { type CelContext, type Compiled, compileNode, type IterationContext } from './compile-cel.js';

/**
 * The macros cel-js evaluates with code of its own rather than an expansion (has, optional.or,
 * optional.orValue, cel.bind), compiled following that code (cel-js lib/macros.js, lib/optional.js);
 * undefined for any other macro, which cel-js then evaluates.
 */
// biome-ignore lint/suspicious/noExplicitAny: a cel-js macro record.
export function compileMacro(macro: any, counted: boolean): Compiled | undefined {
  if (macro.evaluate === celJs().has) return has(macro.macroHasProps, counted);
  if (macro.evaluate === celJs().optional) return optional(macro, counted);
  if (macro.evaluate === celJs().bindSync) return bind(macro, counted, false);
  if (macro.evaluate === celJs().bind) return bind(macro, counted, true);
  return undefined;
}

/** has(a.b.c): the chain's root evaluated, then each field looked up without evaluating it. */
function has(nodes: CelNode[] | undefined, counted: boolean): Compiled | undefined {
  if (!Array.isArray(nodes) || nodes.length === 0) return undefined;
  const root = compileNode(nodes[nodes.length - 1] as CelNode);
  return (ev, ctx) => {
    if (counted) chargeNode();
    let i = nodes.length - 1;
    let object = root(ev, ctx);
    let inOptionalContext: boolean | undefined;
    while (i--) {
      const field = nodes[i] as CelNode;
      if (field.op === '.?') inOptionalContext ??= true;
      object = ev.debugType(object).fieldLazy(object, field.args[1], field, ev);
      if (object !== undefined) continue;
      if (!(!inOptionalContext && i && field.op === '.')) break;
      throw ev.createError('no_such_key', `No such key: ${field.args[1]}`, field);
    }
    return object !== undefined;
  };
}

interface OptionalMacro {
  functionDesc: string;
  receiver: CelNode;
  arg: CelNode;
  onHasValue(optional: Optional): unknown;
  onEmpty(ev: unknown, macro: OptionalMacro, ctx: CelContext): unknown;
}

/** x.orValue(v), x.or(y): cel-js's evaluateOptional; the argument is evaluated only when x is empty. */
function optional(macro: OptionalMacro, counted: boolean): Compiled {
  const receiver = compileNode(macro.receiver);
  const arg = compileNode(macro.arg);
  const receiverDescription = `${macro.functionDesc} receiver must be optional`;
  let onEmpty: Compiled;
  if (macro.onEmpty === celJs().orValueOnEmpty) onEmpty = arg;
  else if (macro.onEmpty === celJs().orOnEmpty)
    onEmpty = (ev, ctx) => {
      const value = arg(ev, ctx);
      if (value instanceof Optional) return value;
      throw ev.createError('optional_expected', 'optional.or(optional) argument must be optional', macro.arg);
    };
  else onEmpty = (ev, ctx) => macro.onEmpty(ev, macro, ctx);
  return (ev, ctx) => {
    if (counted) chargeNode();
    const value = receiver(ev, ctx);
    if (!(value instanceof Optional))
      throw ev.createError('optional_expected', receiverDescription, macro.receiver);
    if (value.hasValue()) return macro.onHasValue(value);
    return onEmpty(ev, ctx);
  };
}

interface BindMacro {
  val: CelNode;
  exp: CelNode;
  bindCtx?: IterationContext;
}

/**
 * cel.bind(name, value, expression): cel-js's bindEvaluateSync takes the scope before evaluating the
 * value, its bindEvaluate (`valueFirst`) after.
 */
function bind(macro: BindMacro, counted: boolean, valueFirst: boolean): Compiled | undefined {
  const bindCtx = macro.bindCtx;
  if (!bindCtx) return undefined;
  const value = compileNode(macro.val);
  const expression = compileNode(macro.exp);
  if (valueFirst)
    return (ev, ctx) => {
      if (counted) chargeNode();
      const bound = value(ev, ctx);
      return expression(ev, bindCtx.reuse(ctx).setIterValue(bound, ev));
    };
  return (ev, ctx) => {
    if (counted) chargeNode();
    const scope = bindCtx.reuse(ctx);
    return expression(ev, scope.setIterValue(value(ev, ctx), ev));
  };
}
