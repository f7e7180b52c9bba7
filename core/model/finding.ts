import { z } from 'zod';
import { Severity } from './severity.js';

export const Scanner = z.union([
  z.enum(['config', 'image', 'host', 'runtime']),
  z.string().regex(/^tool:[a-z0-9-]+$/),
]);
export type Scanner = z.infer<typeof Scanner>;

/** Where a problem was found. Only the fields that identify it are set. */
export const ResourceRef = z.object({
  cluster: z.string().optional(),
  namespace: z.string().optional(),
  kind: z.string().optional(),
  name: z.string().optional(),
  container: z.string().optional(),
  node: z.string().optional(),
  /** Image reference, with `@sha256:` digest when known. */
  image: z.string().optional(),
  /** Source file and 1-based line when the resource came from a file. */
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
});
export type ResourceRef = z.infer<typeof ResourceRef>;

export const ReferenceKind = z.enum(['cve', 'ghsa', 'osv', 'cis', 'pss', 'nsa', 'mitre', 'url', 'other']);
export const Reference = z.object({ kind: ReferenceKind, id: z.string(), url: z.string().optional() });
export type Reference = z.infer<typeof Reference>;

export const Cvss = z.object({
  version: z.enum(['2.0', '3.0', '3.1', '4.0']),
  vector: z.string(),
  score: z.number().min(0).max(10),
});

export const Suppression = z.object({
  source: z.enum(['annotation', 'ignore-file']),
  reason: z.string(),
});
export type Suppression = z.infer<typeof Suppression>;

export const FindingStatus = z.enum(['open', 'suppressed']);

/** One process of a runtime event's process tree. */
export const ProcessNode = z.object({
  pid: z.number().int().nonnegative().optional(),
  name: z.string().max(256).optional(),
  exe: z.string().max(4096).optional(),
  cmdline: z.string().max(4096).optional(),
  uid: z.number().int().nonnegative().optional(),
});
export type ProcessNode = z.infer<typeof ProcessNode>;

/**
 * The process a runtime event is about and its ancestors, nearest first (the parent, then its parent),
 * so `watch` can draw the tree. Evidence says the same in one line; this is the structured form.
 */
export const ProcessTree = ProcessNode.extend({
  ancestors: z.array(ProcessNode).max(16).optional(),
});
export type ProcessTree = z.infer<typeof ProcessTree>;

export const Finding = z.object({
  /** Stable fingerprint: the same rule on the same resource (and package@version) is one finding. */
  id: z.string().regex(/^[0-9a-f]{16}$/),
  scanner: Scanner,
  ruleId: z.string().min(1),
  title: z.string().min(1),
  severity: Severity,
  cvss: Cvss.optional(),
  resource: ResourceRef,
  /** JSON-ish path inside the resource where the problem is, e.g. `spec.containers[0].securityContext`. */
  path: z.string().optional(),
  /** What was seen. Secrets are masked before they get here. */
  evidence: z.string().optional(),
  description: z.string().optional(),
  remediation: z.string().optional(),
  references: z.array(Reference),
  /** Package coordinates for image findings. */
  package: z
    .object({ name: z.string(), version: z.string(), fixedVersion: z.string().optional() })
    .optional(),
  /** Runtime events: the process and its ancestors (scanner `runtime`, `tool:falco`). */
  process: ProcessTree.optional(),
  firstSeen: z.string().datetime(),
  lastSeen: z.string().datetime(),
  status: FindingStatus,
  suppression: Suppression.optional(),
});
export type Finding = z.infer<typeof Finding>;
