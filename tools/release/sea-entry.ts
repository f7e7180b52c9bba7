// The single executable's main module (Node SEA, ESM). Inside a SEA, nothing is read from the file
// system at start-up: Node's module loader only serves built-ins, so oclif cannot read package.json
// or import its explicit command target the way it does from dist/. It gets both in memory instead:
// the package.json fields it needs (esbuild `define`) and the command table (bundled here).
import { dirname } from 'node:path';
import { Config, type Interfaces, Plugin } from '@oclif/core';
import { main } from '../../plugin/cli/main.js';
import { COMMANDS } from '../../plugin/commands/index.js';

declare const __SECO_PACKAGE_JSON__: Interfaces.PJSON;

const root = dirname(process.execPath);
const plugin = new Plugin({ isRoot: true, root, pjson: __SECO_PACKAGE_JSON__ });
// oclif 4.14 keeps the explicit command table in a private field it fills from `import(target)`;
// filling it first makes Plugin.load() take the table from here (the release test runs every path).
(plugin as unknown as { commandCache: typeof COMMANDS }).commandCache = COMMANDS;
await plugin.load();
const config = await Config.load({
  root,
  pjson: __SECO_PACKAGE_JSON__,
  plugins: new Map([[plugin.name, plugin]]),
});
await main(config);
