/**
 * The variable names a parsed cel-js expression reads: every `id` node's name, including the ones
 * inside a macro's expansion and comprehension variables (a name used as an iteration variable is
 * listed too, so a caller that asks "does it read params?" errs on the side of yes).
 */
export function referencedNames(root: unknown): Set<string> {
  const names = new Set<string>();
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const child of node) stack.push(child);
      continue;
    }
    const ast = node as { op?: unknown; args?: unknown; meta?: { macro?: unknown; alternate?: unknown } };
    if (typeof ast.op !== 'string') {
      // A comprehension's arguments and a macro's expansion are plain objects of nodes (iterable,
      // init, step, callAst, …); anything else (a checked context, a type) holds no expression.
      if (Object.getPrototypeOf(node) === Object.prototype)
        for (const value of Object.values(node)) stack.push(value);
      continue;
    }
    if (ast.op === 'id' && typeof ast.args === 'string') names.add(ast.args);
    stack.push(ast.args, ast.meta?.macro, ast.meta?.alternate);
  }
  return names;
}
