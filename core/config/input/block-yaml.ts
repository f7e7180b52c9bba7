import { readBlockScalar } from './block-scalar.js';
import { readFlowLine } from './flow-line.js';
import { resolvePlainScalar } from './manifest-schema.js';
import { LEAF, MAPPING, type PositionRecord, SEQUENCE } from './position-record.js';
import type { LoadedDocument } from './yaml-positions.js';
import {
  COLON,
  DASH,
  DECLINE,
  DOT,
  DOUBLE,
  decline,
  HASH,
  MAX_NESTING,
  notPlainStart,
  OPEN_MAPPING,
  OPEN_SEQUENCE,
  onlySpacesOrComment,
  readQuoted,
  SINGLE,
  SPACE,
  skipSpaces,
} from './yaml-subset.js';

/**
 * A reader for the block-style YAML that Kubernetes manifests are almost always written in: block
 * mappings and sequences, one-line plain and quoted scalars and flow collections, literal block scalars,
 * folded ones in their one-indentation form, quoted keys, comments. It gives exactly the value and line
 * positions js-yaml gives (`loadWithJsYaml`), about twice as fast: js-yaml, a general YAML reader, was
 * half of the scan's time budget.
 *
 * Anything else declines the document (returns undefined) and js-yaml reads it: anchors, aliases, tags,
 * multi-line plain scalars, other block-scalar forms, flow collections over several lines, escapes,
 * explicit, merge, duplicate and non-string keys, tabs, CR line ends, any indentation js-yaml would
 * reject. It never reports an error of its own, so every error message stays js-yaml's.
 * test/unit/config/input/block-yaml.test.ts compares both readers on the repository's manifests and on
 * mutated ones.
 */
export function loadBlockYaml(document: string): LoadedDocument | undefined {
  if (OUTSIDE_SUBSET.test(document)) return undefined;
  // The values are slices of the text, and a slice keeps the string it was cut from alive. A document
  // is itself a slice of its whole file: a copy of its own (V8 flattens the concatenation into a new
  // string to slice it) lets the objects a scan keeps hold one document's text each instead of every
  // file they came from.
  const text = `${document}\n`.slice(0, -1);
  const lines = indexLines(text);
  if (lines === undefined) return undefined;
  const first = nextContent(lines, 0);
  if (first >= lines.count) return undefined; // empty or comments only: js-yaml's null, cheaply
  const record = RECORD;
  record.length = 0;
  const reader = new BlockReader(text, lines, record, first);
  let value: unknown;
  try {
    value = reader.block();
  } catch (error) {
    // Nesting deeper than the stack is js-yaml's to report too, as it was before this reader.
    if (error === DECLINE || error instanceof RangeError) return undefined;
    throw error;
  }
  if (reader.at < lines.count) return undefined; // content after the root node ended: js-yaml's error
  // Copied out of the shared buffer at its exact size: the objects a scan keeps keep their record.
  return { value, rootLine: lines.number[first]!, positions: record.slice() };
}

