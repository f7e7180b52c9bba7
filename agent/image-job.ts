import { scanImageCached } from '../core/image/sbom-cache.js';
import { scanImage } from '../core/image/scan-image.js';
import type { Credentials } from '../core/image/source/docker-config.js';
import { hostPlatform } from '../core/image/source/host-platform.js';
import type { ImageSource, Platform } from '../core/image/source/image-source.js';
import { parseReference } from '../core/image/source/reference.js';
import { imageSource } from '../core/image/source/resolve-image.js';
import type { Finding } from '../core/model/index.js';
import type { Job } from '../core/protocol/index.js';
import type { ObjectStore } from '../core/store/object-store.js';
import type { VulnIndex } from '../core/vuln/vuln-db.js';
import type { VulnDbSource } from './agent-vuln-db.js';
import type { JobWatch } from './job-watch.js';
import { AGENT_VERSION } from './version.js';

type ImageJob = Extract<Job, { kind: 'image' }>;

export interface ImageJobContext {
  /** Where SBOMs are kept per digest: an image whose SBOM is stored is not pulled again. */
  store?: ObjectStore;
  /** The store's vuln DB, fetched at job start (agent-vuln-db.ts). */
  vulnDb?: VulnDbSource;
  /** A fixed index, used when no vulnDb is given. */
  vulnIndex?: VulnIndex;
  insecureRegistries?: readonly string[];
  /** What to pick from a multi-platform image: the node's own (default: this process's machine). */
  platform?: Platform;
}

// A registry refusing one login: the next matching pull secret is tried, as the kubelet does.
const REJECTED = /rejected the credentials|requires credentials/;

/** What a job that pulls an image says of it: an image job, or an image tools job (agent/image-tools-job.ts). */
export type PulledImage = Pick<ImageJob, 'image' | 'digest' | 'credentials'>;

/** The job's image by digest when known (what the pod runs), its tag otherwise. */
export function referenceOf(job: PulledImage): string {
  return job.digest ? `${job.image.replace(/@sha256:[0-9a-f]{64}$/, '')}@${job.digest}` : job.image;
}

/**
 * The job's credentials for its image's registry, in the order given; [undefined] means none (then a
 * docker config mounted into the agent, if any, is used, as before pull secrets were carried).
 */
function credentialsToTry(job: PulledImage, reference: string): Array<Credentials | undefined> {
  const registry = parseReference(reference).registry;
  const list = (job.credentials ?? [])
    .filter((c) => c.registry === registry)
    .map(({ registry: _, ...credentials }) => credentials);
  return list.length > 0 ? list : [undefined];
}

/** A job's findings, and what it could not do though it finished (said in the report as problems). */
export interface JobResult {
  findings: Finding[];
  problems: string[];
}

/**
 * Scans one image job: the stored SBOM when there is one, else a pull with the job's credentials. With
 * no usable vuln DB the image is still inventoried, and the result says it was not matched and why:
 * "not matched" must never read as "no vulnerabilities".
 */
export async function runImageJob(
  job: ImageJob,
  context: ImageJobContext,
  now: Date,
  watch?: JobWatch,
): Promise<JobResult> {
  const reference = referenceOf(job);
  const db = context.vulnDb ? await context.vulnDb.load(context.store) : undefined;
  const vulnIndex = db ? db.index : context.vulnIndex;
  const problems = db?.missing
    ? [`${reference} was inventoried but not matched against vulnerabilities: ${db.missing}`]
    : [];
  return { findings: await scanWithCredentials(job, reference, vulnIndex, context, now, watch), problems };
}

async function scanWithCredentials(
  job: ImageJob,
  reference: string,
  vulnIndex: VulnIndex | undefined,
  context: ImageJobContext,
  now: Date,
  watch: JobWatch | undefined,
): Promise<Finding[]> {
  return withPulledImage(job, reference, context, watch, async (source, platform) => {
    if (!context.store) return (await scanImage(await source.resolve(platform), vulnIndex, now)).findings;
    const result = await scanImageCached(source, platform, {
      store: context.store,
      ...(vulnIndex ? { vulnIndex } : {}),
      toolVersion: AGENT_VERSION,
      now,
    });
    return result.findings;
  });
}

/**
 * `use` over the job's image, pulled with each of its credentials for the registry in turn (the next one
 * when the registry rejects a login, as the kubelet does), for the node's platform.
 */
export async function withPulledImage<T>(
  job: PulledImage,
  reference: string,
  context: Pick<ImageJobContext, 'insecureRegistries' | 'platform'>,
  watch: JobWatch | undefined,
  use: (source: ImageSource, platform: Platform) => Promise<T>,
): Promise<T> {
  const attempts = credentialsToTry(job, reference);
  const platform = context.platform ?? hostPlatform();
  for (const [i, credentials] of attempts.entries()) {
    const source = await imageSource(reference, {
      insecureRegistries: context.insecureRegistries ?? [],
      ...(credentials ? { credentials } : {}),
      ...(watch ? { signal: watch.signal, onProgress: watch.progress } : {}),
    });
    try {
      return await use(source, platform);
    } catch (error) {
      if (i === attempts.length - 1 || !REJECTED.test((error as Error).message)) throw error;
    }
  }
  throw new Error(`no way to pull ${reference}`); // unreachable: attempts is never empty
}
