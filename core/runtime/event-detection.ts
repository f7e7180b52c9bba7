import type { Detection } from './detection.js';
import type { ProcessInfo } from './process-info.js';
import type { RuleEngine } from './rule-engine.js';
import type { EventContext } from './rule-input.js';

/** What a watcher's detections need of its options. */
export interface DetectionOrigin {
  node: string;
  cluster?: string;
}

/** A rule's match on an event, as the detection the watcher hands on (core/runtime/detection.ts). */
export function toDetection(
  e: EventContext,
  match: ReturnType<RuleEngine['evaluate']>[number],
  seenAtMs: number,
  repeats: number,
  o: DetectionOrigin,
): Detection {
  const p: ProcessInfo = e.proc;
  return {
    ruleId: match.rule.id,
    severity: match.rule.severity,
    description: match.rule.description,
    output: match.output,
    time: new Date().toISOString(),
    source: e.source,
    latencyMs: Math.max(0, Date.now() - seenAtMs),
    node: o.node,
    ...(o.cluster ? { cluster: o.cluster } : {}),
    ...(e.container
      ? {
          container: {
            id: e.container.id,
            runtime: e.container.runtime,
            ...(e.pod ? { name: e.pod.container, image: e.pod.image } : {}),
          },
        }
      : {}),
    ...(e.pod ? { pod: { namespace: e.pod.namespace, name: e.pod.pod, uid: e.pod.podUid } } : {}),
    process: {
      pid: p.pid,
      ppid: p.ppid,
      name: p.name,
      exe: p.exe,
      cmdline: p.cmdline,
      uid: p.uid,
      ...(e.parent
        ? {
            parent: e.parent.name,
            parentProcess: {
              pid: e.parent.pid,
              name: e.parent.name,
              exe: e.parent.exe,
              cmdline: e.parent.cmdline,
            },
          }
        : {}),
    },
    event: eventSummary(e),
    mitre: match.rule.mitre,
    references: match.rule.references,
    ...(match.rule.remediation ? { remediation: match.rule.remediation } : {}),
    repeats,
  };
}

const hostPort = (a?: { address: string; port: number; family: string }) =>
  a?.address
    ? a.family === 'inet6' && a.address.includes(':')
      ? `[${a.address}]:${a.port}`
      : `${a.address}:${a.port}`
    : undefined;

function eventSummary(e: EventContext): NonNullable<Detection['event']> {
  const k = e.kernel;
  const remote = hostPort(k?.remote);
  const local = hostPort(k?.local);
  return {
    type: e.type,
    ...(k?.file ? { file: k.file.path, write: k.file.write } : {}),
    ...(remote ? { remote } : {}),
    ...(local ? { local } : {}),
    ...(k?.ancestors?.length ? { ancestors: k.ancestors } : {}),
  };
}
