import type { ImagePackage } from '../image/package.js';
import { type Finding, fingerprint, type Reference, type ResourceRef } from '../model/index.js';
import { parseEcosystem } from './ecosystem.js';
import type { OsvAffected, OsvRecord } from './osv/osv-record.js';
import { severityOf } from './severity-from-osv.js';
import { evaluateAffected } from './versions/affected.js';
import { orderingFor } from './versions/index.js';
import type { VulnIndex } from './vuln-db.js';

/** OSV ecosystems with a release (`Debian:12`) match only advisories for that release, or release-less ones. */
function sameRelease(advisory: string, pkg: string): boolean {
  const a = parseEcosystem(advisory);
  const p = parseEcosystem(pkg);
  return a.base === p.base && (a.release === undefined || p.release === undefined || a.release === p.release);
}

function referencesOf(record: OsvRecord): Reference[] {
  const ids = [record.id, ...(record.aliases ?? [])];
  const refs: Reference[] = ids.map((id) => ({
    kind: id.startsWith('CVE-') ? 'cve' : id.startsWith('GHSA-') ? 'ghsa' : 'osv',
    id,
    url: id.startsWith('CVE-')
      ? `https://nvd.nist.gov/vuln/detail/${id}`
      : `https://osv.dev/vulnerability/${id}`,
  }));
  const advisory = record.references?.find((r) => r.type === 'ADVISORY')?.url;
  if (advisory) refs.push({ kind: 'url', id: 'advisory', url: advisory });
  return refs;
}

/** Every advisory that affects a package, as one finding per (advisory, package@version, image). */
export function matchPackages(
  packages: readonly ImagePackage[],
  index: VulnIndex,
  image: ResourceRef,
  seenAt: string,
): Finding[] {
  const findings = new Map<string, Finding>();
  for (const pkg of packages) {
    // An application's root manifest names the team's own code: a registry package of the same name is another thing.
    if (pkg.role === 'application') continue;
    const ordering = orderingFor(pkg.ecosystem);
    if (!ordering) continue;
    const base = parseEcosystem(pkg.ecosystem).base;
    const name = pkg.advisoryName ?? pkg.name;
    const version = pkg.advisoryVersion ?? pkg.version;
    for (const record of index.recordsFor(base, name)) {
      const entries = (record.affected ?? []).filter(
        (a): a is OsvAffected & { package: NonNullable<OsvAffected['package']> } =>
          a.package !== undefined &&
          sameRelease(a.package.ecosystem, pkg.ecosystem) &&
          a.package.name.toLowerCase() === name.toLowerCase(),
      );
      for (const entry of entries) {
        const verdict = evaluateAffected(entry, version, ordering);
        if (!verdict.affected) continue;
        const scored = severityOf(record, entry);
        const id = fingerprint(record.id, image, { name: pkg.name, version: pkg.version });
        if (findings.has(id)) continue;
        findings.set(id, {
          id,
          scanner: 'image',
          ruleId: record.id,
          title: record.summary ?? `${record.id} in ${pkg.name}`,
          severity: scored.severity,
          ...(scored.cvss ? { cvss: scored.cvss } : {}),
          resource: image,
          evidence: `${pkg.name} ${pkg.version} (${pkg.ecosystem}${name !== pkg.name ? `, source ${name}` : ''}${pkg.alias ? `, installed as ${pkg.alias}` : ''}) at ${pkg.path}`,
          ...(record.details ? { description: record.details.slice(0, 2000) } : {}),
          remediation: verdict.fixedIn[0]
            ? `Upgrade ${name} to ${verdict.fixedIn[0]} or later.`
            : 'No fixed version is known yet.',
          references: referencesOf(record),
          package: {
            name: pkg.name,
            version: pkg.version,
            ...(verdict.fixedIn[0] ? { fixedVersion: verdict.fixedIn[0] } : {}),
          },
          firstSeen: seenAt,
          lastSeen: seenAt,
          status: 'open',
        });
      }
    }
  }
  return [...findings.values()];
}
