import Complete from './complete.js';
import Completion from './completion.js';
import DbImport from './db/import.js';
import DbStatus from './db/status.js';
import Import from './import.js';
import Install from './install.js';
import Results from './results.js';
import ScanHost from './scan/host.js';
import ScanImage from './scan/image.js';
import Scan from './scan/index.js';
import Status from './status.js';
import ToolsDataPublish from './tools/data/publish.js';
import Tools from './tools.js';
import Uninstall from './uninstall.js';
import Version from './version.js';
import Watch from './watch.js';

/** oclif's explicit command table (package.json `oclif.commands`): no directory scan at start-up. */
export const COMMANDS = {
  scan: Scan,
  'scan:host': ScanHost,
  'scan:image': ScanImage,
  'db:import': DbImport,
  'db:status': DbStatus,
  import: Import,
  runtime: (await import('./runtime.js')).default,
  install: Install,
  results: Results,
  status: Status,
  tools: Tools,
  'tools:data:publish': ToolsDataPublish,
  uninstall: Uninstall,
  version: Version,
  watch: Watch,
  completion: Completion,
  __complete: Complete,
};