// Characters outside YAML's c-printable set (YAML 1.2 §5.1, which js-yaml refuses), a BOM, tabs and
// carriage returns: all left to js-yaml.
const OUTSIDE_SUBSET =
  /[^\n\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD\uD800-\uDFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const PIPE = 0x7c;
const FOLD = 0x3e;

/** The document's non-blank lines: comment-only lines kept (flagged), as they bound plain scalars. */
interface Lines {
  count: number;
  /** 0-based line number in the document. */
  number: number[];
  start: number[];
  end: number[];
  indent: number[];
  comment: boolean[];
}

// One index, refilled for each document: reading is synchronous and never re-entered, and a document's
// six arrays grown line by line were a tenth of the reader's time.
const LINES: Lines = { count: 0, number: [], start: [], end: [], indent: [], comment: [] };

// The positions of the document being read, refilled for each document as LINES is.
const RECORD: PositionRecord = [];

function indexLines(text: string): Lines | undefined {
  const lines = LINES;
  lines.count = 0;
  let number = 0;
  for (let start = 0; start <= text.length; number++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const at = skipSpaces(text, start, end);
    if (at === start && isDocumentMarker(text, at, end)) return undefined;
    if (at < end) {
      const index = lines.count++;
      lines.number[index] = number;
      lines.start[index] = start;
      lines.end[index] = end;
      lines.indent[index] = at - start;
      lines.comment[index] = text.charCodeAt(at) === HASH;
    }
    start = end + 1;
  }
  return lines;
}

/** `---` or `...` starting a line: a document's start or end (YAML 1.2 §9.1.4), in the text of one document. */
function isDocumentMarker(text: string, at: number, end: number): boolean {
  const code = text.charCodeAt(at);
  if (code !== DASH && code !== DOT) return false;
  if (text.charCodeAt(at + 1) !== code || text.charCodeAt(at + 2) !== code) return false;
  return at + 3 === end || text.charCodeAt(at + 3) === SPACE;
}

function nextContent(lines: Lines, from: number): number {
  let at = from;
  while (at < lines.count && lines.comment[at]) at++;
  return at;
}

class BlockReader {
  constructor(
    private readonly text: string,
    private readonly lines: Lines,
    /** Where each node was read (position-record.ts). */
    private readonly record: PositionRecord,
    /** The content line being read. */
    public at: number,
  ) {}

  /** How many collections hold the node being read (MAX_NESTING). */
  private nesting = 0;

  /** The node starting at the current line's indentation. */
  block(): unknown {
    return this.node(this.lines.indent[this.at]!);
  }

  /** The node whose text starts at `column` of the current line (past a `- ` when inside a sequence item). */
  private node(column: number): unknown {
    const from = this.lines.start[this.at]! + column;
    if (this.isDashItem(from)) return this.sequence(column);
    if (this.keyColon(from) >= 0) return this.mapping(column);
    return decline(); // a scalar in block position: a root scalar, or a continuation line
  }

  private isDashItem(at: number): boolean {
    if (this.text.charCodeAt(at) !== DASH) return false;
    const next = at + 1;
    return next === this.lines.end[this.at] || this.text.charCodeAt(next) === SPACE;
  }

  /**
   * The offset of the `:` ending a simple plain key that starts at `from` on the current line, or -1 when
   * the line holds no key there. A key starting with a quote or an indicator declines the document.
   */
  private keyColon(from: number): number {
    const text = this.text;
    const end = this.lines.end[this.at]!;
    const code = text.charCodeAt(from);
    if (code === SINGLE || code === DOUBLE) {
      const { after } = readQuoted(text, from, end);
      const colon =
        text.charCodeAt(after) === COLON && (after + 1 === end || text.charCodeAt(after + 1) === SPACE);
      return colon ? after : -1;
    }
    if (notPlainStart(code, text.charCodeAt(from + 1), from + 1 === end)) decline();
    for (let at = from + 1; at < end; at++) {
      const code = text.charCodeAt(at);
      if (code === COLON) {
        if (at + 1 === end || text.charCodeAt(at + 1) === SPACE) {
          if (text.charCodeAt(at - 1) === SPACE) decline(); // `key :` — trailing spaces in the key
          return at;
        }
      } else if (code === HASH && text.charCodeAt(at - 1) === SPACE) return -1;
    }
    return -1;
  }

  private sequence(column: number): unknown[] {
    const { lines, text, record } = this;
    const items: unknown[] = [];
    if (++this.nesting > MAX_NESTING) decline();
    record.push(SEQUENCE, 0);
    const head = record.length - 1;
    for (;;) {
      const line = lines.number[this.at]!;
      const end = lines.end[this.at]!;
      const at = skipSpaces(text, lines.start[this.at]! + column + 1, end);
      if (at === end || text.charCodeAt(at) === HASH) decline(); // an item on the lines below, or null
      record.push(line);
      items.push(this.inline(at - lines.start[this.at]!, column));
      if (this.at >= lines.count) break;
      const indent = lines.indent[this.at]!;
      if (indent > column) decline();
      if (indent < column || !this.isDashItem(lines.start[this.at]! + column)) break;
    }
    record[head] = record.length;
    this.nesting--;
    return items;
  }

  private mapping(column: number): Record<string, unknown> {
    const { lines, text, record } = this;
    const result: Record<string, unknown> = {};
    if (++this.nesting > MAX_NESTING) decline();
    record.push(MAPPING, 0);
    const head = record.length - 1;
    for (;;) {
      const line = lines.number[this.at]!;
      const from = lines.start[this.at]! + column;
      const colon = this.keyColon(from);
      if (colon < 0) decline(); // a scalar line among keys
      const quoted = text.charCodeAt(from) === SINGLE || text.charCodeAt(from) === DOUBLE;
      // A quoted key is the string it spells (§7.3.1–2); a plain one is resolved as js-yaml does, then must be a string.
      const key = quoted ? readQuoted(text, from, colon).value : plainKey(text, from, colon);
      // Present already (a duplicate), or inherited (`__proto__`, `constructor`…): js-yaml's to handle.
      if (typeof key !== 'string' || key === '<<' || result[key] !== undefined) decline();
      const end = lines.end[this.at]!;
      const at = skipSpaces(text, colon + 1, end);
      record.push(line, key);
      result[key] =
        at === end || text.charCodeAt(at) === HASH ? this.valueBelow(column) : this.scalar(at, column);
      if (this.at >= lines.count) break;
      const indent = lines.indent[this.at]!;
      if (indent > column) decline();
      if (indent < column) break;
      if (this.isDashItem(lines.start[this.at]! + column)) decline(); // `- ` among keys
    }
    record[head] = record.length;
    this.nesting--;
    return result;
  }

  /** A key's value given on the lines below it: a more indented node, a sequence at the key's own indent, or null. */
  private valueBelow(keyColumn: number): unknown {
    const lines = this.lines;
    this.at = nextContent(lines, this.at + 1);
    if (this.at < lines.count) {
      const indent = lines.indent[this.at]!;
      if (indent > keyColumn) return this.block();
      if (indent === keyColumn && this.isDashItem(lines.start[this.at]! + keyColumn))
        return this.sequence(keyColumn);
    }
    this.record.push(LEAF);
    return null;
  }

  /** A sequence item's text: a nested sequence, a mapping whose first key is on this line, or a scalar. */
  private inline(column: number, dashColumn: number): unknown {
    const from = this.lines.start[this.at]! + column;
    if (this.isDashItem(from)) return this.sequence(column);
    const code = this.text.charCodeAt(from);
    const notKey = code === OPEN_MAPPING || code === OPEN_SEQUENCE || code === PIPE || code === FOLD;
    if (!notKey && this.keyColon(from) >= 0) return this.mapping(column);
    return this.scalar(from, dashColumn);
  }

  /**
   * A one-line scalar (or `{}`/`[]`) at `from` ending the current line; moves to the next content line.
   * `blockColumn` is the column of the key or dash that holds it: a line below indented past it would
   * continue the scalar, which this reader leaves to js-yaml.
   */
  private scalar(from: number, blockColumn: number): unknown {
    const { text, lines } = this;
    const end = lines.end[this.at]!;
    const code = text.charCodeAt(from);
    if (code === PIPE || code === FOLD) return this.blockScalar(from, end, blockColumn);
    let value: unknown;
    let after: number;
    if (code === SINGLE || code === DOUBLE) {
      ({ value, after } = readQuoted(text, from, end));
    } else if (code === OPEN_MAPPING || code === OPEN_SEQUENCE) {
      ({ value, after } = readFlowLine(text, from, end, this.nesting));
    } else {
      if (notPlainStart(code, text.charCodeAt(from + 1), from + 1 === end)) decline();
      after = plainEnd(text, from, end);
      let last = after;
      while (text.charCodeAt(last - 1) === SPACE) last--;
      const plain = text.slice(from, last);
      if (plain === '<<') decline();
      value = resolvePlainScalar(plain);
    }
    if (!onlySpacesOrComment(text, after, end)) decline();
    const next = this.at + 1;
    if (next < lines.count && lines.indent[next]! > blockColumn) decline();
    this.at = nextContent(lines, next);
    this.record.push(LEAF);
    return value;
  }

  /** A block scalar; moves to the first content line after it, which may not be indented past its holder. */
  private blockScalar(from: number, end: number, blockColumn: number): string {
    const { text, lines } = this;
    const scalar = readBlockScalar(text, from, end, blockColumn);
    while (this.at < lines.count && lines.start[this.at]! < scalar.next) this.at++;
    if (this.at < lines.count && lines.indent[this.at]! > blockColumn) decline();
    this.at = nextContent(lines, this.at);
    this.record.push(LEAF);
    return scalar.value;
  }
}

/**
 * Keys already read, by a hash of their length and end characters. Manifests repeat a few hundred keys
 * millions of times; a key sliced out of the text is a new string that every property store must hash
 * and look up in V8's string table, where a remembered one carries its hash. A slot is checked with
 * `startsWith`, so a collision only costs a slice.
 */
const KEY_SLOTS = 4096;
const knownKeys: Array<string | undefined> = new Array(KEY_SLOTS).fill(undefined);

function keySlot(text: string, from: number, to: number): number {
  return ((to - from) * 961 + text.charCodeAt(from) * 31 + text.charCodeAt(to - 1)) & (KEY_SLOTS - 1);
}

/** The plain key at `from`..`to`, resolved as js-yaml does: a remembered string when there is one. */
function plainKey(text: string, from: number, to: number): unknown {
  const slot = keySlot(text, from, to);
  const known = knownKeys[slot];
  if (known !== undefined && known.length === to - from && text.startsWith(known, from)) return known;
  const key = resolvePlainScalar(text.slice(from, to));
  if (typeof key === 'string') knownKeys[slot] = key;
  return key;
}

/** Where a plain scalar starting at `from` ends: a comment (` #`) or the line's end; a `: ` in it declines. */
function plainEnd(text: string, from: number, end: number): number {
  for (let at = from + 1; at < end; at++) {
    const code = text.charCodeAt(at);
    if (code === HASH && text.charCodeAt(at - 1) === SPACE) return at;
    if (code === COLON && (at + 1 === end || text.charCodeAt(at + 1) === SPACE)) decline(); // `a: b: c`
  }
  return end;
}
