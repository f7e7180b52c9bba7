import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { pathUnder, SafeArg, withFlag } from '../../exec/safe-arg.js';
import type { Finding } from '../../model/index.js';
import { imagePathOf } from '../image-filesystem.js';
import type { ImageTarget, ToolAdapter, ToolInputs } from '../tool-adapter.js';
import { targetResource, toolFinding } from '../tool-finding.js';
import { singleRunOutput, versionFlag } from '../tool-run-output.js';

/** ClamAV's signature file types (clamav signatures docs): hashes, body patterns, logical, containers. */
const SIGNATURE_FILES = new Set([
  '.cvd',
  '.cld',
  '.cud',
  '.hdb',
  '.hsb',
  '.mdb',
  '.msb',
  '.ndb',
  '.ldb',
  '.ldu',
  '.cdb',
  '.idb',
  '.fp',
  '.sfp',
  '.ign',
  '.ign2',
  '.crb',
  '.pdb',
  '.gdb',
  '.wdb',
  '.ftm',
  '.info',
  '.cfg',
]);
const DEFAULT_DATABASE = '/var/lib/clamav';
const MAX_DATABASE_BYTES = 2 * 2 ** 30;

/**
 * ClamAV (`clamscan`) on an image's filesystem, written by the image job as it streams the layers.
 * Signatures are data: the directory given (`--clamav-db`, the agent's copy of the official
 * `main/daily/bytecode.cvd` from the object store, or signature files you write: `.hdb` hashes, `.ndb`
 * body patterns) is copied into the run's scratch directory, so the command line names only paths
 * seco made. `FILE: NAME FOUND` lines become findings: PUA.* medium, everything else high.
 */
export const clamav: ToolAdapter<ImageTarget> = {
  name: 'clamav',
  place: 'image',
  binary: { name: 'clamscan', paths: ['/usr/bin/clamscan'] },
  description: 'malware signatures (ClamAV) in image files',
  version: versionFlag('--version', /ClamAV\s+([0-9.]+)/),
  async commands(target, inputs) {
    const database = join(inputs.scratch, 'clamav-db');
    await copySignatures(inputs.clamavDatabase ?? DEFAULT_DATABASE, database);
    return [
      {
        args: [
          SafeArg.literal('--no-summary'),
          SafeArg.literal('--infected'),
          SafeArg.literal('--recursive'),
          SafeArg.literal('--stdout'),
          SafeArg.literal('--follow-dir-symlinks=0'),
          SafeArg.literal('--follow-file-symlinks=0'),
          withFlag('--database', pathUnder(database, [inputs.scratch])),
          SafeArg.literal('--'),
          pathUnder(target.root, [target.root]),
        ],
        env: {},
        timeoutMs: 30 * 60_000,
      },
    ];
  },
  parse(results, target, _inputs, now) {
    // clamscan: 0 clean, 1 something found, 2 an error (no database, unreadable file).
    return singleRunOutput('clamav', results, [0, 1], (stdout) => parseClamscan(stdout, target, now));
  },
};

async function copySignatures(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true, mode: 0o700 });
  let total = 0;
  const names = await readdir(from).catch((error: Error) => {
    throw new Error(`ClamAV signature directory ${from}: ${error.message}`);
  });
  for (const name of names.sort()) {
    if (!SIGNATURE_FILES.has(extname(name).toLowerCase())) continue;
    const info = await stat(join(from, name));
    if (!info.isFile()) continue;
    total += info.size;
    if (total > MAX_DATABASE_BYTES)
      throw new Error(`ClamAV signatures in ${from} are over ${MAX_DATABASE_BYTES} bytes`);
    await copyFile(join(from, name), join(to, name));
  }
}

/** `PATH: SIGNATURE FOUND` → one finding per file and signature, the path as it is in the image. */
export function parseClamscan(text: string, target: ImageTarget, now: Date): Finding[] {
  const findings: Finding[] = [];
  for (const line of text.split('\n')) {
    const hit = /^(.*): (\S+) FOUND$/.exec(line.trimEnd());
    if (!hit) continue;
    const file = imagePathOf(target.root, hit[1]!);
    const signature = hit[2]!;
    findings.push(
      toolFinding({
        tool: 'clamav',
        id: signature,
        title: `Malware signature ${signature} matches ${file}`,
        severity: /^PUA\./.test(signature) ? 'medium' : 'high',
        resource: targetResource(target, file),
        evidence: `${file}: ${signature}`,
        subject: file,
        remediation:
          'Rebuild the image from trusted sources without this file, and find how it got into the build.',
        references: [
          { kind: 'url', id: 'clamav signatures', url: 'https://docs.clamav.net/manual/Signatures.html' },
        ],
        now,
      }),
    );
  }
  return findings;
}

export type { ToolInputs };
