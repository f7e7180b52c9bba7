import { SECRET_PATTERNS } from './secret-patterns.js';

/**
 * Masks a secret, keeping at most a 4-character prefix as a hint where the value is long enough
 * for the prefix to say nothing useful (AKIA…, ghp_…). Short values are masked whole.
 */
export function maskSecret(value: string): string {
  if (value.length < 12) return '*'.repeat(Math.max(value.length, 4));
  return `${value.slice(0, 4)}${'*'.repeat(Math.min(value.length - 4, 16))}`;
}

export interface SecretMatch {
  patternId: string;
  description: string;
  index: number;
  length: number;
}

/** Every credential-shaped substring of a text, with which pattern matched it. */
export function findSecrets(text: string): SecretMatch[] {
  const found: SecretMatch[] = [];
  for (const pattern of SECRET_PATTERNS) {
    for (const match of text.matchAll(pattern.regex)) {
      if (match[0].length === 0) continue;
      found.push({
        patternId: pattern.id,
        description: pattern.description,
        index: match.index ?? 0,
        length: match[0].length,
      });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

/** The text with every credential-shaped substring masked. Overlapping matches are masked once. */
export function maskSecretsIn(text: string): string {
  let result = '';
  let cursor = 0;
  for (const match of findSecrets(text)) {
    if (match.index < cursor) continue;
    result +=
      text.slice(cursor, match.index) + maskSecret(text.slice(match.index, match.index + match.length));
    cursor = match.index + match.length;
  }
  return result + text.slice(cursor);
}
