import { mkdirSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { listSources, readSources } from '../../../../core/config/input/read-sources.js';

const noStdin = async () => Buffer.alloc(0);
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seco-read-'));
  mkdirSync(join(dir, 'app/nested'), { recursive: true });
  writeFileSync(join(dir, 'app/a.yaml'), 'kind: Pod\n');
  writeFileSync(join(dir, 'app/nested/b.yml'), 'kind: Pod\n');
  writeFileSync(join(dir, 'app/nested/c.json'), '{"kind":"Pod"}');
  writeFileSync(join(dir, 'app/notes.txt'), 'not a manifest');
  writeFileSync(join(dir, 'app/.hidden.yaml'), 'kind: Pod\n');
  writeFileSync(join(dir, 'binary.yaml'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]));
  writeFileSync(join(dir, 'huge.yaml'), '');
  truncateSync(join(dir, 'huge.yaml'), 64 * 1024 * 1024);
  symlinkSync(join(dir, 'app'), join(dir, 'app/nested/loop'));
});

describe('readSources', () => {
  it('walks directories recursively, taking only manifest extensions, skipping dotfiles and reporting symlink loops', async () => {
    const { sources, problems } = await readSources([join(dir, 'app')], noStdin);
    expect(sources.map((s) => s.name.slice(dir.length + 1))).toEqual([
      'app/a.yaml',
      'app/nested/b.yml',
      'app/nested/c.json',
    ]);
    expect(problems).toEqual([
      {
        source: join(dir, 'app/nested/loop'),
        message: expect.stringMatching(/^symlink loop: leads back to /),
      },
    ]);
  });

  it('reads a named file whatever its extension', async () => {
    const { sources } = await readSources([join(dir, 'app/notes.txt')], noStdin);
    expect(sources[0]!.text).toBe('not a manifest');
  });

  it('refuses a huge file without reading it, and a binary file, and still reads the rest', async () => {
    const { sources, problems } = await readSources(
      [join(dir, 'huge.yaml'), join(dir, 'binary.yaml'), join(dir, 'app/a.yaml')],
      noStdin,
    );
    expect(sources).toHaveLength(1);
    expect(problems).toEqual([
      {
        source: join(dir, 'huge.yaml'),
        message: expect.stringMatching(/refused: 67108864 bytes is larger than/),
      },
      { source: join(dir, 'binary.yaml'), message: expect.stringMatching(/refused: binary content/) },
    ]);
  });

  it('names a path that does not exist', async () => {
    const { problems } = await readSources([join(dir, 'missing.yaml')], noStdin);
    expect(problems).toEqual([
      { source: join(dir, 'missing.yaml'), message: 'cannot read: no such file or directory (ENOENT)' },
    ]);
  });

  it('reads stdin for "-"', async () => {
    const { sources } = await readSources(['-'], async () => Buffer.from('kind: Pod\n'));
    expect(sources).toEqual([{ name: '-', text: 'kind: Pod\n' }]);
  });

  it('stops taking files past the limit and says so', async () => {
    const { sources, problems } = await readSources([join(dir, 'app')], noStdin, {
      maxFileBytes: 1024,
      maxFiles: 2,
    });
    expect(sources).toHaveLength(2);
    expect(problems[0]!.message).toMatch(/more than 2 files/);
  });
});

describe('listSources: the input read a file at a time', () => {
  it('reads every file on each pass, stdin once, and reports a problem once however many passes', async () => {
    let stdinReads = 0;
    const stdin = async () => {
      stdinReads++;
      return Buffer.from('kind: Pod\n');
    };
    const list = await listSources(['-', join(dir, 'app'), join(dir, 'binary.yaml')], stdin);
    const passes: string[][] = [];
    for (let pass = 0; pass < 2; pass++) {
      const names: string[] = [];
      await list.forEach((source) => {
        names.push(source.name === '-' ? '-' : source.name.slice(dir.length + 1));
      });
      passes.push(names);
    }
    expect(passes[0]).toEqual(['-', 'app/a.yaml', 'app/nested/b.yml', 'app/nested/c.json']);
    expect(passes[1]).toEqual(passes[0]);
    expect(stdinReads).toBe(1);
    expect(list.problems.map((p) => p.source.slice(dir.length + 1))).toEqual([
      'app/nested/loop',
      'binary.yaml',
    ]);
  });
});
