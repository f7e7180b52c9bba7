import { Environment } from '@marcbachmann/cel-js';

/**
 * The functions cel-js (@marcbachmann/cel-js 8) evaluates its parse tree with, found by identity: the
 * package exports none of them, so each is read off a node of a small probe expression after type
 * checking (the checker stores an operator's handler on its node). compile-cel.ts compiles a node
 * only when its handler is one of these, and leaves it to cel-js otherwise: if a later cel-js changes
 * or renames any of them, the lookup below misses and expressions fall back to cel-js, never to a guess.
 */
// biome-ignore lint/suspicious/noExplicitAny: cel-js's handlers are untyped JavaScript.
export type CelFunction = (...args: any[]) => any;

/** What compile-cel.ts reads off a parsed, type-checked cel-js node. */
export interface CelNode {
  op: string;
  // biome-ignore lint/suspicious/noExplicitAny: an operator's operands: a node, nodes, a name or a literal.
  args: any;
  meta: CelNodeMeta;
  maybeAsync: boolean;
  handle?: CelFunction;
  left?: CelNode;
  right?: CelNode | string;
  condition?: CelNode;
  receiverWithArgs?: CelNode[];
}

export interface CelNodeMeta {
  evaluate?: CelFunction;
  alternate?: CelNode;
  // biome-ignore lint/suspicious/noExplicitAny: a macro's own record (has, optional, bind, …).
  macro?: any;
  label?: string;
}

export interface CelJsHandlers {
  /** The default `evaluate` of each operator (`meta.evaluate` of a node no checker replaced). */
  evaluate: ReadonlyMap<string, CelFunction>;
  emptyList?: CelFunction;
  emptyMap?: CelFunction;
  accuPushSync?: CelFunction;
  ternary?: CelFunction;
  quantifier?: CelFunction;
  comprehension?: CelFunction;
  has?: CelFunction;
  optional?: CelFunction;
  orValueOnEmpty?: CelFunction;
  orOnEmpty?: CelFunction;
  bindSync?: CelFunction;
  /** cel.bind whose value may be a Promise: the value is evaluated before the scope is taken. */
  bind?: CelFunction;
}

const BINARY = ['!=', '==', 'in', '+', '-', '*', '/', '%', '<', '<=', '>', '>='];

function probe(env: Environment, source: string): CelNode | undefined {
  try {
    const program = env.parse(source);
    if (!program.check().valid) return undefined;
    return program.ast as unknown as CelNode;
  } catch {
    return undefined;
  }
}

function findHandlers(): CelJsHandlers {
  const env = new Environment({ enableOptionalTypes: true, unlistedVariablesAreDyn: false });
  env.registerVariable('x', 'dyn');
  // Registered without `async: false`, as a library function may be: cel-js then keeps the handlers
  // that can wait for a Promise (a list append, cel.bind), which are probed below too.
  env.registerFunction('probe(dyn): dyn', (value: unknown) => value);
  const evaluate = new Map<string, CelFunction>();
  const node = (source: string) => probe(env, source);
  const defaults: Array<[string, string]> = [
    ['value', '1'],
    ['id', 'x'],
    ['.', 'x.y'],
    ['.?', 'x.?y'],
    ['[]', 'x[x]'],
    ['[?]', 'x[?x]'],
    ['call', 'size(x)'],
    ['rcall', 'x.size()'],
    ['list', '[x]'],
    ['map', '{x: x}'],
    ['?:', 'x ? x : x'],
    ['||', 'x || x'],
    ['&&', 'x && x'],
    ['!_', '!x'],
    ['-_', '-x'],
    ...BINARY.map((op): [string, string] => [op, `x ${op} x`]),
  ];
  for (const [op, source] of defaults) {
    const found = node(source);
    if (found?.op === op && found.meta.evaluate) evaluate.set(op, found.meta.evaluate);
  }
  const all = node('x.all(y, y)')?.meta.alternate;
  const mapped = node('x.map(y, y)')?.meta.alternate;
  const existsOne = node('x.exists_one(y, y)')?.meta.alternate;
  if (all?.op === 'comprehension' && all.meta.evaluate) evaluate.set('comprehension', all.meta.evaluate);
  const step = existsOne?.args?.step as CelNode | undefined;
  for (const accu of (step?.args ?? []) as CelNode[])
    if ((accu?.op === 'accuInc' || accu?.op === 'accuValue') && accu.meta.evaluate)
      evaluate.set(accu.op, accu.meta.evaluate);
  const pushing = node('x.map(y, probe(y))')?.meta.alternate?.args?.step as CelNode | undefined;
  if (pushing?.op === 'accuPush' && pushing.meta.evaluate) evaluate.set('accuPush', pushing.meta.evaluate);
  const orValue = node('x.orValue(1)')?.meta.macro;
  const or = node('x.or(x)')?.meta.macro;
  return {
    evaluate,
    emptyList: node('[]')?.meta.evaluate,
    emptyMap: node('{}')?.meta.evaluate,
    accuPushSync: mapped?.args?.step?.op === 'accuPush' ? mapped.args.step.meta.evaluate : undefined,
    ternary: node('x ? x : x')?.handle,
    quantifier: all?.handle,
    comprehension: mapped?.handle,
    has: node('has(x.y)')?.meta.macro?.evaluate,
    optional: orValue?.evaluate,
    orValueOnEmpty: orValue?.onEmpty,
    orOnEmpty: or?.evaluate === orValue?.evaluate ? or?.onEmpty : undefined,
    bindSync: node('cel.bind(y, x, y)')?.meta.macro?.evaluate,
    bind: node('cel.bind(y, probe(x), y)')?.meta.macro?.evaluate,
  };
}

let handlers: CelJsHandlers | undefined;

/** cel-js's handlers, found on first use (≈13 ms of probes: not paid by a scan without policies). */
export function celJs(): CelJsHandlers {
  handlers ??= findHandlers();
  return handlers;
}
