import { CONFIG_CHECKS } from '../config/registry.js';
import { WORKLOAD_KINDS } from '../kube/pod-template.js';
import type { ComplianceView, ControlResult, Finding, Report, ReportResource } from '../model/index.js';
import type { FrameworkFile } from './framework-file.js';

const keyOf = (r: { namespace?: string; kind?: string; name?: string }) =>
  `${r.namespace ? `${r.namespace}/` : ''}${r.kind ?? ''}/${r.name ?? ''}`;

/** The kinds a check looks at: workloads for pod checks, its kinds for object checks. */
function kindsOf(checkIds: readonly string[]): Set<string> {
  const kinds = new Set<string>();
  for (const id of checkIds) {
    const check = CONFIG_CHECKS.find((c) => c.id === id);
    if (!check) continue;
    for (const kind of check.target === 'pod' ? WORKLOAD_KINDS : check.kinds) kinds.add(kind);
  }
  return kinds;
}

function controlResult(
  control: FrameworkFile['controls'][number],
  resources: readonly ReportResource[],
  findings: readonly Finding[],
): ControlResult {
  const kinds = kindsOf(control.checks);
  const relevant = new Set(resources.filter((r) => kinds.has(r.kind)).map(keyOf));
  const evidence = control.evidence ? new RegExp(control.evidence) : undefined;
  const affected = new Set<string>();
  for (const f of findings) {
    // Suppressed findings are accepted exceptions: they do not fail the control (Kubescape's exceptions).
    if (f.status !== 'open' || !control.checks.includes(f.ruleId)) continue;
    if (evidence && !evidence.test(f.evidence ?? '')) continue;
    const key = keyOf(f.resource);
    affected.add(key);
    relevant.add(key);
  }
  const status = affected.size > 0 ? 'fail' : relevant.size > 0 ? 'pass' : 'not-applicable';
  return {
    id: control.id,
    title: control.title,
    status,
    resources: relevant.size,
    failed: affected.size,
    affected: [...affected].sort(),
    checks: [...control.checks],
  };
}

/**
 * A framework's view of a report: one row per control (pass, fail, or not applicable when the input
 * has nothing the control judges) with the resources that fail it, and a score — the mean over the
 * applicable controls of the share of their resources that pass, as Kubescape computes its
 * compliance score.
 */
export function complianceView(framework: FrameworkFile, report: Report): ComplianceView {
  const controls = framework.controls.map((c) => controlResult(c, report.resources, report.findings));
  const applicable = controls.filter((c) => c.status !== 'not-applicable');
  const shares = applicable.map((c) => (c.resources - c.failed) / c.resources);
  const score = shares.length === 0 ? 100 : (shares.reduce((a, b) => a + b, 0) / shares.length) * 100;
  return {
    framework: framework.framework,
    title: framework.title,
    score: Math.round(score * 100) / 100,
    controls,
  };
}
