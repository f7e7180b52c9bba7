// S3 error codes that say "try again" (AWS S3 API Reference, "Error responses": 500 InternalError,
// 503 ServiceUnavailable / SlowDown, 400 RequestTimeout) and socket errors of a flaky network or a restart.
const TRANSIENT_CODES = new Set([
  'InternalError',
  'ServiceUnavailable',
  'SlowDown',
  'RequestTimeout',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

export function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && TRANSIENT_CODES.has(code);
}

export function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'NoSuchKey' || code === 'NotFound';
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
}

/** Runs `attempt` again after a transient failure, with exponential backoff; any other failure is an answer. */
export async function retrying<T>(what: string, policy: RetryPolicy, attempt: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isTransient(error) || i >= policy.attempts) {
        if (isMissing(error)) throw error;
        const code = (error as { code?: unknown }).code;
        throw new Error(
          `S3 ${what}: ${code ? `${String(code)}: ` : ''}${(error as Error)?.message ?? error}`,
          {
            cause: error,
          },
        );
      }
      await new Promise((r) => setTimeout(r, policy.baseDelayMs * 2 ** (i - 1)));
    }
  }
}
