// The krew build's entry point: one ESM file holding the CLI and its command table.
// oclif reads `oclif.commands` from the package.json shipped beside this bundle, whose explicit
// target is this very file; it imports it again (same URL, so the same module instance) to read
// COMMANDS. `execute` is therefore started without `await`: awaiting it here would make that
// import wait for this module's own evaluation to finish, which would never happen.
import { execute } from '@oclif/core';

export { COMMANDS } from '../../plugin/commands/index.js';

execute({ dir: import.meta.url }).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
