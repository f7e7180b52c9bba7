import { compareParsed, type VersionOrdering } from './version-ordering.js';

// Maven's ComparableVersion (maven-artifact): items are integers, qualifiers or nested lists (after `-`
// or a digit/letter transition). Qualifier order: alpha < beta < milestone < rc = cr < snapshot
// < "" = ga = final = release < sp < any other qualifier (lexically).
const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const RELEASE_INDEX = String(QUALIFIERS.indexOf(''));

type Item =
  | { kind: 'int'; value: bigint }
  | { kind: 'string'; value: string }
  | { kind: 'list'; items: Item[] };

function comparableQualifier(q: string): string {
  const index = QUALIFIERS.indexOf(q);
  return index === -1 ? `${QUALIFIERS.length}-${q}` : String(index);
}

function stringItem(value: string, followedByDigit: boolean): Item {
  let v = value;
  if (followedByDigit && v.length === 1)
    v = ({ a: 'alpha', b: 'beta', m: 'milestone' } as Record<string, string>)[v] ?? v;
  return { kind: 'string', value: ALIASES[v] ?? v };
}

const parseItem = (digit: boolean, text: string, followedByDigit = false): Item =>
  digit ? { kind: 'int', value: BigInt(text) } : stringItem(text, followedByDigit);

function isNull(item: Item): boolean {
  if (item.kind === 'int') return item.value === 0n;
  if (item.kind === 'string') return comparableQualifier(item.value) === RELEASE_INDEX;
  return item.items.length === 0;
}

function normalize(list: Item & { kind: 'list' }): void {
  for (let i = list.items.length - 1; i >= 0; i--) {
    const item = list.items[i]!;
    if (isNull(item)) list.items.splice(i, 1);
    else if (item.kind !== 'list') break;
  }
}

export function parseMaven(version: string): Item {
  const text = version.toLowerCase();
  const root: Item & { kind: 'list' } = { kind: 'list', items: [] };
  let list = root;
  const stack = [root];
  const push = () => {
    const next: Item & { kind: 'list' } = { kind: 'list', items: [] };
    list.items.push(next);
    list = next;
    stack.push(next);
  };
  let isDigit = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '.' || c === '-') {
      list.items.push(i === start ? { kind: 'int', value: 0n } : parseItem(isDigit, text.slice(start, i)));
      start = i + 1;
      if (c === '-') push();
    } else if (c >= '0' && c <= '9') {
      if (!isDigit && i > start) {
        // "1.0.0.X1" < "1.0.0-X2": a qualifier directly followed by digits opens a sublist.
        if (list.items.length > 0) push();
        list.items.push(stringItem(text.slice(start, i), true));
        start = i;
        push();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.items.push(parseItem(true, text.slice(start, i)));
        start = i;
        push();
      }
      isDigit = false;
    }
  }
  if (text.length > start) {
    if (!isDigit && list.items.length > 0) push();
    list.items.push(parseItem(isDigit, text.slice(start)));
  }
  while (stack.length > 0) normalize(stack.pop()!);
  return root;
}

function compareItems(a: Item | undefined, b: Item | undefined): number {
  if (a === undefined) return b === undefined ? 0 : -compareItems(b, undefined);
  if (b === undefined) {
    if (a.kind === 'int') return a.value === 0n ? 0 : 1;
    if (a.kind === 'string') return compareText(comparableQualifier(a.value), RELEASE_INDEX);
    // ListItem.compareTo(null): the first item that differs from "nothing" decides.
    for (const item of a.items) {
      const result = compareItems(item, undefined);
      if (result !== 0) return result;
    }
    return 0;
  }
  if (a.kind === 'int') return b.kind === 'int' ? (a.value === b.value ? 0 : a.value > b.value ? 1 : -1) : 1;
  if (a.kind === 'string') {
    if (b.kind === 'int' || b.kind === 'list') return -1;
    return compareText(comparableQualifier(a.value), comparableQualifier(b.value));
  }
  if (b.kind === 'int') return -1;
  if (b.kind === 'string') return 1;
  for (let i = 0; i < Math.max(a.items.length, b.items.length); i++) {
    const result = compareItems(a.items[i], b.items[i]);
    if (result !== 0) return result;
  }
  return 0;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const mavenOrdering: VersionOrdering = {
  ecosystem: 'maven',
  names: ['Maven'],
  isValid: (v) => typeof v === 'string' && v.trim() !== '',
  // ComparableVersion reads any string; only non-strings fall back to the shared invalid-input rule.
  compare: compareParsed(parseMaven, compareItems),
};
