import { keyringCredentials, readPullSecret } from '../core/image/pull-secret-credentials.js';
import type { Credentials } from '../core/image/source/docker-config.js';
import { type ImageReference, parseReference } from '../core/image/source/reference.js';
import type { KubeView } from '../core/kube/kube-view.js';
import type { KubeObject } from '../core/kube/types.js';
import type { InputProblem } from '../core/model/index.js';
import { type Job, MAX_JOB_CREDENTIALS, RegistryCredential } from '../core/protocol/index.js';
import type { PlannedJob } from './job-planner.js';

type ImageJob = Extract<Job, { kind: 'image' }>;
type SecretRef = NonNullable<ImageJob['pullSecrets']>[number];

export interface CredentialedJobs {
  planned: PlannedJob[];
  /** One warning per pull secret that could not be used (missing, unreadable, malformed). */
  problems: InputProblem[];
}

/**
 * Gives each job that pulls an image (image jobs, image tools jobs) the credentials of its pods' imagePullSecrets that match the image's registry
 * (kubelet keyring order, at most MAX_JOB_CREDENTIALS). The aggregator reads the Secrets because agents
 * have no API token (docs/decisions.md). A secret that is missing or malformed leaves the job to pull
 * without it and becomes a warning naming the secret — never its contents.
 */
export async function withPullCredentials(
  kube: KubeView,
  planned: readonly PlannedJob[],
): Promise<CredentialedJobs> {
  const secrets = new Map<string, Promise<KubeObject | Error | undefined>>();
  const read = (ref: SecretRef) => {
    const key = `${ref.namespace}/${ref.name}`;
    if (!secrets.has(key))
      secrets.set(
        key,
        kube.get('Secret', ref.namespace, ref.name).catch((error: unknown) => error as Error),
      );
    return secrets.get(key)!;
  };
  const problems = new Map<string, InputProblem>();
  const out: PlannedJob[] = [];
  for (const p of planned) {
    const job = p.job;
    if ((job.kind !== 'image' && job.kind !== 'tools') || !job.image || !job.pullSecrets?.length) {
      out.push(p);
      continue;
    }
    const credentials = await jobCredentials({ ...job, image: job.image }, read, (problem) =>
      problems.set(`${problem.source}\n${problem.message}`, problem),
    );
    out.push(credentials.length > 0 ? { ...p, job: { ...job, credentials } } : p);
  }
  return { planned: out, problems: [...problems.values()] };
}

/**
 * One image job's credentials, read when its agent asks for its ticket (aggregator/job-tickets.ts): the
 * Secrets are read then, so the credentials are as current as the cluster's and never rest on the bus.
 */
export async function imageJobCredentials(
  kube: KubeView,
  job: Pick<ImageJob, 'image' | 'pullSecrets'>,
  warn: (problem: InputProblem) => void = () => undefined,
): Promise<RegistryCredential[]> {
  const read = (ref: SecretRef) =>
    kube.get('Secret', ref.namespace, ref.name).catch((error: unknown) => error as Error);
  return jobCredentials(job, read, warn);
}

async function jobCredentials(
  job: Pick<ImageJob, 'image' | 'pullSecrets'>,
  read: (ref: SecretRef) => Promise<KubeObject | Error | undefined>,
  warn: (problem: InputProblem) => void,
): Promise<RegistryCredential[]> {
  let image: ImageReference;
  try {
    image = parseReference(job.image);
  } catch {
    return []; // the agent reports the unparsable reference itself
  }
  const found: RegistryCredential[] = [];
  for (const ref of job.pullSecrets ?? []) {
    const source = `secret ${ref.namespace}/${ref.name}`;
    const unused = (why: string) =>
      warn({
        kind: 'warning',
        source,
        message: `imagePullSecret of ${job.image} ${why}: the image is pulled without it`,
      });
    const secret = await read(ref);
    if (secret instanceof Error) {
      unused(`cannot be read (${secret.message.slice(0, 300)})`);
      continue;
    }
    if (!secret) {
      unused('does not exist');
      continue;
    }
    let matched: Credentials[];
    try {
      // readPullSecret throws on a wrong type, which pullSecretCredentials would skip silently.
      matched = keyringCredentials(readPullSecret(secret), image);
    } catch (error) {
      unused(`is malformed (${withoutContents((error as Error).message)})`);
      continue;
    }
    for (const credentials of matched) {
      const wire = RegistryCredential.safeParse({ registry: image.registry, ...credentials });
      if (!wire.success) unused('holds credentials over the size a job may carry');
      else if (!found.some((c) => JSON.stringify(c) === JSON.stringify(wire.data))) found.push(wire.data);
    }
  }
  return found.slice(0, MAX_JOB_CREDENTIALS);
}

/** JSON.parse's message quotes the text it choked on — here a Secret's value — so it is cut off. */
function withoutContents(message: string): string {
  return message.replace(/ is not valid JSON \(.*$/s, ' is not valid JSON');
}
