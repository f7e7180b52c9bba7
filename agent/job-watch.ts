import type { KindLimits } from './job-limits.js';

/** A job ended by its own limits: over its deadline, or without progress for too long. */
export class JobTimeoutError extends Error {
  override name = 'JobTimeoutError';
}

/** What a running job sees of its watch: the signal that aborts it and the call that says it moved. */
export interface JobWatch {
  signal: AbortSignal;
  /** Progress (bytes received, a step done): re-arms the no-progress timer. */
  progress(): void;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10}s`;

/**
 * Runs `work` under a deadline and a no-progress timeout. On either, the signal aborts (the registry
 * client stops its downloads) and the returned promise rejects at once with a JobTimeoutError, even if
 * `work` ignores the signal: the agent answers for the job now and any leftover work ends on its own.
 */
export async function watchJob<T>(limits: KindLimits, work: (watch: JobWatch) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let idleTimer: NodeJS.Timeout | undefined;
  let rejectTimeout: (error: Error) => void = () => {};
  const timedOut = new Promise<never>((_, reject) => {
    rejectTimeout = reject;
  });
  const stop = (error: JobTimeoutError) => {
    rejectTimeout(error);
    controller.abort(error);
  };
  const deadline = setTimeout(
    () => stop(new JobTimeoutError(`over its deadline of ${seconds(limits.deadlineMs)}`)),
    limits.deadlineMs,
  );
  const arm = () => {
    if (controller.signal.aborted) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(
      () => stop(new JobTimeoutError(`no progress for ${seconds(limits.idleMs)}`)),
      limits.idleMs,
    );
  };
  arm();
  try {
    return await Promise.race([work({ signal: controller.signal, progress: arm }), timedOut]);
  } catch (error) {
    // Abort listeners run at once: the work's own "aborted" error must not hide why it was aborted.
    const reason: unknown = controller.signal.reason;
    throw reason instanceof JobTimeoutError ? reason : error;
  } finally {
    clearTimeout(deadline);
    clearTimeout(idleTimer);
  }
}
