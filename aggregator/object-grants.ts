import type { PresignMethod } from '../core/store/object-store.js';
import { jobFailureKey, jobProblemsKey, jobResultKey } from '../core/store/scan-objects.js';
import type { JobRecord } from './scan-record.js';

const VULNDB_MANIFEST = 'vulndb/manifest.json';
const VULNDB_SHARD = /^vulndb\/shards\/sha256\/[0-9a-f]{64}\.ndjson\.gz$/;
const TOOLDATA_MANIFEST = 'tooldata/manifest.json';
const TOOLDATA_BLOB = /^tooldata\/blobs\/sha256\/[0-9a-f]{64}$/;
/** A key segment that is empty, `.` or `..`: never part of a key seco makes. */
const ODD_SEGMENT = /(^|\/)(\.{1,2})?(\/|$)/;
const SBOM = /^sbom\/sha256\/[0-9a-f]{64}\.cdx\.json$/;
const SBOM_ALIAS = /^sbom\/index\/sha256\/[0-9a-f]{64}\/[a-z0-9_-]{1,64}$/;

export interface GrantedJob {
  scanId: string;
  jobId: string;
  kind: JobRecord['kind'];
}

/**
 * Which object an agent may touch, and how (issue 11: "pre-signed URLs for exactly the objects the job
 * writes and reads"). Every job writes its own result, problems and failure record, nothing else of its
 * scan; an image job also reads the vuln DB (manifest and content-addressed shards, never written) and
 * reads and writes SBOMs by digest (and their index aliases) — the SBOM of a platform manifest is only
 * known once the image is pulled, so the digest cannot be fixed in advance (SECURITY.md says what that
 * leaves open). Outside a job, an agent may only read SBOMs (its runtime drift checks). Reports, summaries,
 * other jobs' results, listing and deleting are never granted. Returns why not, or undefined when allowed.
 */
export function refusedGrant(key: string, method: PresignMethod, job?: GrantedJob): string | undefined {
  const reads = method === 'GET' || method === 'HEAD';
  const sbom = SBOM.test(key);
  const alias = SBOM_ALIAS.test(key);
  if (!job) return reads && (sbom || alias) ? undefined : `${method} ${key} is not granted outside a job`;
  const own = [jobResultKey, jobProblemsKey, jobFailureKey].some((k) => k(job.scanId, job.jobId) === key);
  if (own) return method === 'PUT' ? undefined : `${key} is the job's to write, not to read`;
  if (job.kind === 'tools') return toolsJobGrant(key, method, job);
  if (job.kind !== 'image') return `a ${job.kind} job writes only its own results, not ${key}`;
  if (key === VULNDB_MANIFEST || VULNDB_SHARD.test(key))
    return reads ? undefined : `${key} is read-only for agents`;
  if (sbom || alias) return method === 'HEAD' && alias ? `HEAD ${key} is not needed` : undefined;
  return `an image job does not touch ${key}`;
}

/**
 * A tools job also writes its tools' raw outputs under its own prefix (`scans/<scanId>/tools/<jobId>/`,
 * agent/tools-job.ts toolRawKey) and reads the published ClamAV/YARA data (tool-data-store.ts), never
 * writes it.
 */
function toolsJobGrant(key: string, method: PresignMethod, job: GrantedJob): string | undefined {
  const reads = method === 'GET' || method === 'HEAD';
  if (key === TOOLDATA_MANIFEST || TOOLDATA_BLOB.test(key))
    return reads ? undefined : `${key} is read-only for agents`;
  const prefix = `scans/${job.scanId}/tools/${job.jobId}/`;
  if (key.startsWith(prefix) && !ODD_SEGMENT.test(key.slice(prefix.length)))
    return method === 'PUT' ? undefined : `${key} is the job's to write, not to read`;
  return `a tools job writes only its own results and raw tool outputs, not ${key}`;
}
