import { KubeApiError, type KubeRest } from '../../core/kube/kube-rest.js';
import { objectRef } from '../../core/kube/server-side-apply.js';
import type { KubeObject } from '../../core/kube/types.js';

interface ClaimTemplate {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; [key: string]: unknown };
  spec?: {
    accessModes?: string[];
    storageClassName?: string;
    resources?: { requests?: { storage?: string } };
    [key: string]: unknown;
  };
  status?: unknown;
}

const templatesOf = (object: KubeObject) =>
  (object.spec as { volumeClaimTemplates?: ClaimTemplate[] } | undefined)?.volumeClaimTemplates ?? [];

/** What install sets on a claim template; the API server's defaults (volumeMode, status) are left out. */
const shape = (templates: ClaimTemplate[]) =>
  JSON.stringify(
    templates.map((t) => ({
      name: t.metadata?.name,
      accessModes: t.spec?.accessModes ?? [],
      storageClassName: t.spec?.storageClassName ?? null,
      storage: t.spec?.resources?.requests?.storage ?? null,
    })),
  );

const describe = (templates: ClaimTemplate[]) =>
  templates
    .map(
      (t) =>
        `${t.metadata?.name}: ${t.spec?.resources?.requests?.storage ?? '?'} on ${t.spec?.storageClassName ?? 'the default storage class'}`,
    )
    .join(', ');

/**
 * A StatefulSet's volumeClaimTemplates cannot change once it exists (the API server refuses the whole
 * update), and its PersistentVolumeClaims — the data — were made from the old ones. So an upgrade that
 * asks for another size or storage class keeps the installed templates, says so, and still applies
 * everything else (the new images): the data stays where it is.
 */
export async function keepVolumeTemplates(
  rest: KubeRest,
  object: KubeObject,
  log: (line: string) => void,
): Promise<KubeObject> {
  if (object.kind !== 'StatefulSet' || templatesOf(object).length === 0) return object;
  const { namespace, name } = object.metadata ?? {};
  let current: KubeObject;
  try {
    current = await rest.json<KubeObject>({
      path: `/apis/apps/v1/namespaces/${encodeURIComponent(namespace ?? '')}/statefulsets/${encodeURIComponent(name ?? '')}`,
    });
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return object;
    throw new Error(`cannot read ${objectRef(object)}: ${error instanceof Error ? error.message : error}`);
  }
  const installed = templatesOf(current);
  if (installed.length === 0 || shape(installed) === shape(templatesOf(object))) return object;
  log(
    `${objectRef(object)}: volumes kept as installed (${describe(installed)}), not ${describe(templatesOf(object))}: a StatefulSet's volume templates cannot change; resize or migrate its PersistentVolumeClaims directly`,
  );
  const kept = installed.map(({ status: _status, ...template }) => template);
  return { ...object, spec: { ...(object.spec as Record<string, unknown>), volumeClaimTemplates: kept } };
}
