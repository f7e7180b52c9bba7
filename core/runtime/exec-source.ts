import type { SensorEvent } from './ebpf-record.js';
import type { KernelMemo } from './ebpf-sensor.js';
import type { KernelFilter } from './kernel-filter.js';
import type { EventSource, RawProc } from './process-info.js';

/** What an exec source reports: a process that just ran `execve`, one that ended, or events the kernel dropped. */
export type ExecEvent =
  | { kind: 'exec'; pid: number; raw: RawProc; seenAtMs: number }
  | { kind: 'exit'; pid: number }
  | { kind: 'lost'; count: number }
  /** Records of the eBPF sensor; times are CLOCK_BOOTTIME, `bootToEpochMs` turns them into epoch ms. */
  | { kind: 'kernel'; events: SensorEvent[]; bootToEpochMs: number };

export interface ExecSource {
  readonly source: EventSource;
  stop(): void;
  /** Events the kernel could not queue (the eBPF ring buffer was full), when the source can tell. */
  drops?(): number;
  /** The eBPF sensor's no-match memo and process table. */
  memo?: KernelMemo;
  /** The eBPF sensor: watch at least what this filter asks for too. */
  refilter?(filter: KernelFilter): void;
}

export type ExecListener = (events: ExecEvent[]) => void;
