import type { Bus } from '../core/bus/bus.js';
import type { Finding } from '../core/model/index.js';
import {
  decodeMessage,
  encodeFindingBatches,
  type Heartbeat,
  Job,
  type JobFindings,
  type JobOutcome,
  MAX_BUS_MESSAGE_BYTES,
  MAX_JOB_PROBLEMS,
  MAX_PROBLEM_CHARS,
  PROTOCOL_VERSION,
  subjects,
  subjectToken,
} from '../core/protocol/index.js';
import type { ObjectStore } from '../core/store/object-store.js';
import { encodeFindings, jobFailureKey, jobProblemsKey, jobResultKey } from '../core/store/scan-objects.js';
import { type AgentContext, runJob } from './run-job.js';
import { AGENT_VERSION } from './version.js';

export interface AgentOptions extends AgentContext {
  bus: Bus;
  store: ObjectStore;
  /** How long one poll of the queue waits before checking whether to stop. */
  pollMs?: number;
  now?: () => Date;
  log?: (line: string) => void;
  /** What runs a job: the scanners (default); the cluster benchmark puts a synthetic load here. */
  runJob?: typeof runJob;
}

const text = (value: unknown) => Buffer.from(JSON.stringify(value));

/**
 * The node agent's loop: takes its node's jobs one at a time, keeps the job alive while it runs,
 * writes results to the object store, publishes findings and the outcome, and acks last — so an agent
 * that dies mid-job leaves the job to be redelivered, and the redelivery overwrites the same result key.
 */
export class Agent {
  private stopping = false;
  private running?: Promise<void>;

  constructor(private readonly options: AgentOptions) {}

  start(): void {
    this.running ??= Promise.all([this.loop(), this.heartbeats()]).then(() => undefined);
  }

  /** `agents/<node>` in the `seco-agents` bucket, refreshed every 10 s: the aggregator's view of who is alive. */
  private async heartbeats(): Promise<void> {
    const kv = await this.options.bus.keyValue('seco-agents');
    const startedAt = new Date().toISOString();
    const key = `agents.${subjectToken(this.options.node).replace(/~/g, '_')}`;
    while (!this.stopping) {
      const beat: Heartbeat = {
        v: PROTOCOL_VERSION,
        type: 'heartbeat',
        node: this.options.node,
        agentVersion: AGENT_VERSION,
        startedAt,
        sentAt: new Date().toISOString(),
      };
      await kv
        .put(key, text(beat))
        .catch((error) => this.options.log?.(`heartbeat failed: ${(error as Error).message}`));
      for (let waited = 0; waited < 10_000 && !this.stopping; waited += 250)
        await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Finishes the job in hand (or hands it back) and stops taking new ones. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      const received = await this.options.bus.nextJob(this.options.node, this.options.pollMs ?? 1000);
      if (!received) continue;
      const decoded = decodeMessage(Job, Buffer.from(received.data), MAX_BUS_MESSAGE_BYTES);
      if (!decoded.ok) {
        // A job no agent can read will never succeed: end it now instead of redelivering it.
        this.options.log?.(`refused job: ${decoded.error}`);
        await received.ack();
        continue;
      }
      await this.handle(decoded.value, received);
    }
  }

  /** Findings as they are found, for live consumers; the stored result stays the record the report is built from. */
  private async publishFindings(job: Job, findings: readonly Finding[]): Promise<void> {
    const envelope: Omit<JobFindings, 'findings'> = {
      v: PROTOCOL_VERSION,
      type: 'job.findings',
      jobId: job.jobId,
      scanId: job.scanId,
      node: this.options.node,
    };
    for (const message of encodeFindingBatches(findings, envelope, MAX_BUS_MESSAGE_BYTES))
      await this.options.bus.publish(subjects.findings(job.scanId), Buffer.from(message));
  }

  private async handle(
    job: Job,
    received: { ack(): Promise<void>; nak(delayMs?: number): Promise<void>; working(): Promise<void> },
  ): Promise<void> {
    const { bus, store } = this.options;
    const heartbeat = setInterval(() => void received.working(), 5000);
    const outcome: JobOutcome = {
      v: PROTOCOL_VERSION,
      type: 'job.done',
      jobId: job.jobId,
      scanId: job.scanId,
      node: this.options.node,
      status: 'acked',
      findings: 0,
    };
    try {
      const result = await (this.options.runJob ?? runJob)(
        job,
        this.options,
        (this.options.now ?? (() => new Date()))(),
      );
      const { findings, problems } = Array.isArray(result) ? { findings: result, problems: [] } : result;
      if (problems.length > 0) {
        outcome.problems = problems.map((p) => p.slice(0, MAX_PROBLEM_CHARS)).slice(0, MAX_JOB_PROBLEMS);
        // Kept beside the result, so a replica taking the scan over (it reads the store, not the bus) sees them.
        await store.put(jobProblemsKey(job.scanId, job.jobId), JSON.stringify(outcome.problems), {
          contentType: 'application/json',
        });
      }
      const resultKey = jobResultKey(job.scanId, job.jobId);
      await store.put(resultKey, encodeFindings(findings), { contentType: 'application/x-ndjson' });
      await this.publishFindings(job, findings);
      outcome.resultKey = resultKey;
      outcome.findings = findings.length;
    } catch (error) {
      outcome.status = 'failed';
      outcome.error = (error as Error).message.slice(0, 4000);
      await store
        .put(jobFailureKey(job.scanId, job.jobId), JSON.stringify({ error: outcome.error }), {
          contentType: 'application/json',
        })
        .catch((e) =>
          this.options.log?.(`cannot record the failure of job ${job.jobId}: ${(e as Error).message}`),
        );
    } finally {
      clearInterval(heartbeat);
    }
    await bus.publish(subjects.progress(job.scanId), text(outcome));
    await received.ack();
  }
}
