import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import type { LayerAnalyzer, LayerInput } from '../../../../core/image/layers/entry.js';

export type TarEntry = {
  name: string;
  content?: string | Buffer;
  type?: 'file' | 'symlink' | 'link' | 'directory';
  linkname?: string;
  mode?: number;
};

/** A layer tar built with tar-stream, the way image builders write them. */
export async function tarOf(entries: TarEntry[]): Promise<Buffer> {
  const p = pack();
  for (const e of entries) {
    const type = e.type ?? 'file';
    if (type === 'file') p.entry({ name: e.name, mode: e.mode ?? 0o644 }, e.content ?? '');
    else p.entry({ name: e.name, type, ...(e.linkname ? { linkname: e.linkname } : {}) });
  }
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of p as unknown as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** A layer whose blob is the given bytes, delivered in small chunks like a network stream. */
export const layerOf = (digest: string, bytes: Buffer): LayerInput => ({
  digest,
  open: async () => {
    const chunks: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 1000) chunks.push(bytes.subarray(at, at + 1000));
    return Readable.from(chunks);
  },
});

/** Lists every final non-directory path with its content (regular files) or link target. */
export const listing: LayerAnalyzer<string> = {
  name: 'listing',
  wants: () => true,
  analyze: async (file) =>
    file.header.type === 'file'
      ? (await file.read()).toString('utf8')
      : `${file.header.type}→${file.header.linkname ?? ''}`,
};

/** path → value, sorted, from a walk's outputs. */
export const byPath = (outputs: Array<{ path: string; value: unknown }>) =>
  Object.fromEntries(
    outputs.map((o) => [o.path, o.value]).sort(([a], [b]) => String(a).localeCompare(String(b))),
  );
