import { maskSecretsIn } from '../../mask/index.js';
import {
  type Finding,
  fingerprint,
  type Reference,
  type ResourceRef,
  type Severity,
} from '../../model/index.js';
import { type Imported, type Importer, isObject, list, text } from './importer.js';
import { configControl } from './same-control.js';

const SEVERITY: Readonly<Record<string, Severity>> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MEDIUM: 'medium',
  LOW: 'low',
  UNKNOWN: 'info',
};

/**
 * Trivy's JSON report (`trivy image|fs|config --format json`, SchemaVersion 2: `ArtifactName`,
 * `Results[]` with `Vulnerabilities`, `Misconfigurations`, `Secrets`) and its Kubernetes report
 * (`trivy k8s --format json`: `ClusterName`, `Resources[]` each with `Namespace`, `Kind`, `Name`,
 * `Results[]`). A vulnerability's id is seco's fingerprint of advisory + image + package@version, a
 * misconfiguration on a control seco also checks takes seco's check id: either is then the same
 * finding as seco's own. Misconfigurations with `Status: PASS` are no finding.
 */
export const trivy: Importer = {
  tool: 'trivy',
  recognises: (json) =>
    isObject(json) &&
    (Array.isArray(json.Results) || Array.isArray(json.Resources)) &&
    ('SchemaVersion' in json || 'ArtifactName' in json || 'ClusterName' in json),
  read(json, { source, now }) {
    const doc = json as Record<string, unknown>;
    const out: Imported = {
      findings: [],
      problems: [],
      ...(text(doc.ArtifactName)
        ? { target: text(doc.ArtifactName)! }
        : text(doc.ClusterName)
          ? { target: text(doc.ClusterName)! }
          : {}),
    };
    const artifact = text(doc.ArtifactName, 1024);
    const isImage = doc.ArtifactType === 'container_image' || doc.ArtifactType === 'container_image_archive';
    const imageDigest = isObject(doc.Metadata) ? text(list(doc.Metadata.RepoDigests)[0], 1024) : undefined;
    const base: ResourceRef =
      isImage && artifact
        ? { kind: 'Image', name: artifact, image: imageDigest ?? artifact }
        : artifact
          ? { kind: 'Artifact', name: artifact }
          : {};
    readResults(list(doc.Results), base, `${source}: Results`, out, now);
    for (const [i, r] of list(doc.Resources).entries()) {
      if (!isObject(r)) {
        out.problems.push(`${source}: Resources[${i}] is not an object`);
        continue;
      }
      const resource: ResourceRef = {
        ...(text(doc.ClusterName) ? { cluster: text(doc.ClusterName)! } : {}),
        ...(text(r.Namespace) ? { namespace: text(r.Namespace)! } : {}),
        kind: text(r.Kind) ?? 'Unknown',
        name: text(r.Name) ?? '(unnamed)',
      };
      readResults(list(r.Results), resource, `${source}: Resources[${i}]`, out, now);
    }
    return out;
  },
};

function readResults(
  results: unknown[],
  resource: ResourceRef,
  where: string,
  out: Imported,
  now: Date,
): void {
  const seen = now.toISOString();
  const make = (f: Omit<Finding, 'firstSeen' | 'lastSeen' | 'status'>): Finding => ({
    ...f,
    firstSeen: seen,
    lastSeen: seen,
    status: 'open',
  });
  for (const [i, result] of results.entries()) {
    if (!isObject(result)) {
      out.problems.push(`${where}[${i}] is not an object`);
      continue;
    }
    const target = text(result.Target, 1024);
    for (const v of list(result.Vulnerabilities)) {
      const id = isObject(v) ? text(v.VulnerabilityID, 200) : undefined;
      const name = isObject(v) ? text(v.PkgName, 500) : undefined;
      const version = isObject(v) ? text(v.InstalledVersion, 200) : undefined;
      if (!isObject(v) || !id || !name || !version) {
        out.problems.push(
          `${where}[${i}]: a vulnerability without VulnerabilityID, PkgName or InstalledVersion`,
        );
        continue;
      }
      const fixed = text(v.FixedVersion, 200);
      const pkg = { name, version, ...(fixed ? { fixedVersion: fixed } : {}) };
      out.findings.push(
        make({
          id: fingerprint(id, resource, pkg),
          scanner: 'tool:trivy',
          ruleId: id,
          title: text(v.Title, 500) ?? `${id} in ${name}`,
          severity: SEVERITY[String(v.Severity)] ?? 'info',
          resource,
          evidence: `${name} ${version}${target ? ` (${target})` : ''}`,
          ...(text(v.Description) ? { description: text(v.Description)! } : {}),
          remediation: fixed ? `Upgrade ${name} to ${fixed} or later.` : 'No fixed version is known yet.',
          references: vulnReferences(id, v),
          package: pkg,
        }),
      );
    }
    for (const m of list(result.Misconfigurations)) {
      if (!isObject(m)) continue;
      if (m.Status === 'PASS' || m.Status === 'EXCEPTION') continue;
      const id = text(m.ID, 100) ?? text(m.AVDID, 100);
      if (!id) {
        out.problems.push(`${where}[${i}]: a misconfiguration without ID`);
        continue;
      }
      const control = configControl(id);
      const ruleId = control ?? `tool:trivy/${id}`;
      out.findings.push(
        make({
          id: fingerprint(ruleId, resource),
          scanner: 'tool:trivy',
          ruleId,
          title: text(m.Title, 500) ?? id,
          severity: SEVERITY[String(m.Severity)] ?? 'info',
          resource,
          ...(text(m.Message) ? { evidence: maskSecretsIn(text(m.Message)!) } : {}),
          ...(text(m.Description) ? { description: text(m.Description)! } : {}),
          ...(text(m.Resolution) ? { remediation: text(m.Resolution)! } : {}),
          references: [
            { kind: 'other', id: `trivy ${id}`, ...(text(m.PrimaryURL) ? { url: text(m.PrimaryURL)! } : {}) },
          ],
        }),
      );
    }
    for (const s of list(result.Secrets)) {
      if (!isObject(s) || !text(s.RuleID)) continue;
      const ruleId = `tool:trivy/secret-${text(s.RuleID, 100)}`;
      const file = target ? { file: target } : {};
      const where = { ...resource, ...file };
      out.findings.push(
        make({
          id: fingerprint(`${ruleId}\u0000${target ?? ''}:${s.StartLine ?? ''}`, where),
          scanner: 'tool:trivy',
          ruleId,
          title: text(s.Title, 500) ?? 'Secret',
          severity: SEVERITY[String(s.Severity)] ?? 'high',
          resource: where,
          // Trivy already masks the match; masked again in case a report was made with --secret-config off.
          evidence: maskSecretsIn(`${target ?? ''}:${s.StartLine ?? '?'}: ${text(s.Match, 500) ?? ''}`),
          references: [],
        }),
      );
    }
  }
}

function vulnReferences(id: string, v: Record<string, unknown>): Reference[] {
  const refs: Reference[] = [];
  if (/^CVE-\d{4}-\d+$/.test(id))
    refs.push({ kind: 'cve', id, url: `https://nvd.nist.gov/vuln/detail/${id}` });
  else if (/^GHSA-/.test(id)) refs.push({ kind: 'ghsa', id, url: `https://github.com/advisories/${id}` });
  const primary = text(v.PrimaryURL, 1000);
  if (primary) refs.push({ kind: 'url', id: primary, url: primary });
  return refs;
}
