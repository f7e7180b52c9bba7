import type { PodTemplate } from '../kube/pod-template.js';
import type { KubeObject } from '../kube/types.js';
import { compareSeverity, type Finding, fingerprint, type ResourceRef } from '../model/index.js';
import type { ConfigCheck, Violation } from './check.js';
import type { ObjectPath } from './input/parse-manifests.js';
import { PathPool } from './path-pool.js';
import { StringPool } from './string-pool.js';
import type { Suppressor } from './suppression.js';

/** What a finding says about its rule: a check's metadata, or a policy violation's. */
export type FindingMeta = Pick<
  ConfigCheck,
  'id' | 'title' | 'severity' | 'description' | 'remediation' | 'references'
>;

/** The object a violation was seen on, with where it came from when it came from a file. */
export interface FindingSource {
  object: KubeObject;
  file?: string;
  line?: number;
  locate?(path: ObjectPath): number;
}

export interface FindingCollectorOptions {
  suppressor: Suppressor;
  cluster?: string;
  /** firstSeen/lastSeen of every finding: one string shared by all of them. */
  seenAt: string;
}

/** A finding seen more than once: the evidence pieces, joined with "; " when the scan finishes. */
interface Merged {
  finding: Finding;
  pieces: string[];
  /** Every "; "-separated fragment of the pieces: a piece already among them adds nothing. */
  fragments: Set<string>;
}

/**
 * Turns violations into findings, one per rule and resource (the same rule on the same resource is
 * one finding whose evidence lists every place it was seen). Kept compact because a large scan holds
 * hundreds of thousands until the report: the rule's texts and the seen-at time are shared strings,
 * and a violation that repeats a finding costs neither a new finding nor a longer evidence string
 * until the end (evidence pieces are joined once, in `findings()`).
 */
export class FindingCollector {
  /**
   * Every finding by its id, in the order first seen. The id hashes exactly the parts that make two
   * violations one finding — rule, namespace, kind, name and container (cluster, node and image do not
   * vary in a config scan) — so a repeat, in one object or in a resource given twice, is the same key.
   * One map of ids where a map per resource and container held the same keys (17 MiB of 92 at the
   * end of bench:config's 10,000 workloads, all marked by every full collection).
   */
  private readonly byId = new Map<string, Finding>();
  /** Merged evidence, by finding. */
  private readonly merged = new Map<Finding, Merged>();
  private readonly strings = new StringPool();
  private readonly paths = new PathPool();
  private source: FindingSource | undefined;
  private pod: PodTemplate | undefined;
  /** Whether anything could suppress a finding on the current object (an ignore annotation or rule). */
  private suppressible = false;

  constructor(private readonly options: FindingCollectorOptions) {}

  /** Starts the violations of one object (and its pod template, for pod-level suppressions). */
  startObject(source: FindingSource, pod: PodTemplate | undefined): void {
    this.source = source;
    this.pod = pod;
    this.suppressible = this.options.suppressor.mayApply(source.object, pod?.metadata.annotations);
  }

  add(meta: FindingMeta, violation: Violation): void {
    const source = this.source;
    if (!source) throw new Error('FindingCollector.add before startObject');
    const resource = this.resourceOf(source, violation);
    const id = fingerprint(meta.id, resource); // one flat string (fingerprint.ts)
    let key = id;
    let seen = this.byId.get(key);
    if (seen && !sameFinding(seen, meta.id, resource)) {
      // Two identities with one 64-bit id: kept apart, the second under its identity spelled out
      // (never 16 hex digits, so never another finding's id).
      key = `${meta.id}\u0000${resource.namespace ?? ''}\u0000${String(resource.kind ?? '')}\u0000${resource.name}\u0000${resource.container ?? ''}`;
      seen = this.byId.get(key);
    }
    if (seen) {
      this.merge(seen, meta, violation);
      return;
    }
    const line = source.locate ? source.locate(violation.path) : source.line;
    if (line) resource.line = line;
    this.byId.set(key, this.makeFinding(meta, violation, source, resource, id));
  }

  /** Every finding, with merged evidence joined. */
  findings(): Finding[] {
    for (const { finding, pieces } of this.merged.values())
      finding.evidence = this.strings.intern(pieces.join('; '));
    this.merged.clear();
    return [...this.byId.values()];
  }

  private resourceOf(source: FindingSource, violation: Violation): ResourceRef {
    // Built field by field rather than with spreads: this runs once per violation on the hot path.
    const meta = source.object.metadata;
    const resource: ResourceRef = {};
    if (this.options.cluster) resource.cluster = this.options.cluster;
    if (typeof meta?.namespace === 'string') resource.namespace = meta.namespace;
    resource.kind = source.object.kind;
    resource.name = typeof meta?.name === 'string' ? meta.name : '(unnamed)';
    if (violation.container) resource.container = violation.container;
    if (source.file) resource.file = source.file;
    return resource;
  }

  private makeFinding(
    meta: FindingMeta,
    violation: Violation,
    source: FindingSource,
    resource: ResourceRef,
    id: string,
  ): Finding {
    const suppression = this.suppressible
      ? this.options.suppressor.suppression({
          checkId: meta.id,
          object: source.object,
          podAnnotations: this.pod?.metadata.annotations,
        })
      : undefined;
    const finding: Finding = {
      id,
      scanner: 'config',
      ruleId: meta.id,
      title: meta.title,
      severity: violation.severity ?? meta.severity,
      resource,
      path: this.paths.format(violation.path),
      evidence: this.strings.intern(violation.evidence),
      description: meta.description,
      remediation: meta.remediation,
      references: meta.references,
      firstSeen: this.options.seenAt,
      lastSeen: this.options.seenAt,
      status: suppression ? 'suppressed' : 'open',
    };
    if (suppression) finding.suppression = suppression;
    return finding;
  }

  /** One finding per rule and resource: it weighs as much as its worst violation, and lists each evidence once. */
  private merge(existing: Finding, meta: FindingMeta, violation: Violation): void {
    const severity = violation.severity ?? meta.severity;
    if (compareSeverity(existing.severity, severity) > 0) existing.severity = severity;
    const evidence = violation.evidence;
    if (!evidence) return;
    let merged = this.merged.get(existing);
    if (!merged) {
      if (!existing.evidence) {
        existing.evidence = this.strings.intern(evidence);
        return;
      }
      if (existing.evidence === evidence) return;
      merged = {
        finding: existing,
        pieces: [existing.evidence],
        fragments: new Set(fragmentsOf(existing.evidence)),
      };
      this.merged.set(existing, merged);
    }
    if (merged.fragments.has(evidence)) return;
    merged.pieces.push(evidence);
    for (const fragment of fragmentsOf(evidence)) merged.fragments.add(fragment);
  }
}

/** Whether `finding` is the one of rule `ruleId` on `resource`: the parts fingerprint() hashes that vary in a config scan. */
function sameFinding(finding: Finding, ruleId: string, resource: ResourceRef): boolean {
  const seen = finding.resource;
  return (
    finding.ruleId === ruleId &&
    seen.namespace === resource.namespace &&
    String(seen.kind ?? '') === String(resource.kind ?? '') &&
    seen.name === resource.name &&
    seen.container === resource.container
  );
}

function fragmentsOf(evidence: string): string[] {
  return evidence.includes('; ') ? evidence.split('; ') : [evidence];
}
