import { runJob } from '../../../agent/run-job.js';

/**
 * Agents' jobs held until `release`: a scan started meanwhile stays running, with its jobs queued on
 * their nodes, for as long as a test needs to look at it.
 */
export function gatedJobs(): { runJob: typeof runJob; release: () => void } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  return {
    runJob: async (...args) => {
      await gate;
      return runJob(...args);
    },
    release,
  };
}
