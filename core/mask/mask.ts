import { shannonEntropy } from './entropy.js';
import { SECRET_PATTERNS, type SecretPattern } from './secret-patterns.js';

/**
 * Masks a secret. At most a short prefix stays in clear as a hint, and only where the value is long
 * enough for it to give little away: 12–19 characters keep 2, 20 and more keep 4 (`AKIA****…`, `ghp_****…`).
 * Shorter values are masked whole, and the mask length is capped so it does not tell the value's length.
 */
export function maskSecret(value: string): string {
  const chars = Array.from(typeof value === 'string' ? value : String(value));
  const clear = chars.length >= 20 ? 4 : chars.length >= 12 ? 2 : 0;
  const stars = Math.min(Math.max(chars.length - clear, 4), 16);
  return `${chars.slice(0, clear).join('')}${'*'.repeat(stars)}`;
}

export interface SecretMatch {
  patternId: string;
  description: string;
  index: number;
  length: number;
}

// Values that stand for a secret rather than being one: references resolved later, templates, placeholders.
const REFERENCE =
  /^(?:\$\([\w.-]+\)|\$\{[^}]*\}|\$[A-Za-z_]\w*|\{\{.*\}\}|<[^<>]*>|%\([\w.-]+\)s|%[\w.-]+%)$/;
const PLACEHOLDER = /^(?:(.)\1*|redacted|placeholder|none|null|nil|true|false|undefined)$/i;

/** True for `$(VAR)`, `${VAR}`, `{{ .Values.x }}`, `<password>`, `****`, `null`…: not a secret itself.
 * (`changeme` is a real, weak password and is not one of them.) */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return v === '' || REFERENCE.test(v) || PLACEHOLDER.test(v);
}

function acceptable(pattern: SecretPattern, value: string): boolean {
  if (pattern.assignment && isPlaceholder(value)) return false;
  return pattern.minEntropy === undefined || shannonEntropy(value) >= pattern.minEntropy;
}

/** Every credential-shaped substring of a text, with the pattern that matched it, in text order. */
export function findSecrets(text: string): SecretMatch[] {
  if (typeof text !== 'string' || text === '') return [];
  const found: SecretMatch[] = [];
  for (const pattern of SECRET_PATTERNS) {
    // exec() on the pattern's own global regex, not matchAll(): matchAll clones the regex for every
    // call (SpeciesConstructor, ECMA-262 RegExp.prototype[@@matchAll]), once per pattern per value
    // scanned. Same matches: a zero-length match advances by one character as matchAll does.
    const regex = pattern.regex;
    regex.lastIndex = 0;
    for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
      if (match[0].length === 0) {
        regex.lastIndex = advance(text, regex.lastIndex, regex.unicode);
        continue;
      }
      if (!acceptable(pattern, match[0])) continue;
      found.push({
        patternId: pattern.id,
        description: pattern.description,
        index: match.index,
        length: match[0].length,
      });
    }
    regex.lastIndex = 0;
  }
  found.sort((a, b) => a.index - b.index || b.length - a.length);
  // The same span found by a format pattern and a generic one is reported once, by the first (more specific).
  const seen = new Set<string>();
  return found.filter((m) => {
    const span = `${m.index}:${m.length}`;
    if (seen.has(span)) return false;
    seen.add(span);
    return true;
  });
}

/** ECMA-262 AdvanceStringIndex: the next index, past a surrogate pair in unicode mode. */
function advance(text: string, index: number, unicode: boolean): number {
  if (!unicode || index + 1 >= text.length) return index + 1;
  const lead = text.charCodeAt(index);
  const trail = text.charCodeAt(index + 1);
  return lead >= 0xd800 && lead <= 0xdbff && trail >= 0xdc00 && trail <= 0xdfff ? index + 2 : index + 1;
}

/** The name the scanners' briefs use for `findSecrets`. */
export const findSecretPatterns = findSecrets;

/** The text with every credential-shaped substring masked; overlapping matches are merged and masked as one. */
export function maskSecretsIn(text: string): string {
  if (typeof text !== 'string') return '';
  let result = '';
  let cursor = 0;
  const spans: Array<[number, number]> = [];
  for (const m of findSecrets(text)) {
    const last = spans[spans.length - 1];
    if (last && m.index < last[1]) last[1] = Math.max(last[1], m.index + m.length);
    else spans.push([m.index, m.index + m.length]);
  }
  for (const [start, end] of spans) {
    result += text.slice(cursor, start) + maskSecret(text.slice(start, end));
    cursor = end;
  }
  return result + text.slice(cursor);
}
