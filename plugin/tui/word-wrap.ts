import { printable } from './printable.js';

/**
 * Breaks text into lines of at most `width` columns at spaces; a word longer than a line (a path, a
 * base64 blob) is the only thing ever cut, since it has no space to break at.
 */
export function wordWrap(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  for (const paragraph of printable(text.replace(/\r?\n/g, '\u2028')).split('\u2028')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line && line.length + 1 + word.length > w) {
        lines.push(line);
        line = '';
      }
      let rest = line ? `${line} ${word}` : word;
      while (rest.length > w) {
        lines.push(rest.slice(0, w));
        rest = rest.slice(w);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}
