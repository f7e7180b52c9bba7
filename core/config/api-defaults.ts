import { podTemplateOf } from '../kube/pod-template.js';
import { CONTAINER_LIST_FIELDS, isRecord, type KubeObject } from '../kube/types.js';
import { parseImage } from './checks/image-reference.js';

// The API server defaults every object before admission and before anything reads it back; Pod
// Security admission, the kubelet and every policy see the defaulted object. seco defaults the fields
// its checks read, here and only here, before any check or policy runs (scan-config.ts). The list is
// taken from pkg/apis/core/v1/defaults.go (SetDefaults_*); a field already set is never changed.

// The volume sources of core/v1 VolumeSource: a volume that sets none of them is an emptyDir
// (SetDefaults_Volume: "if all sources are nil, default to EmptyDir").
const VOLUME_SOURCES = [
  'hostPath',
  'emptyDir',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
];

const set = (holder: Record<string, unknown>, key: string, value: unknown) => {
  if (holder[key] === undefined || holder[key] === null) holder[key] = value;
};

const records = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? value.filter(isRecord) : [];

/** SetDefaults_Volume and the defaultMode of the file-projecting sources (0644). */
function defaultVolume(volume: Record<string, unknown>): void {
  if (!VOLUME_SOURCES.some((source) => volume[source] !== undefined && volume[source] !== null))
    volume.emptyDir = {};
  for (const source of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const spec = volume[source];
    if (isRecord(spec)) set(spec, 'defaultMode', 0o644);
  }
  if (isRecord(volume.hostPath)) set(volume.hostPath, 'type', '');
}

/** SetDefaults_Container, SetDefaults_ContainerPort, SetDefaults_Probe. */
function defaultContainer(container: Record<string, unknown>, hostNetwork: boolean): void {
  if (typeof container.image === 'string' && container.image !== '') {
    const { tag, digest } = parseImage(container.image);
    set(
      container,
      'imagePullPolicy',
      !digest && (tag === undefined || tag === 'latest') ? 'Always' : 'IfNotPresent',
    );
  }
  set(container, 'terminationMessagePath', '/dev/termination-log');
  set(container, 'terminationMessagePolicy', 'File');
  for (const port of records(container.ports)) {
    set(port, 'protocol', 'TCP');
    // SetDefaults_Pod: with hostNetwork, a container port is also a host port.
    if (hostNetwork && typeof port.containerPort === 'number') set(port, 'hostPort', port.containerPort);
  }
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const p = container[probe];
    if (!isRecord(p)) continue;
    set(p, 'timeoutSeconds', 1);
    set(p, 'periodSeconds', 10);
    set(p, 'successThreshold', 1);
    set(p, 'failureThreshold', 3);
  }
  for (const env of records(container.env)) {
    const from = env.valueFrom;
    if (isRecord(from) && isRecord(from.fieldRef)) set(from.fieldRef, 'apiVersion', 'v1');
  }
}

/** SetDefaults_PodSpec and SetDefaults_Pod, for the fields checks read. */
function defaultPodSpec(spec: Record<string, unknown>): void {
  set(spec, 'dnsPolicy', 'ClusterFirst');
  set(spec, 'restartPolicy', 'Always');
  set(spec, 'terminationGracePeriodSeconds', 30);
  set(spec, 'schedulerName', 'default-scheduler');
  set(spec, 'securityContext', {});
  set(spec, 'enableServiceLinks', true);
  const hostNetwork = spec.hostNetwork === true;
  for (const volume of records(spec.volumes)) defaultVolume(volume);
  for (const field of CONTAINER_LIST_FIELDS)
    for (const container of records(spec[field])) defaultContainer(container, hostNetwork);
}

/** SetDefaults_Service and SetDefaults_ServicePort. */
function defaultService(object: KubeObject): void {
  const spec = object.spec;
  if (!isRecord(spec)) return;
  set(spec, 'type', 'ClusterIP');
  set(spec, 'sessionAffinity', 'None');
  for (const port of records(spec.ports)) {
    set(port, 'protocol', 'TCP');
    set(port, 'targetPort', port.port);
  }
}

/** SetDefaults_NetworkPolicy (networking/v1 defaults.go): Ingress, plus Egress when egress rules are given. */
function defaultNetworkPolicy(object: KubeObject): void {
  const spec = object.spec;
  if (!isRecord(spec)) return;
  if (Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0) return;
  if (spec.policyTypes !== undefined && spec.policyTypes !== null && !Array.isArray(spec.policyTypes)) return;
  const egress = Array.isArray(spec.egress) && spec.egress.length > 0;
  spec.policyTypes = egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

/**
 * Applies the API server's defaults to `object` in place (seco owns the objects it parsed) and returns
 * it. Values of the wrong type are left as they are, for the checks to report.
 */
export function applyApiDefaults(object: KubeObject): KubeObject {
  const pod = podTemplateOf(object);
  if (pod) defaultPodSpec(pod.spec as Record<string, unknown>);
  else if (object.kind === 'Service' && object.apiVersion === 'v1') defaultService(object);
  else if (object.kind === 'NetworkPolicy' && (object.apiVersion ?? '').startsWith('networking.k8s.io/'))
    defaultNetworkPolicy(object);
  return object;
}
