/**
 * Runtime evidence carries what an attacker typed (command lines, file names); a raw ESC or other
 * control character in it would drive the terminal. Drawn text keeps printable characters only.
 */
export function printable(text: string): string {
  // C0 controls, DEL and C1 controls; a newline becomes a visible space so a table row stays one row.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c === '\n' || c === '\t' ? ' ' : '�'));
}
