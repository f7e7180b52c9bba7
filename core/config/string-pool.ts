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
