import { cp, mkdir, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import type { BuildInfo } from '../../../core/build/build-info.js';
import { BANNER } from '../bundle.js';
import { layerWorkerSource } from '../layer-worker-source.js';

/**
 * Where the services' bundle sits under the image's seco root (/opt/seco). Three levels deep for the
 * reason bundle.ts gives: `builtinRulesDir()` and `builtinRuntimeRulesDir()` resolve
 * `../../../core/<x>/rules/` against their module's URL, which in the bundle is this directory.
 */
export const SERVICE_BUNDLE_DIR = 'dist/service/bundle';
export const SERVICE_BUNDLE_ENTRY = `${SERVICE_BUNDLE_DIR}/seco.mjs`;

/** sql.js's files the rpm analyzer finds through core/build/resource-root.ts (its WebAssembly). */
const SQL_JS_FILES = ['package.json', 'dist/sql-wasm.wasm'];

/** Rule files the services read at run time: the aggregator's feedback rules, the agent's runtime rules. */
const DATA_DIRS = ['core/compliance/frameworks', 'core/feedback/rules', 'core/runtime/rules'];

/**
 * tr46 (under @kubernetes/client-node's node-fetch) requires Node's built-in `punycode`, deprecated
 * (DEP0040: a warning at every aggregator start on Node 22+); its userland twin, the same code, is installed.
 */
function userlandPunycode(repoRoot: string): Plugin {
  const path = createRequire(join(repoRoot, 'package.json')).resolve('punycode/punycode.js');
  return {
    name: 'userland-punycode',
    setup(b) {
      b.onResolve({ filter: /^punycode$/ }, () => ({ path }));
    },
  };
}

/**
 * Bundles the launcher and both services into `<outDir>/dist/service/bundle/`: one entry and a chunk per
 * service (esbuild code splitting; the services' top-level await needs real ESM chunks), with the build
 * info defined in. Beside it: the rule files and sql.js's WebAssembly (the rpm analyzer's database).
 * Returns the files written, relative to `outDir`.
 */
export async function bundleServices(repoRoot: string, outDir: string, info: BuildInfo): Promise<string[]> {
  const bundleDir = join(outDir, SERVICE_BUNDLE_DIR);
  await build({
    absWorkingDir: repoRoot,
    entryPoints: { seco: join(repoRoot, 'tools/release/service-entry.ts') },
    outdir: bundleDir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // The addon is loaded with createRequire at run time from /opt/seco/node_modules, per architecture.
    external: ['seco-proc-connector'],
    plugins: [userlandPunycode(repoRoot)],
    banner: { js: BANNER },
    define: {
      __SECO_BUILD_INFO__: JSON.stringify(info),
      // The agent reads image layers in worker threads: their script travels inside the bundle.
      __SECO_LAYER_WORKER__: JSON.stringify(await layerWorkerSource(repoRoot, 'node20')),
    },
    tsconfig: join(repoRoot, 'tsconfig.build.json'),
    legalComments: 'linked',
    logLevel: 'warning',
    minify: false,
    sourcemap: false,
  });
  for (const dir of DATA_DIRS) await cp(join(repoRoot, dir), join(outDir, dir), { recursive: true });
  const require = createRequire(join(repoRoot, 'package.json'));
  const sqlJsRoot = dirname(dirname(require.resolve('sql.js/dist/sql-wasm.wasm')));
  for (const file of SQL_JS_FILES) {
    await mkdir(dirname(join(outDir, 'node_modules/sql.js', file)), { recursive: true });
    await cp(join(sqlJsRoot, file), join(outDir, 'node_modules/sql.js', file));
  }
  return (await readdir(outDir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(outDir.length + 1))
    .sort();
}
