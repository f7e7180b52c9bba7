/**
 * A string quoted as Go's strconv.Quote (and fmt's %q) writes it. Kubernetes' CEL libraries put
 * inputs into error messages this way, and policies and tests match those messages, so the escapes
 * must be Go's: \a \b \f \n \r \t \v, \xNN below 0x20 and for DEL, \uNNNN for other non-printable
 * characters; printable Unicode stays as it is.
 */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    const letter = LETTER_ESCAPES.get(code);
    if (ch === '\\' || ch === '"') out += `\\${ch}`;
    else if (letter) out += `\\${letter}`;
    else if (code < 0x20 || code === 0x7f) out += `\\x${hex(code, 2)}`;
    else if (isNonPrintable(code)) out += code > 0xffff ? `\\U${hex(code, 8)}` : `\\u${hex(code, 4)}`;
    else out += ch;
  }
  return `${out}"`;
}

// Go's one-letter escapes (\a \b \f \n \r \t \v), keyed by the character they stand for.
const LETTER_ESCAPES = new Map(
  [...'abfnrtv'].map((letter, i) => [[7, 8, 12, 10, 13, 9, 11][i] ?? 0, letter]),
);

// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. A lone
// surrogate (a JavaScript string can hold one; a Go string cannot) is left as it is.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

function isNonPrintable(code: number): boolean {
  if (code >= 0xd800 && code <= 0xdfff) return false;
  return !PRINTABLE.test(String.fromCodePoint(code));
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}
