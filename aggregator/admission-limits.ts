import { readFileSync } from 'node:fs';

/** What a WebSocket client may cost before it has said `hello` with a good token, and how many may. */
export interface AdmissionLimits {
  /** WebSocket connections at once, said hello or not. */
  maxConnections: number;
  /** Connections at once that have not said hello yet. */
  maxPreAuth: number;
  /** Of those, from one source address. */
  maxPreAuthPerSource: number;
  /** Bytes a client may send before its hello is accepted: a hello with a long token fits many times. */
  preAuthMaxBytes: number;
  /** Time a client has to say hello. */
  helloTimeoutMs: number;
  /** Resident memory above which new unauthenticated clients are refused and the newest are shed. */
  memoryBudgetBytes: number;
}

/** The defaults; the memory budget follows the container's limit (read here, not at import). */
export function defaultAdmissionLimits(): AdmissionLimits {
  return {
    maxConnections: 4096,
    maxPreAuth: 1000,
    maxPreAuthPerSource: 50,
    preAuthMaxBytes: 16 * 1024,
    helloTimeoutMs: 10_000,
    memoryBudgetBytes: defaultMemoryBudget(),
  };
}

/**
 * 75% of the container's memory limit (cgroup v2 `memory.max`, v1 `memory.limit_in_bytes`): room left
 * for the scans in flight when shedding starts. No budget where no limit is set (a developer's machine,
 * tests): there is no figure to guess from, and the connection caps and pre-auth size still bound
 * what unauthenticated clients hold (1,000 × 16 KiB plus one socket read each).
 */
export function defaultMemoryBudget(
  read: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): number {
  for (const path of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    try {
      const limit = Number(read(path).trim());
      // v1 says "no limit" with a huge number; anything past 1 TiB is taken as none.
      if (Number.isFinite(limit) && limit > 0 && limit < 2 ** 40) return Math.floor(limit * 0.75);
    } catch {
      // not this cgroup version, or no cgroup: try the next
    }
  }
  return Number.POSITIVE_INFINITY;
}
