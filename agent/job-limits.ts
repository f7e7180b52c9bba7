import { DEFAULT_DEADLINE_S, JOB_KINDS, type JobKind } from '../core/service/job-kind-seconds.js';

export {
  DEFAULT_DEADLINE_S,
  JOB_KINDS,
  type JobKind,
  perKindSeconds,
} from '../core/service/job-kind-seconds.js';

/** How long one job of a kind may run in all, and how long it may go without progress. */
export interface KindLimits {
  deadlineMs: number;
  /** Longest time without progress: bytes pulled (image), checks done (host), processes read (runtime). */
  idleMs: number;
}

export type JobLimits = Record<JobKind, KindLimits>;

/** A large image over a slow link never goes two minutes without a byte; a host check or process read takes seconds. */
export const DEFAULT_IDLE_S: Record<JobKind, number> = { image: 120, host: 120, runtime: 120, tools: 900 };

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
