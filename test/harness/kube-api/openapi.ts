import { groupVersion, RESOURCE_TYPES, type ResourceType } from './resources.js';

/**
 * OpenAPI v3 as far as kubectl reads it: the root index (/openapi/v3) and one document per
 * group/version whose PATCH operations carry `x-kubernetes-group-version-kind` and the
 * `fieldValidation` query parameter. kubectl's QueryParamVerifierV3 looks for exactly that to decide
 * that the server validates fields itself (so `--validate=strict`, the default, needs no schema).
 * Schemas are not served: kubectl then computes client-side apply patches from its compiled-in types.
 */
function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

function groupVersions(): Array<{ group: string; version: string }> {
  const seen = new Map<string, { group: string; version: string }>();
  for (const t of RESOURCE_TYPES)
    seen.set(gvPath(t.group, t.version), { group: t.group, version: t.version });
  return [...seen.values()];
}

export function openApiV3Root(): unknown {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const { group, version } of groupVersions()) {
    const path = gvPath(group, version);
    paths[path] = {
      serverRelativeURL: `/openapi/v3/${path}?hash=${Buffer.from(path).toString('hex').slice(0, 32)}`,
    };
  }
  return { paths };
}

const QUERY_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation', 'force', 'pretty'];

function itemPath(type: ResourceType): string {
  const prefix = `/${gvPath(type.group, type.version)}`;
  return type.namespaced
    ? `${prefix}/namespaces/{namespace}/${type.resource}/{name}`
    : `${prefix}/${type.resource}/{name}`;
}

function operation(type: ResourceType, action: string): unknown {
  return {
    operationId: `${action}${type.kind}`,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: type.group, version: type.version, kind: type.kind },
    parameters: QUERY_PARAMS.map((name) => ({
      name,
      in: 'query',
      schema: { type: name === 'force' ? 'boolean' : 'string' },
    })),
    responses: { '200': { description: 'OK' } },
  };
}

/** The OpenAPI v3 document of one group/version (path `api/v1` or `apis/<g>/<v>`), or undefined. */
export function openApiV3Document(path: string): unknown | undefined {
  const gv = groupVersions().find((g) => gvPath(g.group, g.version) === path);
  if (!gv) return undefined;
  const paths: Record<string, unknown> = {};
  for (const type of RESOURCE_TYPES.filter(
    (t) => t.group === gv.group && t.version === gv.version && !t.createOnly,
  )) {
    paths[itemPath(type)] = {
      get: operation(type, 'get'),
      put: operation(type, 'put'),
      patch: operation(type, 'patch'),
    };
  }
  return {
    openapi: '3.0.0',
    info: {
      title: 'Kubernetes',
      version: 'v1.32.0',
      description: `${groupVersion(gv)} served by the seco test harness`,
    },
    paths,
    components: { schemas: {} },
  };
}
