import { SECO_API_GROUP, SECO_API_VERSION } from '../../core/protocol/seco-api.js';
import { SECO_RESOURCES } from './api-request.js';

/** Discovery documents of seco.dev (legacy discovery: /apis, /apis/seco.dev, /apis/seco.dev/v1alpha1). */
const GROUP_VERSION = `${SECO_API_GROUP}/${SECO_API_VERSION}`;
const versionEntry = { groupVersion: GROUP_VERSION, version: SECO_API_VERSION };

export function apiGroupDocument(): unknown {
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: SECO_API_GROUP,
    versions: [versionEntry],
    preferredVersion: versionEntry,
  };
}

export function apiGroupListDocument(): unknown {
  const { kind: _kind, apiVersion: _v, ...group } = apiGroupDocument() as Record<string, unknown>;
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [group] };
}

export function apiResourceListDocument(): unknown {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: GROUP_VERSION,
    resources: Object.entries(SECO_RESOURCES).map(([name, info]) => ({
      name,
      singularName: info.kind.toLowerCase(),
      namespaced: info.namespaced,
      kind: info.kind,
      verbs: [...info.verbs],
      ...(info.shortNames.length > 0 ? { shortNames: [...info.shortNames] } : {}),
      ...(name === 'scans' || name === 'findings' ? { categories: ['seco'] } : {}),
    })),
  };
}
