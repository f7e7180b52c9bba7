/**
 * One copy of each distinct string a scan keeps until its report. A large scan's findings repeat a
 * few hundred evidence texts and field paths hundreds of thousands of times, and each was built by
 * concatenation: V8 keeps such strings as trees of "cons" cells (≈13 cells, 400 bytes, per finding
 * in a heap snapshot of bench:config) until something flattens them. The pool keeps one flat copy.
 */
export class StringPool {
  private readonly strings = new Map<string, string>();

  intern(text: string): string {
    let pooled = this.strings.get(text);
    if (pooled === undefined) {
      pooled = flatString(text);
      this.strings.set(pooled, pooled);
    }
    return pooled;
  }
}

/**
 * The same text as one flat string. `normalize()` flattens its receiver before looking at it and
 * returns the flat string when NFC leaves it as it is (always, for ASCII); a text NFC would change is
 * kept as it was, so the content never changes. A V8 behaviour, not a language guarantee: elsewhere
 * this costs a copy at worst.
 */
export function flatString(text: string): string {
  const flat = text.normalize();
  return flat === text ? flat : text;
}

/**
 * `${head}${separator}${tail}` as one shared flat string per distinct pair, looked up by its two parts
 * (`container "web"` and `no resources.limits.cpu`): a check that prefixes each problem with its
 * subject builds and flattens the joined text only the first time, and the pool a finding's evidence
 * goes through (StringPool) then finds it without hashing a fresh string. Bounded: emptied past
 * `limit` texts, so hostile input cannot make it grow without end.
 */
export class JoinedStrings {
  private readonly byHead = new Map<string, Map<string, string>>();
  private size = 0;

  constructor(
    private readonly separator: string,
    private readonly limit = 4096,
  ) {}

  join(head: string, tail: string): string {
    let byTail = this.byHead.get(head);
    let text = byTail?.get(tail);
    if (text !== undefined) return text;
    if (this.size >= this.limit) {
      this.byHead.clear();
      this.size = 0;
      byTail = undefined;
    }
    if (!byTail) {
      byTail = new Map();
      this.byHead.set(head, byTail);
    }
    text = flatString(`${head}${this.separator}${tail}`);
    byTail.set(tail, text);
    this.size++;
    return text;
  }
}
