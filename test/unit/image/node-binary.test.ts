import { readFileSync, realpathSync, statSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { nodeBinaryAnalyzer, nodeVersion } from '../../../core/image/analyzers/node-binary.js';

// The real executable running these tests: whatever Node this machine has (Debian's, or one from npm).
const executable = realpathSync(process.execPath);
const running = process.versions.node;

describe('node-binary analyzer', () => {
  it("reads the running node executable's own version from its bytes", () => {
    expect(nodeVersion(readFileSync(executable))).toBe(running);
  });

  it('wants an executable named node and nothing else', () => {
    const { size } = statSync(executable);
    expect(nodeBinaryAnalyzer.wants('usr/local/bin/node', size, 0o755)).toBe(true);
    expect(nodeBinaryAnalyzer.wants('usr/bin/nodejs', size, 0o755)).toBe(true);
    expect(nodeBinaryAnalyzer.wants('usr/local/bin/node', size, 0o644)).toBe(false);
    expect(nodeBinaryAnalyzer.wants('usr/local/bin/deno', size, 0o755)).toBe(false);
    expect(nodeBinaryAnalyzer.wants('usr/local/bin/node', 100, 0o755)).toBe(false);
  });

  it('keeps only the version, then reports package node with a generic purl', async () => {
    const reduced = nodeBinaryAnalyzer.reduce?.(readFileSync(executable));
    expect(reduced?.toString('utf8')).toBe(running);
    const packages = await nodeBinaryAnalyzer.analyze(
      { path: 'usr/local/bin/node', content: reduced ?? Buffer.alloc(0) },
      {},
    );
    expect(packages).toEqual([
      {
        ecosystem: 'generic',
        name: 'node',
        version: running,
        purl: `pkg:generic/node@${running}?download_url=${encodeURIComponent(`https://nodejs.org/download/release/v${running}/`)}`,
        path: 'usr/local/bin/node',
      },
    ]);
  });

  it("falls back to process.release's headers URL when the node.js/v marker is missing", () => {
    const elf = (text: string) =>
      Buffer.concat([
        Buffer.from('\x7fELF\x02\x01', 'latin1'),
        Buffer.alloc(64),
        Buffer.from(text, 'latin1'),
      ]);
    expect(
      nodeVersion(elf('https://nodejs.org/download/release/v22.4.1/node-v22.4.1-headers.tar.gz\0')),
    ).toBe('22.4.1');
    // Versions that disagree within the URL, or a marker without its NUL, are not a version.
    expect(nodeVersion(elf('/release/v22.4.1/node-v22.4.0-headers.tar.gz\0'))).toBeUndefined();
    expect(nodeVersion(elf('node.js/v22.4.1x'))).toBeUndefined();
    expect(nodeVersion(elf('node.js/v1.2\0node.js/v3.4.5\0'))).toBe('3.4.5');
  });

  it('recognises no version in an ELF that is not node, nor in a script named node', () => {
    expect(nodeVersion(readFileSync('/bin/true'))).toBeUndefined();
    expect(nodeVersion(Buffer.from('#!/bin/sh\necho node.js/v1.2.3\0\n'))).toBeUndefined();
    expect(nodeBinaryAnalyzer.reduce?.(readFileSync('/bin/true'))).toBeUndefined();
  });
});
