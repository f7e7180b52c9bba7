import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';
import { build, type Plugin } from 'esbuild';
import type { EmbeddedResources } from '../../core/build/resource-root.js';
import { escapeNonAscii } from './ascii-source.js';
import { layerWorkerSource } from './layer-worker-source.js';

/** Data read at run time (core/build/resource-root.ts), by their paths in the package: embedded as SEA assets. */
const DATA_DIRS = ['core/compliance/frameworks', 'core/feedback/rules', 'core/runtime/rules', 'manifests'];
/** Dependency files read at run time: sql.js finds its WebAssembly through the resource locator. */
const DEPENDENCY_FILES = ['sql.js/dist/sql-wasm.wasm'];

// CommonJS dependencies bundled into ESM call require() for Node built-ins: give them a real one.
export const BANNER = [
  "import { createRequire as __secoCreateRequire } from 'node:module';",
  'const require = __secoCreateRequire(import.meta.url);',
].join('\n');

/**
 * Packages the bundle must not carry, each replaced by a small module:
 * - `react-devtools-core`, an optional dev dependency of Ink, intentionally absent: Ink imports it only
 *   when DEV=true. It cannot simply be `external`: esbuild hoists an external ESM import to the top of
 *   the single-file bundle, so every start would fail on the missing package. Replaced by an inert
 *   module with the two functions Ink calls.
 * - `typescript` (3.5 MB, 40 % of the bundle otherwise): oclif requires it only to read a tsconfig.json
 *   when run from TypeScript sources in development, inside a try/catch that falls back to compiled
 *   code. Replaced by a module that fails to load the way a missing package does.
 */
const LEFT_OUT: Record<string, string> = {
  'react-devtools-core': 'export default { initialize() {}, connectToDevTools() {} };',
  typescript:
    'throw Object.assign(new Error("typescript is not part of the seco executable"), { code: "MODULE_NOT_FOUND" });',
};

const leftOutPackages: Plugin = {
  name: 'left-out-packages',
  setup(b) {
    const names = Object.keys(LEFT_OUT).join('|');
    b.onResolve({ filter: new RegExp(`^(${names})$`) }, (args) => ({
      path: args.path,
      namespace: 'left-out',
    }));
    b.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => ({
      contents: LEFT_OUT[args.path],
      loader: 'js',
    }));
  },
};

/**
 * Node built-ins imported with ESM `import` become lazily required CommonJS modules. esbuild hoists an
 * external `import` to the top of the one-file bundle, so every built-in any module uses (tls, http2,
 * zlib, worker_threads, …) would be loaded at every start, even for modules that are themselves only
 * initialised when a command first imports them. As a wrapped `require`, a built-in loads when the
 * module that imports it is initialised.
 */
const lazyBuiltins: Plugin = {
  name: 'lazy-node-builtins',
  setup(b) {
    // punycode is aliased to its userland package (below): left to esbuild's own resolution.
    const builtins = new Set(builtinModules.filter((m) => m !== 'punycode'));
    b.onResolve({ filter: /^(node:)?[a-z_0-9/]+$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      if (!builtins.has(name) && !(args.path.startsWith('node:') && name !== 'punycode')) return undefined;
      if (args.kind !== 'import-statement' && args.kind !== 'dynamic-import')
        return { path: `node:${name}`, external: true };
      return { path: name, namespace: 'lazy-builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(`node:${args.path}`)});`,
      loader: 'js',
    }));
  },
};

interface PackageJson {
  name: string;
  version: string;
  description?: string;
  license?: string;
  oclif: Record<string, unknown>;
}

export interface BundleOptions {
  /** the repository root (holds package.json) */
  repoRoot: string;
  /** where the bundle and its legal notices are written */
  outDir: string;
  /** what `version` reports */
  buildInfo: { version: string; commit: string };
}

export interface Bundle {
  /** the ESM file the SEA runs */
  main: string;
  /** the licence comments esbuild collected from the bundled packages */
  legal: string;
  /** SEA assets: key (path in the package) → file on disk */
  assets: Record<string, string>;
}

