/**
 * Calico's label selector expressions (docs.tigera.io, "NetworkPolicy: Selectors"): `all()`,
 * `has(k)`, `k == 'v'`, `k != 'v'` (true when k is absent), `k in {'a','b'}`, `k not in {…}`,
 * `k contains 's'`, `k starts with 's'`, `k ends with 's'`, `!`, `&&`, `||` and parentheses.
 * An empty selector selects everything. A selector that does not parse throws, naming the position.
 */
export type CalicoSelector = (labels: Record<string, unknown>) => boolean;

const TOKEN = /\s*(\|\||&&|==|!=|!|\(|\)|\{|\}|,|'[^']*'|"[^"]*"|[A-Za-z0-9_./-]+)/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m?.[1]) throw new Error(`selector ${JSON.stringify(text)}: unexpected character at ${at + 1}`);
    tokens.push(m[1]);
  }
  return tokens;
}

export function parseCalicoSelector(text: string): CalicoSelector {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const fail = (what: string): never => {
    throw new Error(`selector ${JSON.stringify(text)}: ${what} at token ${i + 1}`);
  };
  const expect = (t: string) => (next() === t ? undefined : fail(`expected ${t}`));
  const str = (): string => {
    const t = next();
    if (!t || !/^['"]/.test(t)) return fail('expected a quoted string');
    return t.slice(1, -1);
  };
  const strSet = (): Set<string> => {
    expect('{');
    const values = new Set<string>();
    while (peek() !== '}') {
      values.add(str());
      if (peek() === ',') next();
      else if (peek() !== '}') fail('expected , or }');
    }
    next();
    return values;
  };
  const value = (labels: Record<string, unknown>, key: string) =>
    typeof labels[key] === 'string' ? (labels[key] as string) : undefined;

  const primary = (): CalicoSelector => {
    const t = next();
    if (t === '(') {
      const inner = or();
      expect(')');
      return inner;
    }
    if (t === '!') {
      const inner = primary();
      return (labels) => !inner(labels);
    }
    if ((t === 'all' || t === 'global') && peek() === '(') {
      next();
      expect(')');
      return () => true;
    }
    if (t === 'has' && peek() === '(') {
      next();
      const key = next() ?? fail('expected a label key');
      expect(')');
      return (labels) => value(labels, key) !== undefined;
    }
    if (!t || /^['"(){},!|&=]/.test(t)) return fail('expected a label key');
    const key = t;
    const op = next();
    if (op === '==') {
      const v = str();
      return (labels) => value(labels, key) === v;
    }
    if (op === '!=') {
      const v = str();
      return (labels) => value(labels, key) !== v;
    }
    if (op === 'in') {
      const set = strSet();
      return (labels) => set.has(value(labels, key) ?? '\u0000');
    }
    if (op === 'not' && peek() === 'in') {
      next();
      const set = strSet();
      return (labels) => !set.has(value(labels, key) ?? '\u0000');
    }
    if (op === 'contains') {
      const v = str();
      return (labels) => value(labels, key)?.includes(v) ?? false;
    }
    if ((op === 'starts' || op === 'ends') && peek() === 'with') {
      next();
      const v = str();
      return op === 'starts'
        ? (labels) => value(labels, key)?.startsWith(v) ?? false
        : (labels) => value(labels, key)?.endsWith(v) ?? false;
    }
    return fail(`unknown operator ${JSON.stringify(op ?? '')}`);
  };
  const and = (): CalicoSelector => {
    const parts = [primary()];
    while (peek() === '&&') {
      next();
      parts.push(primary());
    }
    return parts.length === 1 ? (parts[0] as CalicoSelector) : (labels) => parts.every((p) => p(labels));
  };
  function or(): CalicoSelector {
    const parts = [and()];
    while (peek() === '||') {
      next();
      parts.push(and());
    }
    return parts.length === 1 ? (parts[0] as CalicoSelector) : (labels) => parts.some((p) => p(labels));
  }
  if (tokens.length === 0) return () => true;
  const selector = or();
  if (i < tokens.length) fail('unexpected trailing input');
  return selector;
}
