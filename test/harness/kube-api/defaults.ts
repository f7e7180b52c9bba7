import { isObject } from './patch.js';
import type { ResourceType } from './resources.js';
import type { KubeObject } from './store.js';

/**
 * The few API defaults (k8s.io/kubernetes/pkg/apis/<group>/v1/defaults.go) that clients rely on finding,
 * e.g. a JSON patch `replace /spec/replicas`. Applied on create and update, like the defaulting
 * that runs when the API server decodes a request.
 */
type Json = Record<string, unknown>;

function obj(parent: Json, key: string): Json | undefined {
  const value = parent[key];
  return isObject(value) ? value : undefined;
}

function setDefault(target: Json | undefined, key: string, value: unknown): void {
  if (target && target[key] === undefined) target[key] = value;
}

function defaultContainers(list: unknown): void {
  if (!Array.isArray(list)) return;
  for (const container of list.filter(isObject)) {
    setDefault(container, 'terminationMessagePath', '/dev/termination-log');
    setDefault(container, 'terminationMessagePolicy', 'File');
    const image = typeof container.image === 'string' ? container.image : '';
    // SetDefaults_Container: Always for :latest or untagged images, else IfNotPresent.
    const tagged = /:[^/]+$/.test(image.split('@')[0]!) && !image.endsWith(':latest');
    setDefault(container, 'imagePullPolicy', image.includes('@') || tagged ? 'IfNotPresent' : 'Always');
    for (const port of Array.isArray(container.ports) ? container.ports.filter(isObject) : [])
      setDefault(port, 'protocol', 'TCP');
  }
}

function defaultPodSpec(spec: Json | undefined): void {
  if (!spec) return;
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'securityContext', {});
  defaultContainers(spec.containers);
  defaultContainers(spec.initContainers);
}

export function applyDefaults(type: ResourceType, object: KubeObject): void {
  const spec = obj(object, 'spec');
  switch (type.kind) {
    case 'Pod':
      defaultPodSpec(spec);
      break;
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
      setDefault(spec, 'replicas', 1);
      setDefault(spec, 'revisionHistoryLimit', 10);
      defaultPodSpec(spec && obj(obj(spec, 'template') ?? {}, 'spec'));
      break;
    case 'DaemonSet':
    case 'Job':
      defaultPodSpec(spec && obj(obj(spec, 'template') ?? {}, 'spec'));
      break;
    case 'Service':
      setDefault(spec, 'type', 'ClusterIP');
      setDefault(spec, 'sessionAffinity', 'None');
      for (const port of spec && Array.isArray(spec.ports) ? spec.ports.filter(isObject) : [])
        setDefault(port, 'protocol', 'TCP');
      break;
    case 'Secret':
      setDefault(object, 'type', 'Opaque');
      break;
  }
}
