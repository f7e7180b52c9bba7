import { compareDigits, compareParsed, compareText, type VersionOrdering } from './version-ordering.js';

// ConanCenter versions, ordered as Conan 2 does (its model Version): the text after the last `+` is the
// build, then after the last `-` the pre-release, the rest the main part. Each part is split at `.`;
// two integer items compare numerically, an integer and a string compare as the integer's text against
// the string; trailing zero items do not count (1.2 == 1.2.0); a version with a pre-release sorts
// before the same main version without one, a build after it.
interface ConanVersion {
  main: string[];
  pre?: string[];
  build?: string[];
}

function parseConan(input: string): ConanVersion | undefined {
  if (input.length > 256 || input.trim() !== input || input === '' || /[\s@#/]/.test(input)) return undefined;
  const plus = input.lastIndexOf('+');
  const [head, build] = plus >= 0 ? [input.slice(0, plus), input.slice(plus + 1)] : [input, undefined];
  const dash = head.lastIndexOf('-');
  const [main, pre] = dash >= 0 ? [head.slice(0, dash), head.slice(dash + 1)] : [head, undefined];
  if (main === '') return undefined;
  return {
    main: main.split('.'),
    ...(pre !== undefined ? { pre: pre.split('.') } : {}),
    ...(build !== undefined ? { build: build.split('.') } : {}),
  };
}

/** Python's int(item) if item.isdigit(): an integer compared with a string is compared as its text. */
const asText = (item: string) => (/^\d+$/.test(item) ? item.replace(/^0+(?=\d)/, '') : item);

function compareItem(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return compareDigits(a, b);
  return compareText(asText(a), asText(b));
}

/** Conan's `_nonzero_items`: the items without trailing zeros. */
function nonZero(items: string[]): string[] {
  let end = items.length;
  while (end > 0 && /^0+$/.test(items[end - 1]!)) end--;
  return items.slice(0, end);
}

/** Python tuple order: item by item, and a shorter tuple that is a prefix of the other first. */
function compareItems(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const result = compareItem(a[i]!, b[i]!);
    if (result !== 0) return result;
  }
  return Math.sign(a.length - b.length);
}

function compareConan(a: ConanVersion, b: ConanVersion): number {
  const main = compareItems(nonZero(a.main), nonZero(b.main));
  if (main !== 0) return main;
  if (a.pre || b.pre) {
    if (!a.pre) return 1;
    if (!b.pre) return -1;
    const result = compareItems(nonZero(a.pre), nonZero(b.pre));
    if (result !== 0) return result;
  }
  if (a.build || b.build) {
    if (!a.build) return -1;
    if (!b.build) return 1;
    return compareItems(nonZero(a.build), nonZero(b.build));
  }
  return 0;
}

export const conanOrdering: VersionOrdering = {
  ecosystem: 'conan',
  names: ['ConanCenter'],
  isValid: (v) => typeof v === 'string' && parseConan(v) !== undefined,
  compare: compareParsed(parseConan, compareConan),
};
