import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * The image scan's layer worker (core/image/scan-layer-worker.ts) bundled on its own into one CommonJS
 * source, for a release bundle to carry as a string (`__SECO_LAYER_WORKER__`, read by
 * core/image/scan-wanted.ts) and start with `new Worker(source, { eval: true })`: a single-file bundle has
 * no worker script beside it, and a SEA has no file system to load one from. Node runs eval'd worker
 * code as a classic script, hence CommonJS; `import.meta.url` (which CommonJS lacks) becomes the
 * executable's URL — the worker resolves no file relative to it.
 */
export async function layerWorkerSource(repoRoot: string, target: string): Promise<string> {
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: [join(repoRoot, 'core/image/scan-layer-worker.ts')],
    write: false,
    bundle: true,
    platform: 'node',
    target,
    format: 'cjs',
    // The proc connector addon is never reached from the analyzers; kept out as in the main bundles.
    external: ['seco-proc-connector'],
    // Strict mode first, as the modules it was compiled from are (a directive counts only at the top).
    banner: {
      js: '"use strict";var __secoImportMetaUrl = require("node:url").pathToFileURL(process.execPath).href;',
    },
    define: { 'import.meta.url': '__secoImportMetaUrl' },
    tsconfig: join(repoRoot, 'tsconfig.build.json'),
    legalComments: 'none',
    logLevel: 'warning',
    minify: true,
    keepNames: true,
    sourcemap: false,
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild wrote no layer worker bundle');
  return file.text;
}
