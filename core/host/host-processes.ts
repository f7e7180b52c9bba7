import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** A running process as seen through the host's /proc. */
export interface HostProcess {
  pid: number;
  argv: string[];
}

const MAX_CMDLINE_BYTES = 256 * 1024;

/** Processes on the host whose executable's base name is `binary` (e.g. `kubelet`), read from `procRoot`. */
export async function findProcesses(procRoot: string, binary: string): Promise<HostProcess[]> {
  let entries: string[];
  try {
    entries = await readdir(procRoot);
  } catch {
    return [];
  }
  const found: HostProcess[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let raw: Buffer;
    try {
      raw = await readFile(join(procRoot, entry, 'cmdline'));
    } catch {
      continue; // the process ended while we looked, or is not ours to read
    }
    const argv = raw.subarray(0, MAX_CMDLINE_BYTES).toString('utf8').split('\0');
    if (argv.at(-1) === '') argv.pop();
    if (argv[0] && basename(argv[0]) === binary) found.push({ pid: Number(entry), argv });
  }
  return found.sort((a, b) => a.pid - b.pid);
}
