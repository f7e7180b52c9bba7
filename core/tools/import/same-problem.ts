import type { Finding } from '../../model/index.js';

const DIGEST = /sha256:[0-9a-f]{64}/;

/**
 * What makes two findings from different scanners the same problem: for a vulnerability, the same
 * advisory (by id or CVE alias) in the same package@version of the same image (by digest when both
 * know it); for a control, the same rule on the same object or node (a container named by one tool and
 * not the other is still the same object). A finding has a key per advisory alias.
 */
export function sameProblemKeys(f: Finding): string[] {
  const r = f.resource;
  if (f.package) {
    const image = (r.image && DIGEST.exec(r.image)?.[0]) ?? r.image ?? r.name ?? '';
    const advisories = new Set([
      f.ruleId.replace(/^DEBIAN-|^UBUNTU-/, ''),
      ...f.references.filter((x) => x.kind === 'cve' || x.kind === 'ghsa').map((x) => x.id),
    ]);
    return [...advisories].map(
      (id) => `vuln\u0000${image}\u0000${f.package!.name}@${f.package!.version}\u0000${id}`,
    );
  }
  return [
    `control\u0000${f.ruleId}\u0000${r.cluster ?? ''}\u0000${r.namespace ?? ''}\u0000${r.kind ?? ''}\u0000${r.name ?? ''}\u0000${r.node ?? ''}\u0000${f.resource.file && f.scanner.startsWith('tool:') && f.ruleId.startsWith('tool:') ? f.resource.file : ''}`,
  ];
}

/**
 * Findings with duplicates merged: the first of each problem is kept (pass seco's own first), the
 * later ones add their references and their scanner's name to its evidence, so nothing they said is lost.
 */
export function dedupeFindings(findings: readonly Finding[]): { findings: Finding[]; merged: number } {
  const kept: Finding[] = [];
  const byKey = new Map<string, Finding>();
  let merged = 0;
  for (const finding of findings) {
    const keys = sameProblemKeys(finding);
    const first = keys.map((k) => byKey.get(k)).find(Boolean);
    if (!first) {
      const copy = { ...finding, references: [...finding.references] };
      kept.push(copy);
      for (const k of keys) byKey.set(k, copy);
      continue;
    }
    merged++;
    for (const ref of finding.references)
      if (!first.references.some((x) => x.id === ref.id)) first.references.push(ref);
    const also = `also reported by ${finding.scanner}`;
    if (finding.scanner !== first.scanner && !first.evidence?.includes(also))
      first.evidence = first.evidence ? `${first.evidence}; ${also}` : also;
    for (const k of keys) if (!byKey.has(k)) byKey.set(k, first);
  }
  return { findings: kept, merged };
}
