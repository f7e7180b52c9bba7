import { compareDigits, compareText, type VersionOrdering } from './version-ordering.js';

// apk-tools version ordering (src/version.c, apk-tools 2.14 / 3.x):
//   digit{.digit}...{letter}{_suffix{number}}...{~hash}{-r#}
// The tokens of both versions are compared in turn while their kinds match; then the one that ran
// out first is older, unless the other continues with a pre-release suffix.

/** Token kinds in apk's order: where two versions' kinds differ, the later kind sorts older. */
enum Kind {
  InitialDigit = 0,
  Digit = 1,
  Letter = 2,
  Suffix = 3,
  SuffixNumber = 4,
  CommitHash = 5,
  Revision = 6,
  End = 7,
  Invalid = 8,
}

/** _alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p */
const SUFFIXES: Record<string, number> = {
  alpha: 1,
  beta: 2,
  pre: 3,
  rc: 4,
  cvs: 6,
  svn: 7,
  git: 8,
  hg: 9,
  p: 10,
};
const SUFFIX_NONE = 5;

interface Token {
  kind: Kind;
  text: string;
  suffix: number;
}

/** Splits a version into apk's tokens; the last one is End or Invalid. */
export function apkTokens(version: string): Token[] {
  const tokens: Token[] = [];
  let rest = version;
  const take = (re: RegExp) => {
    const m = re.exec(rest);
    const text = m ? m[0] : '';
    rest = rest.slice(text.length);
    return text;
  };
  const push = (kind: Kind, text = '', suffix = 0) => tokens.push({ kind, text, suffix });
  const first = take(/^\d*/);
  push(first === '' ? Kind.Invalid : Kind.InitialDigit, first);
  while (tokens[tokens.length - 1]!.kind < Kind.End) {
    const [kind, text, suffix] = nextToken(tokens[tokens.length - 1]!.kind, take);
    push(kind, text, suffix);
  }
  return tokens;
}

type TokenArgs = [Kind, string?, number?];

/** token_next(): the next token's kind follows from its first character and the previous kind. */
function nextToken(previous: Kind, take: (re: RegExp) => string): TokenArgs {
  const c = take(/^[\s\S]?/);
  if (c === '') return [Kind.End];
  if (c >= 'a' && c <= 'z') return previous > Kind.Digit ? [Kind.Invalid] : [Kind.Letter, c];
  if (c === '.' || (c >= '0' && c <= '9')) {
    if (c === '.' && previous > Kind.Digit) return [Kind.Invalid];
    const digits = (c === '.' ? '' : c) + take(/^\d*/);
    const kind =
      previous <= Kind.Digit ? Kind.Digit : previous === Kind.Suffix ? Kind.SuffixNumber : Kind.Invalid;
    return digits === '' || kind === Kind.Invalid ? [Kind.Invalid] : [kind, digits];
  }
  if (c === '_') {
    if (previous > Kind.SuffixNumber) return [Kind.Invalid];
    const name = take(/^[a-z]*/);
    const suffix = Object.hasOwn(SUFFIXES, name) ? SUFFIXES[name]! : 0;
    return suffix === 0 ? [Kind.Invalid] : [Kind.Suffix, name, suffix];
  }
  if (c === '~') {
    const hash = take(/^[0-9a-f]*/);
    return previous >= Kind.CommitHash || hash === '' ? [Kind.Invalid] : [Kind.CommitHash, hash];
  }
  if (c === '-') {
    if (previous >= Kind.Revision || take(/^r/) !== 'r') return [Kind.Invalid];
    const digits = take(/^\d*/);
    return digits === '' ? [Kind.Invalid] : [Kind.Revision, digits];
  }
  return [Kind.Invalid];
}

/** token_cmp(): numbers numerically, except a later digit part with a leading zero compares as text. */
function compareTokens(a: Token, b: Token): number {
  switch (a.kind) {
    case Kind.Digit:
      if (a.text.startsWith('0') || b.text.startsWith('0')) return compareText(a.text, b.text);
      return compareDigits(a.text, b.text);
    case Kind.InitialDigit:
    case Kind.SuffixNumber:
    case Kind.Revision:
      return compareDigits(a.text, b.text);
    case Kind.Letter:
      return compareText(a.text, b.text);
    case Kind.Suffix:
      return a.suffix - b.suffix;
    default:
      return compareText(a.text, b.text);
  }
}

/** apk_version_compare(); total for any input, since apk itself compares invalid versions too. */
export function compareApk(a: string, b: string): number {
  const x = apkTokens(String(a));
  const y = apkTokens(String(b));
  let k = 0;
  for (; x[k]!.kind === y[k]!.kind && x[k]!.kind < Kind.End; k++) {
    const result = compareTokens(x[k]!, y[k]!);
    if (result !== 0) return Math.sign(result);
  }
  const ta = x[k]!;
  const tb = y[k]!;
  if (ta.kind === tb.kind) return 0;
  if (ta.kind === Kind.Suffix && ta.suffix < SUFFIX_NONE) return -1;
  if (tb.kind === Kind.Suffix && tb.suffix < SUFFIX_NONE) return 1;
  return ta.kind > tb.kind ? -1 : 1;
}

export const apkOrdering: VersionOrdering = {
  ecosystem: 'apk',
  names: ['Alpine', 'Wolfi', 'Chainguard', 'MinimOS'],
  isValid: (v) => typeof v === 'string' && apkTokens(v).at(-1)!.kind === Kind.End,
  compare: compareApk,
};
