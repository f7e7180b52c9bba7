import type { Finding } from '../core/model/index.js';
import { fingerprint } from '../core/model/index.js';
import type { Job } from '../core/protocol/index.js';
import { containerFromCgroup } from '../core/runtime/cgroup-container.js';
import { detectionToFinding } from '../core/runtime/detection.js';
import { bareContainerId } from '../core/runtime/pod-index.js';
import { toProcessInfo } from '../core/runtime/proc-parse.js';
import { listPids, readCgroup, readFdTargets, readRawProc } from '../core/runtime/proc-reader.js';
import type { ProcessInfo } from '../core/runtime/process-info.js';
import { RuleEngine } from '../core/runtime/rule-engine.js';
import { loadRuleSet } from '../core/runtime/rule-file.js';
import { ruleInput } from '../core/runtime/rule-input.js';
import { builtinRuntimeRulesDir } from '../core/runtime/rules-dir.js';
import { classifyStdioSockets } from '../core/runtime/stdio-sockets.js';
import type { JobWatch } from './job-watch.js';
import { detectionsFor } from './runtime-history.js';

type RuntimeJob = Extract<Job, { kind: 'runtime' }>;

/**
 * A runtime snapshot of some containers: each current process as an info finding, the rules evaluated on
 * them now, and the watcher's detections for those containers since they started.
 */
export async function runtimeSnapshot(
  job: RuntimeJob,
  procRoot: string,
  cluster?: string,
  watch?: JobWatch,
): Promise<Finding[]> {
  const wanted = new Map(job.containers.map((c) => [bareContainerId(c.containerId), c]));
  const engine = new RuleEngine(await loadRuleSet([builtinRuntimeRulesDir()]));
  const now = new Date().toISOString();
  const findings = new Map<string, Finding>();
  for (const pid of await listPids(procRoot)) {
    // Each process looked at is a step: a /proc that stops answering ends the job at its limit.
    watch?.signal.throwIfAborted();
    watch?.progress();
    // The cgroup alone says whether the process is wanted: only those are read in full.
    const container = containerFromCgroup(await readCgroup(procRoot, pid));
    const target = container && wanted.get(container.id);
    if (!container || !target) continue;
    const raw = await readRawProc(procRoot, pid);
    const proc = toProcessInfo(pid, raw);
    if (!proc) continue;
    proc.stdio = await classifyStdioSockets(procRoot, pid, raw, proc.stdio);
    const resource = {
      cluster,
      namespace: target.namespace,
      kind: 'Pod',
      name: target.pod,
      container: target.name,
      node: job.node,
    };
    const clean = Object.fromEntries(Object.entries(resource).filter(([, v]) => v !== undefined));
    const process = processFinding(proc, clean, now);
    findings.set(process.id, process);
    const input = ruleInput({
      type: 'snapshot',
      source: 'snapshot',
      node: job.node,
      proc,
      container,
      fds: await readFdTargets(procRoot, pid),
    });
    for (const m of engine.evaluate(input)) {
      const f: Finding = {
        id: fingerprint(m.rule.id, clean),
        scanner: 'runtime',
        ruleId: m.rule.id,
        title: m.rule.description,
        severity: m.rule.severity,
        resource: clean,
        evidence: `${m.output} [pid ${proc.pid}, seen in snapshot]`,
        references: m.rule.mitre.map((id) => ({ kind: 'mitre' as const, id })),
        firstSeen: now,
        lastSeen: now,
        status: 'open',
      };
      findings.set(f.id, f);
    }
  }
  for (const id of wanted.keys())
    for (const d of detectionsFor(id)) {
      const f = detectionToFinding(d);
      findings.set(f.id, f);
    }
  return [...findings.values()];
}

/** A running process, as an info finding: the snapshot's inventory. One per container and executable. */
function processFinding(proc: ProcessInfo, resource: Record<string, unknown>, now: string): Finding {
  return {
    id: fingerprint('runtime-process', resource, { name: proc.exe || proc.name, version: '' }),
    scanner: 'runtime',
    ruleId: 'runtime-process',
    title: `process ${proc.name} running`,
    severity: 'info',
    resource,
    evidence: `pid ${proc.pid} uid ${proc.uid} exe ${proc.exe || '?'}: ${proc.cmdline}`.slice(0, 4096),
    references: [],
    firstSeen: now,
    lastSeen: now,
    status: 'open',
  };
}
