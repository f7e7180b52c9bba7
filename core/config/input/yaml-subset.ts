// What the block reader (block-yaml.ts) and its one-line flow reader (flow-line.ts) share: how they
// decline a document, the characters they look at, and the scalar forms both read.

/** Thrown inside the readers when a document leaves the subset; never escapes `loadBlockYaml`. */
export const DECLINE = Symbol('outside the block subset');

export function decline(): never {
  throw DECLINE;
}

/**
 * The deepest nesting of collections either reader of the subset takes. js-yaml refuses a document
 * nested more than 100 nodes deep (its maxDepth, counted with the scalars at the bottom); the subset
 * readers decline well before that, so js-yaml reads every deep document and reports it as it would.
 */
export const MAX_NESTING = 90;

export const SPACE = 0x20;
export const HASH = 0x23;
export const COLON = 0x3a;
export const DASH = 0x2d;
export const DOT = 0x2e;
export const SINGLE = 0x27;
export const DOUBLE = 0x22;
export const COMMA = 0x2c;
export const OPEN_SEQUENCE = 0x5b;
export const CLOSE_SEQUENCE = 0x5d;
export const OPEN_MAPPING = 0x7b;
export const CLOSE_MAPPING = 0x7d;
const BACKSLASH = 0x5c;

/**
 * Whether a plain scalar cannot start with `code` (then `next`): flow indicators, anchors, aliases,
 * tags, block scalars, directives, reserved indicators, comments and quotes (YAML 1.2 §5.3
 * c-indicator), and `- `/`? `/`: ` (a plain scalar may start with `-`, `?` or `:` only before a
 * non-space, §7.3.3 ns-plain-first).
 */
export function notPlainStart(code: number, next: number, atEnd: boolean): boolean {
  switch (code) {
    case OPEN_SEQUENCE:
    case CLOSE_SEQUENCE:
    case OPEN_MAPPING:
    case CLOSE_MAPPING:
    case COMMA:
    case HASH:
    case 0x26: // & anchor
    case 0x2a: // * alias
    case 0x21: // ! tag
    case 0x7c: // | literal
    case 0x3e: // > folded
    case 0x25: // % directive
    case 0x40: // @ reserved
    case 0x60: // ` reserved
    case SINGLE:
    case DOUBLE:
      return true;
    case DASH:
    case 0x3f: // ?
    case COLON:
      return atEnd || next === SPACE;
    default:
      return false;
  }
}

/** The offset of the first character at or after `at` that is not a space, or `end`. */
export function skipSpaces(text: string, at: number, end: number): number {
  let next = at;
  while (next < end && text.charCodeAt(next) === SPACE) next++;
  return next;
}

/** Whether only spaces follow `at` on the line, then its end or a comment (a `#` after a space, §6.6). */
export function onlySpacesOrComment(text: string, at: number, end: number): boolean {
  const next = skipSpaces(text, at, end);
  return next === end || (text.charCodeAt(next) === HASH && text.charCodeAt(next - 1) === SPACE);
}

/**
 * A quoted scalar starting at `from` and closed before `end`: its value and the offset past its closing
 * quote. One that runs past the line, or a double-quoted one with an escape, declines.
 */
export function readQuoted(text: string, from: number, end: number): { value: string; after: number } {
  const quote = text.charCodeAt(from);
  for (let at = from + 1; at < end; at++) {
    const code = text.charCodeAt(at);
    if (code === BACKSLASH && quote === DOUBLE) decline();
    if (code !== quote) continue;
    if (quote === SINGLE && text.charCodeAt(at + 1) === SINGLE) {
      at++; // '' is an escaped quote (§7.3.2)
      continue;
    }
    const body = text.slice(from + 1, at);
    return { value: quote === SINGLE ? body.replaceAll("''", "'") : body, after: at + 1 };
  }
  return decline();
}
