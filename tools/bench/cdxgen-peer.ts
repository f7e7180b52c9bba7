import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The peer's version, pinned so figures stay comparable from run to run. */
export const CDXGEN_VERSION = '12.8.4';
const PREFIX = join(homedir(), '.cache', 'seco', 'bench', `cdxgen-${CDXGEN_VERSION}`);
const BIN = join(PREFIX, 'node_modules', '@cyclonedx', 'cdxgen', 'bin', 'cdxgen.js');

export interface PeerRun {
  seconds: number;
  maxRssMiB: number;
  purls: string[];
}

/**
 * OWASP cdxgen, installed from the npm registry into a cache of its own on first use (it is a benchmark
 * peer, not a dependency of seco), run on the same docker-archive as seco: `-t docker`, no server.
 */
export function installCdxgen(): void {
  if (existsSync(BIN)) return;
  mkdirSync(PREFIX, { recursive: true });
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefix', PREFIX, `@cyclonedx/cdxgen@${CDXGEN_VERSION}`],
    {
      stdio: 'inherit',
    },
  );
}

/** One cdxgen run under GNU time (peak RSS of cdxgen and the tools it starts), its components' purls. */
export function runCdxgen(archive: string, out: string, deep: boolean): PeerRun {
  const args = ['-v', process.execPath, BIN, '-t', 'docker', ...(deep ? ['--deep'] : []), '-o', out, archive];
  const start = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', args, {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    // cdxgen reaches for the network (licences, registries) unless told not to; this machine has none.
    env: { ...process.env, CDXGEN_NO_NETWORK: 'true', FETCH_LICENSE: 'false', CDXGEN_DEBUG_MODE: '' },
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`cdxgen failed (${result.status}): ${result.stderr.slice(-2000)}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
  const bom = JSON.parse(readFileSync(out, 'utf8')) as { components?: Array<{ purl?: string }> };
  const purls = (bom.components ?? []).map((c) => c.purl).filter((p): p is string => typeof p === 'string');
  return { seconds, maxRssMiB: rss ? Number(rss[1]) / 1024 : Number.NaN, purls };
}
