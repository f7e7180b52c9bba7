import { decline, onlySpacesOrComment, SPACE } from './yaml-subset.js';

const LITERAL = 0x7c; // `|`
const FOLDED = 0x3e; // `>`
const STRIP = 0x2d; // `-`
const KEEP = 0x2b; // `+`

/**
 * A block scalar (YAML 1.2 §8.1) whose header is at `from` on a line ending at `lineEnd`, held by a key
 * or dash at `blockColumn`: its value, and the offset of the first line after it. Its indentation is
 * its first non-empty line's (§8.1.1.1 auto-detection); the chomping indicator decides its final line
 * breaks (§8.1.1.2). Literal scalars keep their lines (§8.1.2); folded ones (§8.1.3) are taken only
 * in their common form — lines at one indentation, no blank line between them, no trailing space —
 * where each line break folds into a space. Anything else declines the document: an indentation
 * indicator, an empty scalar, leading blank lines indented past the content, and the folded forms
 * whose more-indented and blank lines keep their breaks.
 */
export function readBlockScalar(
  text: string,
  from: number,
  lineEnd: number,
  blockColumn: number,
): { value: string; next: number } {
  const style = text.charCodeAt(from);
  if (style !== LITERAL && style !== FOLDED) decline();
  let at = from + 1;
  const chomping = text.charCodeAt(at);
  if (chomping === STRIP || chomping === KEEP) at++;
  if (!onlySpacesOrComment(text, at, lineEnd)) decline();
  const folded = style === FOLDED;

  let lineStart = lineEnd + 1;
  let indent = -1; // the content's, once its first non-empty line is found
  let leadingSpaces = 0;
  let content = '';
  let pendingBreaks = 0; // empty lines read since the last content line
  for (; lineStart < text.length; ) {
    let end = text.indexOf('\n', lineStart);
    if (end < 0) end = text.length;
    let spaces = 0;
    while (lineStart + spaces < end && text.charCodeAt(lineStart + spaces) === SPACE) spaces++;
    const blank = lineStart + spaces === end;
    if (indent < 0) {
      if (blank) {
        if (folded) decline();
        leadingSpaces = Math.max(leadingSpaces, spaces);
        pendingBreaks++;
      } else {
        if (spaces <= blockColumn || leadingSpaces > spaces) decline(); // empty, or §8.1.1.1's error
        indent = spaces;
        content = '\n'.repeat(pendingBreaks) + foldableLine(text, lineStart + indent, end, folded);
        pendingBreaks = 0;
      }
    } else if (blank && spaces <= indent) {
      pendingBreaks++;
    } else if (spaces < indent) {
      break; // the first line of what follows the scalar
    } else if (folded) {
      if (pendingBreaks > 0 || spaces > indent) decline();
      content += ` ${foldableLine(text, lineStart + indent, end, true)}`;
    } else {
      content += '\n'.repeat(pendingBreaks + 1) + text.slice(lineStart + indent, end);
      pendingBreaks = 0;
    }
    lineStart = end + 1;
  }
  if (indent < 0) decline();
  const value =
    chomping === STRIP
      ? content
      : chomping === KEEP
        ? `${content}\n${'\n'.repeat(pendingBreaks)}`
        : `${content}\n`;
  return { value, next: lineStart };
}

/** A content line; in a folded scalar, one whose trailing space would sit next to a folded break declines. */
function foldableLine(text: string, from: number, end: number, folded: boolean): string {
  if (folded && text.charCodeAt(end - 1) === SPACE) decline();
  return text.slice(from, end);
}
