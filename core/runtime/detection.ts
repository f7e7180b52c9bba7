import { mitre } from '../config/checks/references.js';
import { type Finding, fingerprint, type ResourceRef, type Severity } from '../model/index.js';
import type { EventSource } from './process-info.js';

/** One rule match on this node, as the watcher emits it (and `runtime -o json` prints it). */
export interface Detection {
  ruleId: string;
  severity: Severity;
  description: string;
  /** The rule's output template, filled in. */
  output: string;
  time: string;
  /** What saw the process: the eBPF sensor, the kernel connector, the /proc poller, a snapshot or the socket poller. */
  source: EventSource | 'socket-poll';
  /** Milliseconds from the kernel's report (or the poller's look) to the detection. */
  latencyMs: number;
  node: string;
  cluster?: string;
  container?: { id: string; runtime: string; name?: string; image?: string };
  pod?: { namespace: string; name: string; uid: string };
  process: {
    pid: number;
    ppid: number;
    name: string;
    exe: string;
    cmdline: string;
    uid: number;
    parent?: string;
    /** The parent as read at exec time (container processes only). */
    parentProcess?: { pid: number; name: string; exe: string; cmdline: string };
  };
  /** The event beyond its process: its type and, from the eBPF sensor, the file or the socket's addresses. */
  event?: {
    type: string;
    file?: string;
    write?: boolean;
    /** `address:port` (`[v6]:port`) of the peer: a connect's destination, a reverse shell's listener. */
    remote?: string;
    local?: string;
    ancestors?: string[];
  };
  mitre: string[];
  references: string[];
  remediation?: string;
  /** Same detections held back by de-duplication or rate limiting since the last one of this key. */
  repeats: number;
}

/** The detection as a Finding (scanner `runtime`): the same rule on the same container is one finding. */
export function detectionToFinding(d: Detection): Finding {
  const resource: ResourceRef = d.pod
    ? {
        cluster: d.cluster,
        namespace: d.pod.namespace,
        kind: 'Pod',
        name: d.pod.name,
        container: d.container?.name,
        node: d.node,
        image: d.container?.image || undefined,
      }
    : d.container
      ? { cluster: d.cluster, kind: 'Container', name: d.container.id.slice(0, 12), node: d.node }
      : { cluster: d.cluster, kind: 'Node', name: d.node, node: d.node };
  const clean = Object.fromEntries(
    Object.entries(resource).filter(([, v]) => v !== undefined),
  ) as ResourceRef;
  return {
    id: fingerprint(d.ruleId, clean),
    scanner: 'runtime',
    ruleId: d.ruleId,
    title: d.description,
    severity: d.severity,
    resource: clean,
    evidence:
      `${d.output} [pid ${d.process.pid} exe ${d.process.exe || '?'} uid ${d.process.uid} via ${d.source}${
        d.repeats ? `, ${d.repeats} repeats held back` : ''
      }]`.slice(0, 4096),
    description: d.description,
    remediation: d.remediation,
    process: {
      pid: d.process.pid,
      name: d.process.name,
      exe: d.process.exe,
      cmdline: d.process.cmdline.slice(0, 4096),
      uid: d.process.uid,
      ancestors: d.process.parentProcess
        ? [{ ...d.process.parentProcess, cmdline: d.process.parentProcess.cmdline.slice(0, 4096) }]
        : d.process.ppid
          ? [{ pid: d.process.ppid, ...(d.process.parent ? { name: d.process.parent } : {}) }]
          : [],
    },
    references: [
      ...d.mitre.map(mitre),
      ...d.references.map((url) => ({ kind: 'url' as const, id: url, url })),
    ],
    firstSeen: d.time,
    lastSeen: d.time,
    status: 'open',
  };
}
