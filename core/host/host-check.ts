import type { Reference, Severity } from '../model/index.js';
import type { ComponentSettings } from './component-settings.js';
import type { HostRoot } from './host-root.js';

/** What the host checks read: the mounted host root, its /proc, and the node components' settings. */
export interface HostFacts {
  host: HostRoot;
  procRoot: string;
  kubelet: ComponentSettings;
  proxy: ComponentSettings;
}

export interface HostCheckResult {
  status: 'pass' | 'fail' | 'not-applicable';
  /** What was seen: the value and where it came from, or why the check does not apply. */
  evidence: string;
  /** The host file concerned, when there is one. */
  file?: string;
}

export interface HostCheck {
  /** Stable kebab-case id, what users put in suppressions. */
  id: string;
  /** The CIS Kubernetes Benchmark recommendation number (v1.10 numbering), or undefined for OS checks. */
  cis?: string;
  title: string;
  severity: Severity;
  description: string;
  remediation: string;
  references: Reference[];
  evaluate(facts: HostFacts): Promise<HostCheckResult>;
}

export const CIS_BENCHMARK_URL = 'https://www.cisecurity.org/benchmark/kubernetes';

export function cisReference(id: string): Reference {
  return { kind: 'cis', id, url: CIS_BENCHMARK_URL };
}
