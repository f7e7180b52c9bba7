// Why the SEA's main script must be pure ASCII: Node hands V8 an all-ASCII main script without
// widening it, but one non-ASCII character anywhere makes the whole 4.3 MB script a decoded copy on
// the heap (measured on the linux/amd64 executable: 28 → 24 MiB anonymous memory for `--help`).
// esbuild's default `charset: 'ascii'` escapes strings, templates and identifiers, but leaves raw
// characters inside regular-expression literals (ansi-regex's `\x9B`, a `µs` duration unit).

/**
 * Replaces every non-ASCII UTF-16 code unit with its `\uXXXX` escape. Where esbuild leaves such
 * characters — regular-expression literals and comments — the escape means the same: an astral
 * character becomes an escaped surrogate pair, which a `u`-flag pattern reads as one code point and a
 * pattern without it as the same two code units it already matched.
 */
export function escapeNonAscii(source: string): string {
  return source.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
