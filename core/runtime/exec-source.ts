import type { EventSource, RawProc } from './process-info.js';

/** What an exec source reports: a process that just ran `execve`, one that ended, or events the kernel dropped. */
export type ExecEvent =
  | { kind: 'exec'; pid: number; raw: RawProc; seenAtMs: number }
  | { kind: 'exit'; pid: number }
  | { kind: 'lost'; count: number };

export interface ExecSource {
  readonly source: EventSource;
  stop(): void;
}

export type ExecListener = (events: ExecEvent[]) => void;
