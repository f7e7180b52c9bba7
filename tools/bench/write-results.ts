import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** Replaces (or appends) one `## heading` section of a Markdown file, leaving the other benchmarks' sections alone. */
export function writeBenchmarkSection(path: string, heading: string, body: string): void {
  const header =
    '# Benchmarks\n\nFigures are written by the `npm run bench:*` scripts; each section says its machine and date.\n';
  const text = existsSync(path) ? readFileSync(path, 'utf8') : header;
  const marker = `## ${heading}`;
  const section = `${marker}\n\n${body}\n`;
  const start = text.indexOf(marker);
  if (start < 0) {
    writeFileSync(path, `${text.trimEnd()}\n\n${section}`);
    return;
  }
  const next = text.indexOf('\n## ', start + marker.length);
  // The blank line before the next section's heading, which the replaced section's own text ended with.
  writeFileSync(path, text.slice(0, start) + section + (next < 0 ? '' : `\n${text.slice(next + 1)}`));
}
