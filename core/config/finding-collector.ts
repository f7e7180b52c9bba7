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
  /** Every finding, in the order first seen. */
  private readonly all: Finding[] = [];
  /**
   * Each resource's findings, by resource identity (namespace, kind, name: the fingerprint's parts
   * that vary between objects in one scan), so a resource given twice merges into the same findings.
   * A resource's few findings are searched in a list (rule, container) rather than held in maps:
   * maps per resource and container, or one scan-wide map of ids, cost more to fill than the lists
   * cost to search (a map of 215,000 ids took 100–170 ms to fill, bench:config).
   */
  private readonly byResource = new Map<string, ResourceFindings>();
  private readonly merged = new Map<Finding, Merged>();
  private readonly strings = new StringPool();
  private readonly paths = new PathPool();
  private current: ResourceFindings | undefined;
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
    const key = identityOf(source.object);
    let current = this.byResource.get(key);
    if (!current) {
      current = new ResourceFindings();
      this.byResource.set(key, current);
    }
    this.current = current;
  }

  add(meta: FindingMeta, violation: Violation): void {
    const source = this.source;
    const current = this.current;
    if (!source || !current) throw new Error('FindingCollector.add before startObject');
    // resourceOf() leaves an empty container name out: '' is "no container" here too.
    const container = violation.container || undefined;
    const seen = current.find(meta.id, container);
    if (seen) {
      this.merge(seen, meta, violation);
      return;
    }
    const line = source.locate ? source.locate(violation.path) : source.line;
    const resource = this.resourceOf(source, violation, line);
    const id = fingerprint(meta.id, resource); // one flat string (fingerprint.ts)
    const finding = this.makeFinding(meta, violation, source, resource, id);
    current.add(finding, meta.id, container);
    this.all.push(finding);
  }

  /** Every finding, with merged evidence joined. */
  findings(): Finding[] {
    for (const { finding, pieces } of this.merged.values())
      finding.evidence = this.strings.intern(pieces.join('; '));
    this.merged.clear();
    return [...this.all];
  }

  private resourceOf(source: FindingSource, violation: Violation, line: number | undefined): ResourceRef {
    const meta = source.object.metadata;
    const kind = source.object.kind;
    const namespace = meta?.namespace;
    const name = typeof meta?.name === 'string' ? meta.name : '(unnamed)';
    const container = violation.container;
    const file = source.file;
    // The usual finding of a local scan (a namespaced object read from a file, with a line) as one
    // literal: its fields in the object itself, where adding them one by one to `{}` put the ones past
    // the fourth in a second allocation. Same fields, same order as below.
    if (!this.options.cluster && typeof namespace === 'string' && file && line)
      return container
        ? { namespace, kind, name, container, file, line }
        : { namespace, kind, name, file, line };
    const resource: ResourceRef = {};
    if (this.options.cluster) resource.cluster = this.options.cluster;
    if (typeof namespace === 'string') resource.namespace = namespace;
    resource.kind = kind;
    resource.name = name;
    if (container) resource.container = container;
    if (file) resource.file = file;
    if (line) resource.line = line;
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

/** namespace, kind and name as the fingerprint reads them (resourceOf): '' for what is not there. */
function identityOf(object: KubeObject): string {
  const meta = object.metadata;
  const namespace = typeof meta?.namespace === 'string' ? meta.namespace : '';
  const name = typeof meta?.name === 'string' ? meta.name : '(unnamed)';
  return `${namespace}\u0000${object.kind ?? ''}\u0000${name}`;
}

// Past this many findings a resource's list is indexed: hostile input (a pod with thousands of
// containers) must not make each violation search thousands of findings.
const LIST_LIMIT = 128;

/** One resource's findings, found by rule and container. */
class ResourceFindings {
  private readonly list: Finding[] = [];
  private index: Map<string, Finding> | undefined;

  find(ruleId: string, container: string | undefined): Finding | undefined {
    if (this.index) return this.index.get(indexKey(ruleId, container));
    for (const finding of this.list)
      if (finding.ruleId === ruleId && finding.resource.container === container) return finding;
    return undefined;
  }

  add(finding: Finding, ruleId: string, container: string | undefined): void {
    if (this.index) {
      this.index.set(indexKey(ruleId, container), finding);
      return;
    }
    this.list.push(finding);
    if (this.list.length <= LIST_LIMIT) return;
    this.index = new Map();
    for (const f of this.list) this.index.set(indexKey(f.ruleId, f.resource.container), f);
    this.list.length = 0;
  }
}

function indexKey(ruleId: string, container: string | undefined): string {
  return `${container ?? ''}\u0000${ruleId}`;
}

function fragmentsOf(evidence: string): string[] {
  return evidence.includes('; ') ? evidence.split('; ') : [evidence];
}
