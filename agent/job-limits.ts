import type { Job } from '../core/protocol/index.js';

export type JobKind = Job['kind'];
export const JOB_KINDS: readonly JobKind[] = ['host', 'image', 'runtime', 'tools'];

/** How long one job of a kind may run in all, and how long it may go without progress. */
export interface KindLimits {
  deadlineMs: number;
  /** Longest time without progress: bytes pulled (image), checks done (host), processes read (runtime). */
  idleMs: number;
}

export type JobLimits = Record<JobKind, KindLimits>;

/**
 * Defaults: a large image over a slow link may take many minutes but never goes two minutes without a
 * byte; a host scan or runtime snapshot reads local files and takes seconds, one check or process at a time.
 */
export const DEFAULT_DEADLINE_S: Record<JobKind, number> = {
  image: 900,
  host: 300,
  runtime: 300,
  tools: 1800,
};
export const DEFAULT_IDLE_S: Record<JobKind, number> = { image: 120, host: 120, runtime: 120, tools: 900 };

/**
 * `600` (every kind) or `image=600,host=120` (the kinds named; the others keep their default), in seconds.
 * Refuses anything else, naming the flag and the part it could not read.
 */
export function perKindSeconds(
  flag: string,
  value: string | undefined,
  defaults: Record<JobKind, number>,
): Record<JobKind, number> {
  const result = { ...defaults };
  if (value === undefined || value.trim() === '') return result;
  const seconds = (text: string) => {
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0 || n > 86_400)
      throw new Error(`--${flag}: ${JSON.stringify(text)} is not a number of seconds in (0, 86400]`);
    return n;
  };
  if (!value.includes('=')) {
    const all = seconds(value.trim());
    for (const kind of JOB_KINDS) result[kind] = all;
    return result;
  }
  for (const part of value.split(',')) {
    const [kind, text] = part.split('=').map((s) => s.trim());
    if (!JOB_KINDS.includes(kind as JobKind) || text === undefined)
      throw new Error(
        `--${flag}: ${JSON.stringify(part)} is not KIND=SECONDS (kinds: ${JOB_KINDS.join(', ')})`,
      );
    result[kind as JobKind] = seconds(text);
  }
  return result;
}

export function jobLimits(deadlineS: Record<JobKind, number>, idleS: Record<JobKind, number>): JobLimits {
  const limits = {} as JobLimits;
  for (const kind of JOB_KINDS)
    limits[kind] = { deadlineMs: deadlineS[kind] * 1000, idleMs: idleS[kind] * 1000 };
  return limits;
}

export const DEFAULT_JOB_LIMITS: JobLimits = jobLimits(DEFAULT_DEADLINE_S, DEFAULT_IDLE_S);

/** Lanes: image pulls (network-bound, may stall on a registry) apart from the node's own scans. */
export type Lane = 'image' | 'node';
export type LaneSizes = Record<Lane, number>;
export const DEFAULT_LANES: LaneSizes = { image: 1, node: 1 };

export const laneOf = (kind: JobKind): Lane => (kind === 'image' ? 'image' : 'node');

/** `image=2,node=1`: jobs run at once per lane. */
export function parseLanes(value: string | undefined): LaneSizes {
  const lanes = { ...DEFAULT_LANES };
  if (value === undefined || value.trim() === '') return lanes;
  for (const part of value.split(',')) {
    const [lane, text] = part.split('=').map((s) => s.trim());
    const n = Number(text);
    if ((lane !== 'image' && lane !== 'node') || !Number.isInteger(n) || n < 1 || n > 64)
      throw new Error(`--lanes: ${JSON.stringify(part)} is not image=N or node=N with N in 1..64`);
    lanes[lane] = n;
  }
  return lanes;
}
