import ScanHost from './scan/host.js';
import Scan from './scan/index.js';

/** oclif's explicit command table (package.json `oclif.commands`): no directory scan at start-up. */
export const COMMANDS = {
  scan: Scan,
  'scan:host': ScanHost,
};
