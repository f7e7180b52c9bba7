// An RE2 pattern (Go's regexp syntax, which Kubernetes' find/findAll use) rewritten as a JavaScript
// `u`-mode RegExp source, and refused where Go's parser refuses it, with Go's error code and the
// fragment Go quotes. What JavaScript spells differently is spelled its way: \A, \z, \Q…\E, octal
// and \x{…} escapes, Go's narrower \s, POSIX classes, (?P<name>…), literal braces.

/** Go's regexp/syntax error: `error parsing regexp: <code>: `<fragment>``. */
export class Re2SyntaxError {
  constructor(
    readonly code: string,
    readonly fragment: string,
  ) {}
  get message(): string {
    return `error parsing regexp: ${this.code}: \`${this.fragment}\``;
  }
}

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\u{0}-\\u{7f}',
  blank: '\\t ',
  cntrl: '\\u{0}-\\u{1f}\\u{7f}',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

// Go's Perl classes are ASCII; \s has no \v.
const PERL: Record<string, string> = { d: '0-9', s: '\\t\\n\\f\\r ', w: '0-9A-Za-z_' };
const C_ESCAPES: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
const MAX_REPEAT = 1000;

const codeUnit = (cp: number) => `\\u{${cp.toString(16)}}`;

type Token = 'none' | 'atom' | 'open' | 'bar';

/** The JavaScript source and flags for an RE2 pattern; throws Re2SyntaxError where Go would. */
export function translateRe2(pattern: string): { source: string; flags: string } {
  const translator = new Translator(pattern);
  const source = translator.run();
  return { source, flags: translator.flags };
}

class Translator {
  private out = '';
  private i = 0;
  private depth = 0;
  private last: Token = 'none';
  /** Where the repetition operator just before this token began, for Go's nested-repetition check. */
  private lastRepeatAt = -1;
  /** Flags set by a leading (?flags), which JavaScript takes as RegExp flags. */
  flags = '';

  constructor(private readonly p: string) {}

  run(): string {
    while (this.i < this.p.length) {
      const start = this.i;
      const wasRepeat = this.lastRepeatAt;
      this.lastRepeatAt = -1;
      this.step(start, wasRepeat);
    }
    if (this.depth > 0) throw new Re2SyntaxError('missing closing )', this.p);
    return this.out;
  }

  private step(start: number, previousRepeat: number): void {
    const ch = this.char();
    switch (ch) {
      case '(':
        this.group();
        return;
      case ')':
        if (this.depth === 0) throw new Re2SyntaxError('unexpected )', this.p);
        this.depth--;
        this.i++;
        this.emit(')', 'atom');
        return;
      case '|':
        this.i++;
        this.emit('|', 'bar');
        return;
      case '*':
      case '+':
      case '?':
        this.i++;
        this.repeat(start, previousRepeat);
        return;
      case '{':
        this.braces(start, previousRepeat);
        return;
      case '}':
      case ']':
        this.i++;
        this.emit(`\\${ch}`, 'atom');
        return;
      case '[':
        this.charClass();
        return;
      case '^':
      case '$':
        this.i++;
        this.emit(`(?:${ch})`, 'atom');
        return;
      case '\\':
        this.escape();
        return;
      default: {
        const cp = this.p.codePointAt(this.i) ?? 0;
        this.i += String.fromCodePoint(cp).length;
        this.emit(ch === '.' ? '.' : codeUnit(cp), 'atom');
      }
    }
  }

