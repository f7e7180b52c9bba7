import { SSHD_CHECK_IDS } from '../host/checks/sshd.js';
import { SYSCTL_CHECK_IDS } from '../host/checks/sysctls.js';
import type { Finding } from '../model/index.js';

/**
 * rkhunter's sshd checks (adapters/rkhunter.ts ids) and the sshd_config keyword each one judges. Its
 * protocol-1 check has no seco counterpart (OpenSSH removed protocol 1 in 7.4), so it stays a tool finding.
 */
const RKHUNTER_SSHD: Readonly<Record<string, string>> = {
  'ssh-root-access-is-allowed': 'permitrootlogin',
};

/**
 * seco's own host check that names the same control as a tool finding, if any: lynis's per-setting
 * findings (`tool:lynis/KRNL-6000:<sysctl>`, `tool:lynis/SSH-7408:<option>`) map to seco's sysctl and
 * sshd checks by the setting's name; rkhunter's sshd checks by the keyword they judge.
 */
export function sameControl(finding: Finding): string | undefined {
  const rk = /^tool:rkhunter\/(.+)$/.exec(finding.ruleId)?.[1];
  if (rk) return RKHUNTER_SSHD[rk] ? SSHD_CHECK_IDS.get(RKHUNTER_SSHD[rk]) : undefined;
  const m = /^tool:lynis\/(KRNL-6000|SSH-7408):(.+)$/.exec(finding.ruleId);
  if (!m) return undefined;
  return m[1] === 'KRNL-6000' ? SYSCTL_CHECK_IDS.get(m[2]!) : SSHD_CHECK_IDS.get(m[2]!.toLowerCase());
}

/**
 * seco's host findings and the tools' for the same node(s), merged where they name the same control:
 * seco's finding stays (its id, severity and remediation), gains the tool's reference and what the
 * tool saw; the tool's duplicate goes. Tool findings on controls seco passed or has no check for stay
 * as they are, so a disagreement is visible.
 */
export function mergeHostFindings(seco: readonly Finding[], tools: readonly Finding[]): Finding[] {
  const merged = seco.map((f) => ({ ...f, references: [...f.references] }));
  const kept: Finding[] = [];
  for (const finding of tools) {
    const control = sameControl(finding);
    const own = control
      ? merged.find((f) => f.ruleId === control && f.resource.node === finding.resource.node)
      : undefined;
    if (!own) {
      kept.push(finding);
      continue;
    }
    for (const reference of finding.references)
      if (!own.references.some((r) => r.id === reference.id)) own.references.push(reference);
    const seen = `${finding.scanner}: ${finding.evidence ?? finding.title}`;
    if (!own.evidence?.includes(seen)) own.evidence = own.evidence ? `${own.evidence}; ${seen}` : seen;
  }
  return [...merged, ...kept];
}
