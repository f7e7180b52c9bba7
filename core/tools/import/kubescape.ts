import { type Finding, fingerprint, type ResourceRef, type Severity } from '../../model/index.js';
import { type Imported, type Importer, isObject, list, text } from './importer.js';
import { configControl } from './same-control.js';

/** Kubescape's scoreFactor (1–10) to a severity, as its own CLI bands it: ≥9 critical, ≥7 high, ≥4 medium. */
function severityOf(score: unknown): Severity {
  const n = typeof score === 'number' ? score : Number(score);
  if (!Number.isFinite(n)) return 'medium';
  return n >= 9 ? 'critical' : n >= 7 ? 'high' : n >= 4 ? 'medium' : n >= 1 ? 'low' : 'info';
}

/**
 * Kubescape's JSON report (`kubescape scan … --format json`, v2/v3): `summaryDetails.controls` (each
 * control's name and scoreFactor), `resources[]` (`resourceID` → the object), `results[]` (per
 * resource, `controls[]` with `status.status`). Only `failed` controls are findings; a control seco
 * also checks takes seco's id for its fingerprint.
 */
export const kubescape: Importer = {
  tool: 'kubescape',
  recognises: (json) => isObject(json) && isObject(json.summaryDetails) && Array.isArray(json.results),
  read(json, { source, now }) {
    const doc = json as Record<string, unknown>;
    const out: Imported = { findings: [], problems: [] };
    const summary =
      isObject(doc.summaryDetails) && isObject(doc.summaryDetails.controls)
        ? doc.summaryDetails.controls
        : {};
    const objects = new Map<string, Record<string, unknown>>();
    for (const r of list(doc.resources))
      if (isObject(r) && text(r.resourceID) && isObject(r.object)) objects.set(text(r.resourceID)!, r.object);
    const seen = now.toISOString();
    for (const [i, result] of list(doc.results).entries()) {
      const resourceId = isObject(result) ? text(result.resourceID, 1024) : undefined;
      if (!isObject(result) || !resourceId) {
        out.problems.push(`${source}: results[${i}] has no resourceID`);
        continue;
      }
      const resource = resourceOf(resourceId, objects.get(resourceId));
      for (const control of list(result.controls)) {
        if (!isObject(control)) continue;
        const status = isObject(control.status) ? control.status.status : control.status;
        if (status !== 'failed') continue;
        const id = text(control.controlID, 50) ?? text(control.id, 50);
        if (!id) continue;
        const info = isObject(summary[id]) ? (summary[id] as Record<string, unknown>) : {};
        const ruleId = configControl(id) ?? `tool:kubescape/${id}`;
        const failedPaths = list(control.rules).flatMap((rule) =>
          isObject(rule)
            ? list(rule.paths).flatMap((p) =>
                isObject(p) && text(p.failedPath) ? [text(p.failedPath)!] : [],
              )
            : [],
        );
        const finding: Finding = {
          id: fingerprint(ruleId, resource),
          scanner: 'tool:kubescape',
          ruleId,
          title: text(control.name, 500) ?? text(info.name, 500) ?? id,
          severity: severityOf(info.scoreFactor ?? control.scoreFactor),
          resource,
          ...(failedPaths.length > 0
            ? { evidence: `failed paths: ${failedPaths.slice(0, 20).join(', ')}` }
            : {}),
          references: [
            { kind: 'other', id: `kubescape ${id}`, url: `https://hub.armosec.io/docs/${id.toLowerCase()}` },
          ],
          firstSeen: seen,
          lastSeen: seen,
          status: 'open',
        };
        out.findings.push(finding);
      }
    }
    return out;
  },
};

/** `group/version/namespace/Kind/name` (namespace empty for cluster-scoped objects), or the object's metadata. */
function resourceOf(resourceId: string, object: Record<string, unknown> | undefined): ResourceRef {
  const meta = object && isObject(object.metadata) ? object.metadata : undefined;
  const parts = resourceId.split('/');
  const name = text(meta?.name) ?? parts.at(-1) ?? resourceId;
  const kind = text(object?.kind) ?? parts.at(-2) ?? 'Unknown';
  const namespace = text(meta?.namespace) ?? (parts.length >= 3 ? parts.at(-3) : undefined);
  return { ...(namespace ? { namespace } : {}), kind, name };
}
