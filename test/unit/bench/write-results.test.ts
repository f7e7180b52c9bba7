import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from '@jest/globals';
import { writeBenchmarkSection } from '../../../tools/bench/write-results.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function file(text?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'seco-bench-md-'));
  dirs.push(dir);
  const path = join(dir, 'benchmarks.md');
  if (text !== undefined) writeFileSync(path, text);
  return path;
}

describe('writeBenchmarkSection', () => {
  test('a new file gets the header and the section', () => {
    const path = file();
    writeBenchmarkSection(path, 'Image scan', 'figures');
    expect(readFileSync(path, 'utf8')).toBe(
      '# Benchmarks\n\nFigures are written by the `npm run bench:*` scripts; each section says its machine and date.\n\n## Image scan\n\nfigures\n',
    );
  });

  test('a section is replaced in place, the next heading still after a blank line, the others kept', () => {
    const path = file('# Benchmarks\n\n## A\n\nold a\n\n## B\n\nold b\n\n## C\n\nold c\n');
    writeBenchmarkSection(path, 'B', 'new b\nsecond line');
    expect(readFileSync(path, 'utf8')).toBe(
      '# Benchmarks\n\n## A\n\nold a\n\n## B\n\nnew b\nsecond line\n\n## C\n\nold c\n',
    );
  });

  test('the last section is replaced to the end; a missing one is appended', () => {
    const path = file('# Benchmarks\n\n## A\n\nold a\n');
    writeBenchmarkSection(path, 'A', 'new a');
    writeBenchmarkSection(path, 'D', 'd');
    expect(readFileSync(path, 'utf8')).toBe('# Benchmarks\n\n## A\n\nnew a\n\n## D\n\nd\n');
  });
});
