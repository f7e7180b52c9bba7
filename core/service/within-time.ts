/** Thrown when an operation has not settled in the time given it. */
export class TimedOutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what}: no answer within ${ms} ms`);
    this.name = 'TimedOutError';
  }
}

/**
 * `work`'s result, or a TimedOutError after `ms`. The work itself is not cancelled (a NATS flush or an S3
 * request has no handle to cancel): a health check must answer in time even when a server hangs.
 */
export async function withinTime<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimedOutError(what, ms)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined); // a late rejection of the abandoned work is not unhandled
  }
}
