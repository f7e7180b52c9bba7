import { createHash } from 'node:crypto';
import type { ResourceRef } from './finding.js';

/**
 * A finding's stable id: rule + the identity of the resource + package@version. Source file and line
 * are left out on purpose, so moving a manifest does not make an old finding look new.
 */
export function fingerprint(
  ruleId: string,
  resource: ResourceRef,
  pkg?: { name: string; version: string },
): string {
  const identity = [
    ruleId,
    resource.cluster ?? '',
    resource.namespace ?? '',
    resource.kind ?? '',
    resource.name ?? '',
    resource.container ?? '',
    resource.node ?? '',
    resource.image ?? '',
    pkg ? `${pkg.name}@${pkg.version}` : '',
  ].join('\u0000');
  return createHash('sha256').update(identity).digest('hex').slice(0, 16);
}
