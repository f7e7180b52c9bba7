import { resolvePlainScalar } from './manifest-schema.js';
import {
  CLOSE_MAPPING,
  CLOSE_SEQUENCE,
  COLON,
  COMMA,
  DOUBLE,
  decline,
  HASH,
  MAX_NESTING,
  notPlainStart,
  OPEN_MAPPING,
  OPEN_SEQUENCE,
  readQuoted,
  SINGLE,
  SPACE,
  skipSpaces,
} from './yaml-subset.js';

/**
 * A flow collection written on one line (`[a, "b"]`, `{ drop: [ALL] }`), as the block reader meets it
 * as a value: nested collections, plain scalars without `:` or `#`, quoted scalars without escapes.
 * Anything else — a collection that continues on the next line, a trailing comma, a key without a
 * value, a single-pair mapping in a sequence — declines the document. Every child is on the line of the
 * collection, so no position is recorded for them (position-record.ts).
 */
export function readFlowLine(
  text: string,
  from: number,
  end: number,
  /** How many collections hold this one already. */
  nesting: number,
): { value: unknown; after: number } {
  const reader = new FlowLine(text, end, nesting);
  const value = reader.node(from);
  return { value, after: reader.at };
}

class FlowLine {
  at = 0;
  constructor(
    private readonly text: string,
    private readonly end: number,
    private nesting: number,
  ) {}

  node(from: number): unknown {
    this.at = from;
    this.skipSpaces();
    const code = this.text.charCodeAt(this.at);
    if (code === OPEN_SEQUENCE) return this.sequence();
    if (code === OPEN_MAPPING) return this.mapping();
    if (code === SINGLE || code === DOUBLE) {
      const quoted = readQuoted(this.text, this.at, this.end);
      this.at = quoted.after;
      return quoted.value;
    }
    return resolvePlainScalar(this.plain());
  }

  private sequence(): unknown[] {
    const items: unknown[] = [];
    if (++this.nesting > MAX_NESTING) decline();
    if (this.opensEmpty(CLOSE_SEQUENCE)) {
      this.nesting--;
      return items;
    }
    for (;;) {
      items.push(this.node(this.at));
      if (this.next(CLOSE_SEQUENCE)) break;
    }
    this.nesting--;
    return items;
  }

  private mapping(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    if (++this.nesting > MAX_NESTING) decline();
    if (this.opensEmpty(CLOSE_MAPPING)) {
      this.nesting--;
      return result;
    }
    for (;;) {
      this.skipSpaces();
      const key = resolvePlainScalar(this.plain());
      if (typeof key !== 'string' || key === '<<' || result[key] !== undefined) decline();
      if (this.text.charCodeAt(this.at) !== COLON || this.text.charCodeAt(this.at + 1) !== SPACE) decline();
      result[key] = this.node(this.at + 2);
      if (this.next(CLOSE_MAPPING)) break;
    }
    this.nesting--;
    return result;
  }

  /** Past the opening bracket; true (and past the closing one) when the collection is empty. */
  private opensEmpty(close: number): boolean {
    this.at++;
    this.skipSpaces();
    if (this.text.charCodeAt(this.at) !== close) return false;
    this.at++;
    return true;
  }

  /** After an entry: true past the collection's closing bracket, false past a `,` before another entry. */
  private next(close: number): boolean {
    this.skipSpaces();
    const code = this.text.charCodeAt(this.at);
    this.at++;
    if (code === close) return true;
    if (code !== COMMA || this.at >= this.end) decline();
    this.skipSpaces();
    const following = this.text.charCodeAt(this.at);
    if (following === close || following === COMMA) decline(); // `[a, ]`, `[a,,b]`
    return false;
  }

  /**
   * A plain scalar in flow context, up to a `,`, a closing bracket or `: `. `:` and `#` anywhere in it,
   * and an opening bracket, decline: each has a reading js-yaml gives and this reader does not.
   */
  private plain(): string {
    const { text, end } = this;
    const from = this.at;
    if (from >= end || notPlainStart(text.charCodeAt(from), text.charCodeAt(from + 1), from + 1 === end))
      decline();
    let at = from;
    for (; at < end; at++) {
      const code = text.charCodeAt(at);
      if (code === COMMA || code === CLOSE_SEQUENCE || code === CLOSE_MAPPING) break;
      if (code === COLON) {
        if (text.charCodeAt(at + 1) === SPACE) break; // a flow mapping's key ends here
        decline();
      }
      if (code === HASH || code === OPEN_SEQUENCE || code === OPEN_MAPPING) decline();
    }
    if (at >= end) decline(); // the collection goes on past the line
    let last = at;
    while (text.charCodeAt(last - 1) === SPACE) last--;
    this.at = at;
    return text.slice(from, last);
  }

  private skipSpaces(): void {
    this.at = skipSpaces(this.text, this.at, this.end);
  }
}
