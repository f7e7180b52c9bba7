/**
 * Breaks `text` into lines of at most `width` characters, only at spaces: a word is never cut. A word
 * longer than the width (a digest, a long path) gets a line of its own and runs past it, whole, so it
 * can still be copied and searched for.
 */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/).filter(Boolean)) {
      if (line === '') line = word;
      else if (line.length + 1 + word.length <= width) line += ` ${word}`;
      else {
        lines.push(line);
        line = word;
      }
    }
    lines.push(line);
  }
  return lines;
}

/** Cuts `text` to `width` at a word boundary with `…`; text that fits is returned as it is. */
export function cutAtWord(text: string, width: number): string {
  if (text.length <= width) return text;
  const room = text.slice(0, Math.max(0, width - 1));
  const space = room.lastIndexOf(' ');
  return `${(space > width / 2 ? room.slice(0, space) : room).trimEnd()}…`;
}
