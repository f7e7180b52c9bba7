/**
 * seco's Kubernetes aggregated API (docs/api-access.md): the group and version the APIService
 * registers, and the resources RBAC grants on. Shared by the aggregator (which serves them), the
 * plugin (which reaches them through the API server) and the manifests' ClusterRoles.
 */
export const SECO_API_GROUP = 'seco.dev';
export const SECO_API_VERSION = 'v1alpha1';
export const SECO_API_PREFIX = `/apis/${SECO_API_GROUP}/${SECO_API_VERSION}`;
/** The WebSocket session (the plugin's protocol) is `get` on this resource, as `kubectl exec` is on pods/exec. */
export const SESSION_PATH = `${SECO_API_PREFIX}/sessions/client`;