/**
 * Bundles the CLI into one minified ESM file for the single executable, with the package.json oclif
 * needs, the build info and the list of embedded data files compiled in (esbuild `define`).
 * Modules that commands import with `import()` stay lazy inside the one file: esbuild wraps each in
 * an initializer that runs on first import, so `--help` does not evaluate Ink, NATS or the
 * Kubernetes client.
 */
export async function bundleCli(o: BundleOptions): Promise<Bundle> {
  const repoRoot = resolve(o.repoRoot);
  const outDir = resolve(o.outDir);
  const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as PackageJson;
  const assets = await collectAssets(repoRoot);
  const resources: EmbeddedResources = { digest: await digestOf(assets), keys: Object.keys(assets) };
  // Only what oclif reads; the command table is compiled in (tools/release/sea-entry.ts), the target
  // below is never imported.
  const pjson = {
    name: pkg.name,
    version: o.buildInfo.version,
    description: pkg.description,
    license: pkg.license,
    type: 'module',
    oclif: {
      ...pkg.oclif,
      commands: { strategy: 'explicit', target: './kubectl-seco', identifier: 'COMMANDS' },
    },
  };
  await mkdir(outDir, { recursive: true });
  const main = join(outDir, 'kubectl-seco.mjs');
  await build({
    absWorkingDir: repoRoot,
    entryPoints: [join(repoRoot, 'tools/release/sea-entry.ts')],
    outfile: main,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    // Left out: the optional native addon (proc-connector.ts loads it with createRequire at run time
    // and falls back to polling /proc when it is missing).
    external: ['seco-proc-connector'],
    plugins: [leftOutPackages, lazyBuiltins],
    // tr46 and whatwg-url (under the Kubernetes client) require Node's deprecated built-in punycode,
    // which prints DEP0040 on Node ≥ 21; the userland package of the same API is installed beside them.
    alias: { punycode: 'punycode/' },
    banner: { js: BANNER },
    define: {
      __SECO_BUILD_INFO__: JSON.stringify(o.buildInfo),
      __SECO_PACKAGE_JSON__: JSON.stringify(pjson),
      __SECO_RESOURCES__: JSON.stringify(resources),
      __SECO_LAYER_WORKER__: JSON.stringify(await layerWorkerSource(repoRoot, 'node22')),
    },
    jsx: 'automatic',
    tsconfig: join(repoRoot, 'tsconfig.build.json'),
    legalComments: 'external',
    logLevel: 'warning',
    minify: true,
    // oclif prints command class names nowhere, but Ink and zod error messages use function names.
    keepNames: true,
    sourcemap: false,
  });
  // The executable keeps an ASCII main script in one byte per character (ascii-source.ts).
  const source = await readFile(main, 'utf8');
  const ascii = escapeNonAscii(source);
  if (ascii !== source) await writeFile(main, ascii);
  return { main, legal: `${main}.LEGAL.txt`, assets };
}

async function collectAssets(repoRoot: string): Promise<Record<string, string>> {
  const assets: Record<string, string> = {};
  for (const dir of DATA_DIRS)
    for (const file of await filesUnder(join(repoRoot, dir)))
      assets[relative(repoRoot, file).split(sep).join('/')] = file;
  const require = createRequire(join(repoRoot, 'package.json'));
  for (const file of DEPENDENCY_FILES) assets[`node_modules/${file}`] = require.resolve(file);
  return assets;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    if (e.isDirectory()) out.push(...(await filesUnder(join(dir, e.name))));
    else if (e.isFile()) out.push(join(dir, e.name));
  }
  return out;
}

/** sha256 over every key and its content, in key order: changes whenever an embedded file does. */
async function digestOf(assets: Record<string, string>): Promise<string> {
  const hash = createHash('sha256');
  for (const key of Object.keys(assets).sort()) {
    const content = await readFile(assets[key] as string);
    hash.update(`${key}\0${content.length}\0`).update(content);
  }
  return hash.digest('hex');
}
