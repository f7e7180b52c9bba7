import { join } from 'node:path';
import { type CheckOutcome, type Finding, fingerprint, type ResourceRef } from '../model/index.js';
import { HOST_CHECKS } from './checks/index.js';
import { KUBELET_BOOLEAN_FLAGS } from './checks/kubelet.js';
import { readComponentSettings } from './component-settings.js';
import type { HostCheck, HostFacts } from './host-check.js';
import { HostRoot } from './host-root.js';

export interface HostScanOptions {
  /** Where the host's filesystem is mounted (the agent's `/host`; `/` for the machine itself). */
  hostRoot: string;
  /** Where the host's /proc is mounted; defaults to `<hostRoot>/proc`. */
  procRoot?: string;
  /** The node's name in findings; defaults to the host's /etc/hostname. */
  nodeName?: string;
  cluster?: string;
  checks?: readonly HostCheck[];
  now?: Date;
  /** Ends the scan between checks (a job's deadline or no-progress timeout). */
  signal?: AbortSignal;
  /** Told after each check: the scan's progress in steps. */
  onStep?: () => void;
}

export interface HostScanResult {
  node: string;
  findings: Finding[];
  outcomes: CheckOutcome[];
}

/** Runs the CIS node and OS checks against a mounted host root. Each check's failure is a finding. */
export async function scanHost(options: HostScanOptions): Promise<HostScanResult> {
  const host = new HostRoot(options.hostRoot);
  const procRoot = options.procRoot ?? join(options.hostRoot, 'proc');
  const facts: HostFacts = {
    host,
    procRoot,
    kubelet: await readComponentSettings(host, procRoot, {
      binary: 'kubelet',
      unitNames: ['kubelet.service'],
      booleanFlags: KUBELET_BOOLEAN_FLAGS,
      defaultConfigPath: '/var/lib/kubelet/config.yaml',
    }),
    proxy: await readComponentSettings(host, procRoot, {
      binary: 'kube-proxy',
      unitNames: ['kube-proxy.service'],
      booleanFlags: new Set(['masquerade-all']),
    }),
  };
  const node = options.nodeName ?? ((await host.readText('/etc/hostname'))?.trim() || 'localhost');
  const seen = (options.now ?? new Date()).toISOString();
  const findings: Finding[] = [];
  const outcomes: CheckOutcome[] = [];
  for (const check of options.checks ?? HOST_CHECKS) {
    options.signal?.throwIfAborted();
    const title = check.cis ? `${check.cis} ${check.title}` : check.title;
    let result: Awaited<ReturnType<HostCheck['evaluate']>>;
    try {
      result = await check.evaluate(facts);
    } catch (error) {
      // One unreadable file must not end the node's scan: record the check as failed to run.
      result = { status: 'fail', evidence: `check could not run: ${(error as Error).message}` };
    }
    outcomes.push({ id: check.id, title, status: result.status, reason: result.evidence });
    options.onStep?.();
    if (result.status !== 'fail') continue;
    const resource: ResourceRef = {
      ...(options.cluster ? { cluster: options.cluster } : {}),
      kind: 'Node',
      name: node,
      node,
      ...(result.file ? { file: result.file } : {}),
    };
    findings.push({
      id: fingerprint(check.id, resource),
      scanner: 'host',
      ruleId: check.id,
      title,
      severity: check.severity,
      resource,
      evidence: result.evidence,
      description: check.description,
      remediation: check.remediation,
      references: check.references,
      firstSeen: seen,
      lastSeen: seen,
      status: 'open',
    });
  }
  return { node, findings, outcomes };
}
