import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { collectFiles } from '../../../../core/config/input/collect-files.js';
import { readSources } from '../../../../core/config/input/read-sources.js';
import type { InputProblem } from '../../../../core/model/index.js';

const noStdin = async () => Buffer.alloc(0);
const limits = { maxFiles: 1000 };
let dir: string;
let socketServer: Server;

/** The layout kubelet gives a ConfigMap volume: top-level links → `..data/<key>`, `..data` → a timestamped dir. */
function configMapVolume(at: string, files: Record<string, string>): void {
  const stamp = '..2026_12_06_04_22_25.123456789';
  mkdirSync(join(at, stamp), { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(at, stamp, name), text);
    symlinkSync(join('..data', name), join(at, name));
  }
  symlinkSync(stamp, join(at, '..data'));
}

beforeAll(async () => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'seco-collect-')));
  configMapVolume(join(dir, 'cm'), { 'pod.yaml': 'kind: Pod\n', 'svc.yaml': 'kind: Service\n' });
  mkdirSync(join(dir, 'outside'));
  writeFileSync(join(dir, 'outside/secret.yaml'), 'kind: Secret\n');
  mkdirSync(join(dir, 'tree/sub'), { recursive: true });
  writeFileSync(join(dir, 'tree/a.yaml'), 'kind: Pod\n');
  symlinkSync('..', join(dir, 'tree/sub/up'));
  symlinkSync(join(dir, 'outside'), join(dir, 'tree/escape'));
  symlinkSync(join(dir, 'outside/secret.yaml'), join(dir, 'tree/escape.yaml'));
  symlinkSync('self.yaml', join(dir, 'tree/self.yaml'));
  symlinkSync('a.yaml', join(dir, 'tree/again.yaml'));
  symlinkSync('missing.yaml', join(dir, 'tree/dangling.yaml'));
  mkdirSync(join(dir, 'special'));
  execFileSync('mkfifo', [join(dir, 'special/pipe.yaml')]);
  writeFileSync(join(dir, 'special/ok.yaml'), 'kind: Pod\n');
  socketServer = createServer();
  await new Promise<void>((resolve) => socketServer.listen(join(dir, 'special/sock.yaml'), resolve));
});

afterAll(() => new Promise<void>((resolve) => socketServer.close(() => resolve())));

describe('collectFiles', () => {
  it('scans a ConfigMap volume (a tree of symlinks) and reads each file once', async () => {
    const problems: InputProblem[] = [];
    const files = await collectFiles([join(dir, 'cm')], limits, problems);
    expect(files.map((f) => f.path)).toEqual([join(dir, 'cm/pod.yaml'), join(dir, 'cm/svc.yaml')]);
    expect(problems).toEqual([]);
  });

  it('reports loops and links leaving the paths given, not following them, and reads a twice-linked file once', async () => {
    const problems: InputProblem[] = [];
    const files = await collectFiles([join(dir, 'tree')], limits, problems);
    expect(files.map((f) => f.path)).toEqual([join(dir, 'tree/a.yaml')]);
    expect(problems).toEqual([
      { source: join(dir, 'tree/dangling.yaml'), message: 'cannot read: symlink target missing (ENOENT)' },
      {
        source: join(dir, 'tree/escape'),
        message: `symlink leads outside the paths given (to ${join(dir, 'outside')}): not followed`,
      },
      {
        source: join(dir, 'tree/escape.yaml'),
        message: `symlink leads outside the paths given (to ${join(dir, 'outside/secret.yaml')}): not followed`,
      },
      { source: join(dir, 'tree/self.yaml'), message: 'symlink loop: not followed' },
      {
        source: join(dir, 'tree/sub/up'),
        message: `symlink loop: leads back to ${join(dir, 'tree')}, not followed`,
      },
    ]);
  });

  it('follows a link into another path the user gave, without reading its files twice', async () => {
    const problems: InputProblem[] = [];
    const files = await collectFiles([join(dir, 'tree'), join(dir, 'outside')], limits, problems);
    expect(files.map((f) => f.path)).toEqual([
      join(dir, 'tree/a.yaml'),
      join(dir, 'tree/escape/secret.yaml'),
    ]);
    expect(problems.map((p) => p.source)).not.toContain(join(dir, 'tree/escape'));
  });
});

describe('readSources on special files', () => {
  it('refuses a FIFO given by name instead of blocking on it', async () => {
    const { sources, problems } = await readSources([join(dir, 'special/pipe.yaml')], noStdin);
    expect(sources).toEqual([]);
    expect(problems).toEqual([
      {
        source: join(dir, 'special/pipe.yaml'),
        message: 'refused: a FIFO (named pipe); give a manifest file or a directory',
      },
    ]);
  });

  it('refuses a character device', async () => {
    const { problems } = await readSources(['/dev/zero'], noStdin);
    expect(problems).toEqual([
      { source: '/dev/zero', message: 'refused: a character device; give a manifest file or a directory' },
    ]);
  });

  it('refuses FIFOs and sockets found in a directory and still reads its regular files', async () => {
    const { sources, problems } = await readSources([join(dir, 'special')], noStdin);
    expect(sources.map((s) => s.name)).toEqual([join(dir, 'special/ok.yaml')]);
    expect(problems.map((p) => p.message)).toEqual([
      'refused: a FIFO (named pipe); give a manifest file or a directory',
      'refused: a socket; give a manifest file or a directory',
    ]);
  });
});
