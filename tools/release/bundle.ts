import { chmod, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';

/**
 * Where the bundle sits inside the release tree. Three levels below the root on purpose: the
 * bundled `builtinRulesDir()` / `builtinRuntimeRulesDir()` resolve `../../../core/<x>/rules/` against
 * the bundle's own URL (they were written for dist/core/<x>/<module>.js), so with the bundle at
 * <root>/dist/plugin/bundle/ they find <root>/core/<x>/rules/; `manifestsDir()` walks up to
 * <root>/manifests/. No source changes, no path rewriting.
 */
const BUNDLE_PATH = 'dist/plugin/bundle/kubectl-seco.mjs';
/** The executable krew links onto PATH as `kubectl-seco`. */
const LAUNCHER = 'kubectl-seco';

/** Data files read at run time, copied beside the bundle (relative to the repo root). */
const DATA_DIRS = ['core/feedback/rules', 'core/runtime/rules', 'manifests', 'examples'];

/** sql.js finds its WebAssembly with require.resolve('sql.js/dist/…') from the bundle's directory. */
export const SQL_JS_FILES = ['package.json', 'dist/sql-wasm.wasm'];

// CommonJS dependencies bundled into ESM call require() for Node built-ins: give them a real one.
export const BANNER = [
  "import { createRequire as __secoCreateRequire } from 'node:module';",
  'const require = __secoCreateRequire(import.meta.url);',
].join('\n');

const LAUNCHER_SCRIPT = `#!/bin/sh
# kubectl-seco launcher (krew build): runs the bundled plugin with the node on PATH.
# krew links this file into ~/.krew/bin, so resolve the link to find the bundle beside it.
set -e
self="$0"
while [ -L "$self" ]; do
  target="$(readlink "$self")"
  case "$target" in
    /*) self="$target" ;;
    *) self="$(dirname "$self")/$target" ;;
  esac
done
here="$(cd "$(dirname "$self")" && pwd)"
node="\${SECO_NODE:-node}"
if ! command -v "$node" >/dev/null 2>&1; then
  echo "kubectl-seco: needs Node.js >= 20.19 on PATH (or SECO_NODE=/path/to/node)" >&2
  exit 127
fi
exec "$node" "$here/${BUNDLE_PATH}" "$@"
`;

/**
 * `react-devtools-core` is an optional dev dependency of Ink, intentionally absent here: Ink imports it
 * (through its own devtools.js) only when DEV=true. It cannot simply be `external`: esbuild hoists an
 * external ESM import to the top of the single-file bundle, so every start would fail on the missing
 * package. This plugin resolves it to an inert module with the two functions Ink calls instead.
 */
const absentReactDevtools: Plugin = {
  name: 'absent-optional-react-devtools-core',
  setup(b) {
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({
      path: 'react-devtools-core',
      namespace: 'absent-optional-dependency',
    }));
    b.onLoad({ filter: /.*/, namespace: 'absent-optional-dependency' }, () => ({
      contents: 'export default { initialize() {}, connectToDevTools() {} };',
      loader: 'js',
    }));
  },
};

export interface BundleOptions {
  /** the repository root (holds package.json) */
  repoRoot: string;
  /** the directory that becomes the archive's content */
  outDir: string;
}

/** Bundles the plugin and lays out everything the archive ships. */
export async function bundlePlugin(o: BundleOptions): Promise<void> {
  const repoRoot = resolve(o.repoRoot);
  const outDir = resolve(o.outDir);
  const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    description?: string;
    license?: string;
    engines?: Record<string, string>;
    oclif: Record<string, unknown>;
  };
  await mkdir(outDir, { recursive: true });

  await build({
    absWorkingDir: repoRoot,
    entryPoints: [join(repoRoot, 'tools/release/bundle-entry.ts')],
    outfile: join(outDir, BUNDLE_PATH),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // Left out: the optional native addon (proc-connector.ts loads it with createRequire at run time
    // and falls back to polling /proc when it is missing).
    external: ['seco-proc-connector'],
    plugins: [absentReactDevtools],
    banner: { js: BANNER },
    jsx: 'automatic',
    tsconfig: join(repoRoot, 'tsconfig.build.json'),
    legalComments: 'linked',
    logLevel: 'warning',
    minify: false,
    sourcemap: false,
  });

  // oclif finds its root by the nearest package.json: a minimal one whose explicit command target
  // is the bundle itself (it exports COMMANDS).
  const releasePkg = {
    name: pkg.name,
    version: pkg.version,
    description: pkg.description,
    license: pkg.license,
    type: 'module',
    private: true,
    engines: pkg.engines,
    oclif: {
      ...pkg.oclif,
      commands: { strategy: 'explicit', target: `./${BUNDLE_PATH}`, identifier: 'COMMANDS' },
    },
  };
  await writeFile(join(outDir, 'package.json'), `${JSON.stringify(releasePkg, null, 2)}\n`);

  for (const dir of DATA_DIRS) await cp(join(repoRoot, dir), join(outDir, dir), { recursive: true });

  const require = createRequire(join(repoRoot, 'package.json'));
  const sqlJsRoot = dirname(dirname(require.resolve('sql.js/dist/sql-wasm.wasm')));
  for (const file of SQL_JS_FILES) {
    await mkdir(dirname(join(outDir, 'node_modules/sql.js', file)), { recursive: true });
    await cp(join(sqlJsRoot, file), join(outDir, 'node_modules/sql.js', file));
  }

  await writeFile(join(outDir, LAUNCHER), LAUNCHER_SCRIPT);
  await chmod(join(outDir, LAUNCHER), 0o755);
  for (const name of ['LICENSE', 'LICENSE.md', 'LICENSE.txt']) {
    try {
      await cp(join(repoRoot, name), join(outDir, name));
    } catch {
      // no licence file in the repo: package.json's "license" field is all there is
    }
  }
}
