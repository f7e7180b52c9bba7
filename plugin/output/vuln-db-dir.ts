import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where `db import` keeps advisories locally: $SECO_VULN_DB, else the XDG cache directory. */
export function defaultVulnDbDir(): string {
  if (process.env.SECO_VULN_DB) return process.env.SECO_VULN_DB;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'seco', 'vulndb');
}
