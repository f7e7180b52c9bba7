import { Backoff } from '../service/backoff.js';
import type { Bus, ConsumeOptions, JobConsumer, JobHandler, ReceivedJob } from './bus.js';

/** A job that remembers whether its handler settled it, so an unsettled one can be given back. */
function tracked(job: ReceivedJob): { job: ReceivedJob; settled: () => boolean } {
  let settled = false;
  return {
    settled: () => settled,
    job: {
      data: job.data,
      deliveryCount: job.deliveryCount,
      ack: () => {
        settled = true;
        return job.ack();
      },
      nak: (delayMs) => {
        settled = true;
        return job.nak(delayMs);
      },
      working: () => job.working(),
    },
  };
}

/**
 * Takes `node`'s jobs with at most `maxInFlight` held at once: each slot pulls one job only when it is free,
 * so no job waits client-side with its ack clock running. A handler that throws without settling its job
 * gives it back after `retryDelayMs`; the queue's delivery limit still applies.
 */
export function consumeJobs(
  bus: Bus,
  node: string,
  handler: JobHandler,
  options: ConsumeOptions = {},
): JobConsumer {
  const maxInFlight = Math.max(1, Math.floor(options.maxInFlight ?? 1));
  const pollMs = options.pollMs ?? 1000;
  const report = options.onError ?? (() => {});
  let stopping = false;
  const slot = async () => {
    // A queue that fails (server restarting) is retried ever more slowly, up to 5 s apart, never given up.
    const backoff = new Backoff({ firstMs: Math.min(pollMs, 250), maxMs: 5000 });
    while (!stopping) {
      let received: ReceivedJob | undefined;
      try {
        received = await bus.nextJob(node, pollMs);
        backoff.reset();
      } catch (error) {
        report(error);
        await backoff.wait(() => stopping);
        continue;
      }
      if (!received) continue;
      const { job, settled } = tracked(received);
      try {
        await handler(job);
      } catch (error) {
        report(error);
        if (!settled()) await job.nak(options.retryDelayMs ?? 0).catch(report);
      }
    }
  };
  const running = Promise.all(Array.from({ length: maxInFlight }, slot));
  return {
    stop: async () => {
      stopping = true;
      await running;
    },
  };
}
