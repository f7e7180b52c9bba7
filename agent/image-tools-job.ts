import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuditSink, auditToStream } from '../core/exec/audit-log.js';
import { SecureExecutor } from '../core/exec/executor.js';
import type { Finding } from '../core/model/index.js';
import type { Job } from '../core/protocol/index.js';
import type { ObjectStore } from '../core/store/object-store.js';
import { writeImageFiles } from '../core/tools/image-filesystem.js';
import { installedTools } from '../core/tools/installed-tools.js';
import { adapterNamed } from '../core/tools/registry.js';
import { runTool } from '../core/tools/run-tool.js';
import type { ToolAdapter, ToolInputs } from '../core/tools/tool-adapter.js';
import { fetchToolData } from '../core/tools/tool-data-store.js';
import { type ImageJobContext, type JobResult, referenceOf, withPulledImage } from './image-job.js';
import type { JobWatch } from './job-watch.js';

type ToolsJob = Extract<Job, { kind: 'tools' }>;

export interface ImageToolsContext extends Pick<ImageJobContext, 'insecureRegistries' | 'platform'> {
  node: string;
  cluster?: string;
  store?: ObjectStore;
  toolAudit?: AuditSink;
  /** Where the store's tool data (ClamAV signatures, YARA rules) is cached per revision (default under tmp). */
  toolDataCache?: string;
  /** Where an image's files are written for the scanners, each job in a private directory (default tmp). */
  scratchParent?: string;
  /** Stores one raw output of a tool beside the job's results. */
  keepRaw: (tool: string, name: string, body: Buffer | string) => Promise<void>;
}

/**
 * An image tools job on the node's tools runner: the image pulled as the image job's agent pulls it (the
 * pods' pull credentials, opened from this job's ticket), its final regular files written to a private
 * directory as the layers stream (core/tools/image-filesystem.ts), and the file scanners run on them
 * through the secure executor with the signatures and rules published to the object store
 * (`kubectl seco tools data publish`, fetched by digest: tool-data-store.ts). A scanner with no data says
 * so (clamscan without signatures fails: never a silent "clean").
 */
export async function runImageToolsJob(
  job: ToolsJob & { image: string },
  context: ImageToolsContext,
  now: Date,
  watch?: JobWatch,
): Promise<JobResult> {
  const problems: string[] = [];
  const adapters = job.tools.flatMap((name): ToolAdapter[] => {
    const adapter = adapterNamed(name);
    if (adapter?.place === 'image') return [adapter];
    problems.push(`tool ${name}: not an image tool`);
    return [];
  });
  const executor = new SecureExecutor({
    tools: await installedTools(adapters),
    audit: context.toolAudit ?? auditToStream(process.stderr),
  });
  const runnable = adapters.filter((adapter) => {
    if (executor.allowed(adapter.binary.name)) return true;
    problems.push(`tool ${adapter.name} is not installed on node ${context.node}`);
    return false;
  });
  if (runnable.length === 0) return { findings: [], problems };
  const inputs = await toolData(context, problems);
  const reference = referenceOf(job);
  const root = await mkdtemp(join(context.scratchParent ?? tmpdir(), 'seco-image-files-'));
  try {
    const { image, written } = await withPulledImage(
      job,
      reference,
      context,
      watch,
      async (source, platform) => {
        const resolved = await source.resolve(platform);
        return {
          image: `${resolved.reference}@${resolved.digest}`,
          written: await writeImageFiles(resolved, { root }),
        };
      },
    );
    problems.push(...written.problems.map((p) => `${reference} ${p.source}: ${p.message}`));
    const findings: Finding[] = [];
    for (const adapter of runnable) {
      const target = {
        place: 'image' as const,
        root,
        image,
        ...(context.cluster ? { cluster: context.cluster } : {}),
      };
      const output = await runTool(adapter, target, {
        executor,
        now,
        inputs,
        ...(watch ? { signal: watch.signal } : {}),
      });
      watch?.progress();
      findings.push(...output.findings);
      problems.push(...output.problems.map((p) => `${reference}: ${p}`));
      for (const raw of output.raw) await context.keepRaw(adapter.name, raw.name, raw.body);
    }
    return { findings, problems };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** The published signatures and rules, as the adapters take them; none published is a problem, not a stop. */
async function toolData(
  context: ImageToolsContext,
  problems: string[],
): Promise<Omit<ToolInputs, 'scratch'>> {
  if (!context.store) return {};
  try {
    const data = await fetchToolData(
      context.store,
      context.toolDataCache ?? join(tmpdir(), 'seco-tool-data'),
    );
    if (!data) {
      problems.push(
        'no tool data is published (kubectl seco tools data publish): the scanners ran without signatures or rules',
      );
      return {};
    }
    return {
      ...(data.clamavDatabase ? { clamavDatabase: data.clamavDatabase } : {}),
      ...(data.yaraRules ? { yaraRules: data.yaraRules } : {}),
    };
  } catch (error) {
    problems.push(`tool data not fetched from the store: ${(error as Error).message}`);
    return {};
  }
}