  /** {n}, {n,} or {n,m} repeats (at most 1000); any other brace is a literal, as in Go. */
  private braces(start: number, previousRepeat: number): void {
    const bounds = /^\{([0-9]+)(,([0-9]*))?\}/.exec(this.p.slice(this.i));
    if (!bounds) {
      this.i++;
      this.emit('\\{', 'atom');
      return;
    }
    this.i += bounds[0].length;
    const min = Number(bounds[1]);
    const max = bounds[2] === undefined ? min : bounds[3] === '' ? -1 : Number(bounds[3]);
    if (min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max))
      throw new Re2SyntaxError('invalid repeat count', bounds[0]);
    this.repeat(start, previousRepeat);
  }

  private char(at = this.i): string {
    return this.p[at] ?? '';
  }

  private emit(text: string, token: Token): void {
    this.out += text;
    this.last = token;
  }

  private repeat(start: number, previousRepeat: number): void {
    if (this.char() === '?') this.i++;
    const text = this.p.slice(start, this.i);
    if (this.last !== 'atom') throw new Re2SyntaxError('missing argument to repetition operator', text);
    if (previousRepeat >= 0)
      throw new Re2SyntaxError('invalid nested repetition operator', this.p.slice(previousRepeat, this.i));
    this.out += text;
    this.lastRepeatAt = start;
  }

  private group(): void {
    const rest = this.p.slice(this.i);
    if (!rest.startsWith('(?')) {
      this.i++;
      this.depth++;
      this.emit('(', 'open');
      return;
    }
    const named = /^\(\?P?<([^>]*)>/.exec(rest);
    if ((rest[2] === 'P' && rest.length > 4) || (rest[2] === '<' && rest.length > 3)) {
      if (!named) throw new Re2SyntaxError('invalid named capture', rest);
      if (!/^[A-Za-z0-9_]+$/.test(named[1] ?? ''))
        throw new Re2SyntaxError('invalid named capture', named[0]);
      this.i += named[0].length;
      this.depth++;
      this.emit(`(?<${named[1]}>`, 'open');
      return;
    }
    const flags = /^\(\?(-?[imsU]*|[imsU]+-[imsU]*)([:)])/.exec(rest);
    if (!flags || flags[1] === '-' || /-$/.test(flags[1] ?? '')) {
      const bad = /^\(\?[imsU]*-?[imsU]*./u.exec(rest)?.[0] ?? rest;
      throw new Re2SyntaxError('invalid or unsupported Perl syntax', bad);
    }
    this.i += flags[0].length;
    const set = (flags[1] ?? '').split('-')[0] ?? '';
    // JavaScript (Node 20) has flags for the whole pattern only, and no ungreedy mode: a leading
    // (?ims) becomes RegExp flags, a plain (?:…) group stays; flags anywhere else, a flag group
    // that sets flags, and U are refused rather than matched differently from Go.
    if (flags[2] === ':' && set === '') {
      this.depth++;
      this.emit('(?:', 'open');
      return;
    }
    if (flags[2] === ')' && this.out === '' && !set.includes('U')) {
      this.flags += set;
      return;
    }
    throw new Re2SyntaxError('flags other than leading (?ims) are not supported here', flags[0]);
  }

  private escape(): void {
    const c = this.char(this.i + 1);
    if (c === '') throw new Re2SyntaxError('trailing backslash at end of expression', '');
    if (c === 'A' || c === 'z' || c === 'b' || c === 'B') {
      this.i += 2;
      const js = { A: '(?<![\\s\\S])', z: '(?![\\s\\S])', b: '\\b', B: '\\B' }[c];
      this.emit(`(?:${js})`, 'atom');
      return;
    }
    if (c === 'Q') {
      const end = this.p.indexOf('\\E', this.i + 2);
      const literal = this.p.slice(this.i + 2, end < 0 ? undefined : end);
      this.i = end < 0 ? this.p.length : end + 2;
      for (const lc of literal) this.emit(codeUnit(lc.codePointAt(0) ?? 0), 'atom');
      return;
    }
    const perl = PERL[c.toLowerCase()];
    if (perl && 'dswDSW'.includes(c)) {
      this.i += 2;
      this.emit(c === c.toLowerCase() ? `[${perl}]` : `[^${perl}]`, 'atom');
      return;
    }
    if (c === 'p' || c === 'P') {
      this.emit(this.unicodeClass(c), 'atom');
      return;
    }
    const cp = this.literalEscape();
    this.emit(codeUnit(cp), 'atom');
  }

  /** \pL, \p{Greek}, \PL, \p{^Greek}: JavaScript names scripts as Script=…. */
  private unicodeClass(c: string): string {
    const braced = /^\\[pP]\{(\^?)([A-Za-z_]+)\}/.exec(this.p.slice(this.i));
    const single = /^\\[pP]([A-Za-z])/.exec(this.p.slice(this.i));
    const found = braced ?? single;
    if (!found) throw new Re2SyntaxError('invalid character class range', this.p.slice(this.i, this.i + 3));
    this.i += found[0].length;
    const name = braced ? (braced[2] ?? '') : (single?.[1] ?? '');
    const negate = (c === 'P') !== (braced?.[1] === '^');
    const property = name === 'Any' ? '' : name.length <= 2 ? name : `Script=${name}`;
    if (property === '') return negate ? '[^\\s\\S]' : '[\\s\\S]';
    return `\\${negate ? 'P' : 'p'}{${property}}`;
  }

  /** An escape that stands for one character (octal, \x, C escapes, escaped punctuation). */
  private literalEscape(): number {
    const at = this.i;
    const c = this.char(at + 1);
    const octal = /^\\([0-7]{1,3})/.exec(this.p.slice(at));
    if (octal && (c === '0' || (octal[1]?.length ?? 0) > 1)) {
      this.i += octal[0].length;
      return Number.parseInt(octal[1] ?? '0', 8);
    }
    if (c === 'x') {
      const hex = /^\\x(?:\{([0-9A-Fa-f]{1,8})\}|([0-9A-Fa-f]{2}))/.exec(this.p.slice(at));
      const value = hex ? Number.parseInt(hex[1] ?? hex[2] ?? '', 16) : Number.NaN;
      if (!hex || value > 0x10ffff)
        throw new Re2SyntaxError('invalid escape sequence', this.p.slice(at, at + (hex?.[0].length ?? 3)));
      this.i += hex[0].length;
      return value;
    }
    const cEscape = C_ESCAPES[c];
    if (cEscape !== undefined) {
      this.i += 2;
      return cEscape;
    }
    if (c < '\u0080' && !/[0-9A-Za-z]/.test(c)) {
      this.i += 2;
      return c.codePointAt(0) ?? 0;
    }
    const whole = String.fromCodePoint(this.p.codePointAt(at + 1) ?? 0);
    throw new Re2SyntaxError('invalid escape sequence', `\\${whole}`);
  }

  /** [...]: members rewritten one by one, ranges checked in order, a missing ']' refused. */
  private charClass(): void {
    const open = this.i;
    let out = '[';
    this.i++;
    if (this.char() === '^') {
      out += '^';
      this.i++;
    }
    let first = true;
    while (this.char() !== ']' || first) {
      if (this.i >= this.p.length) throw new Re2SyntaxError('missing closing ]', this.p.slice(open));
      first = false;
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(this.p.slice(this.i));
      if (posix && POSIX[posix[2] ?? '']) {
        this.i += posix[0].length;
        out += posix[1] ? this.negatedRanges(POSIX[posix[2] ?? ''] ?? '') : POSIX[posix[2] ?? ''];
        continue;
      }
      if (this.char() === '\\' && 'dswDSW'.includes(this.char(this.i + 1))) {
        const c = this.char(this.i + 1);
        this.i += 2;
        const perl = PERL[c.toLowerCase()] ?? '';
        out += c === c.toLowerCase() ? perl : this.negatedRanges(perl);
        continue;
      }
      if (this.char() === '\\' && 'pP'.includes(this.char(this.i + 1))) {
        out += this.unicodeClass(this.char(this.i + 1));
        continue;
      }
      const rangeStart = this.i;
      const lo = this.classChar(open);
      if (this.char() === '-' && this.char(this.i + 1) !== ']' && this.i + 1 < this.p.length) {
        this.i++;
        const hi = this.classChar(open);
        if (hi < lo)
          throw new Re2SyntaxError('invalid character class range', this.p.slice(rangeStart, this.i));
        out += `${codeUnit(lo)}-${codeUnit(hi)}`;
      } else out += codeUnit(lo);
    }
    this.i++;
    this.emit(`${out}]`, 'atom');
  }

  private classChar(open: number): number {
    if (this.i >= this.p.length) throw new Re2SyntaxError('missing closing ]', this.p.slice(open));
    if (this.char() === '\\') {
      if (this.i + 1 >= this.p.length) throw new Re2SyntaxError('missing closing ]', this.p.slice(open));
      return this.literalEscape();
    }
    const cp = this.p.codePointAt(this.i) ?? 0;
    this.i += String.fromCodePoint(cp).length;
    return cp;
  }

  /** A negated set inside a class: JavaScript has no [^…] inside […], so the complement's ranges. */
  private negatedRanges(ranges: string): string {
    const points = new Set<number>();
    const re = /\\u\{([0-9a-f]+)\}|\\([tnvfr\\/[\]^-])|(.)/g;
    const values: number[] = [];
    for (const m of ranges.matchAll(re)) {
      if (m[1]) values.push(Number.parseInt(m[1], 16));
      else if (m[2]) values.push({ t: 9, n: 10, v: 11, f: 12, r: 13 }[m[2]] ?? m[2].codePointAt(0) ?? 0);
      else if (m[3] === '-') values.push(-1);
      else values.push(m[3]?.codePointAt(0) ?? 0);
    }
    for (let k = 0; k < values.length; k++) {
      const lo = values[k] ?? 0;
      if (values[k + 1] === -1) {
        const hi = values[k + 2] ?? lo;
        for (let v = lo; v <= hi; v++) points.add(v);
        k += 2;
      } else points.add(lo);
    }
    // The sets negated here (POSIX and Perl classes) are ASCII: the complement is ASCII's rest and
    // everything above it.
    let out = '';
    for (let v = 0; v < 0x80; v++) if (!points.has(v)) out += codeUnit(v);
    return `${out}${codeUnit(0x80)}-${codeUnit(0x10ffff)}`;
  }
}
