import { isObject } from './patch.js';
import type { KubeObject } from './store.js';

/**
 * meta.k8s.io/v1 Table, what `kubectl get` asks for (Accept: application/json;as=Table;v=v1;g=meta.k8s.io)
 * and prints as is. Columns follow kube-apiserver's printers (pkg/printers/internalversion/printers.go)
 * for the kinds seco uses; other kinds get the default Name/Age table, as custom resources do.
 */
type Cell = string | number | boolean;
interface Column {
  name: string;
  type: 'string' | 'integer' | 'date';
  priority: number;
  cell: (o: KubeObject) => Cell;
}

function at(object: unknown, path: string): unknown {
  let current = object;
  for (const part of path.split('.')) current = isObject(current) ? current[part] : undefined;
  return current;
}

function str(object: unknown, path: string, fallback = '<none>'): string {
  const value = at(object, path);
  return value === undefined || value === null || value === '' ? fallback : String(value);
}

function num(object: unknown, path: string): number {
  const value = at(object, path);
  return typeof value === 'number' ? value : 0;
}

function list(object: unknown, path: string): unknown[] {
  const value = at(object, path);
  return Array.isArray(value) ? value : [];
}

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration, the AGE format. */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const d = Math.floor(h / 24);
  if (s < 120) return `${s}s`;
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (h < 24 * 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y${d % 365}d`;
}

function age(o: KubeObject): string {
  const created = Date.parse(str(o, 'metadata.creationTimestamp', ''));
  return Number.isNaN(created) ? '<unknown>' : humanDuration(Date.now() - created);
}

const c = (name: string, cell: Column['cell'], priority = 0, type: Column['type'] = 'string'): Column => ({
  name,
  type,
  priority,
  cell,
});
function selectorText(labels: unknown): string {
  return isObject(labels)
    ? Object.entries(labels)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(',')
    : '';
}

const NAME = c('Name', (o) => str(o, 'metadata.name', ''));
const AGE = c('Age', age, 0, 'date');
const podImages = (path: string) => (o: KubeObject) =>
  list(o, path)
    .map((x) => str(x, 'image', ''))
    .join(',') || '<none>';
const podNames = (path: string) => (o: KubeObject) =>
  list(o, path)
    .map((x) => str(x, 'name', ''))
    .join(',') || '<none>';
const replicaReady = (o: KubeObject) => `${num(o, 'status.readyReplicas')}/${num(o, 'spec.replicas')}`;
const TEMPLATE = 'spec.template.spec.containers';

function podStatus(o: KubeObject): string {
  if (at(o, 'metadata.deletionTimestamp')) return 'Terminating';
  const waiting = list(o, 'status.containerStatuses')
    .map((s) => str(s, 'state.waiting.reason', ''))
    .find((r) => r);
  return waiting || str(o, 'status.reason', '') || str(o, 'status.phase', 'Pending');
}

const COLUMNS: Record<string, Column[]> = {
  Pod: [
    NAME,
    c(
      'Ready',
      (o) =>
        `${list(o, 'status.containerStatuses').filter((s) => at(s, 'ready') === true).length}/${list(o, 'spec.containers').length}`,
    ),
    c('Status', podStatus),
    c(
      'Restarts',
      (o) => list(o, 'status.containerStatuses').reduce<number>((n, s) => n + num(s, 'restartCount'), 0),
      0,
      'integer',
    ),
    AGE,
    c('IP', (o) => str(o, 'status.podIP'), 1),
    c('Node', (o) => str(o, 'spec.nodeName'), 1),
  ],
  Deployment: [
    NAME,
    c('Ready', replicaReady),
    c('Up-to-date', (o) => num(o, 'status.updatedReplicas'), 0, 'integer'),
    c('Available', (o) => num(o, 'status.availableReplicas'), 0, 'integer'),
    AGE,
    c('Containers', podNames(TEMPLATE), 1),
    c('Images', podImages(TEMPLATE), 1),
  ],
  StatefulSet: [
    NAME,
    c('Ready', replicaReady),
    AGE,
    c('Containers', podNames(TEMPLATE), 1),
    c('Images', podImages(TEMPLATE), 1),
  ],
  ReplicaSet: [
    NAME,
    c('Desired', (o) => num(o, 'spec.replicas'), 0, 'integer'),
    c('Current', (o) => num(o, 'status.replicas'), 0, 'integer'),
    c('Ready', (o) => num(o, 'status.readyReplicas'), 0, 'integer'),
    AGE,
  ],
  DaemonSet: [
    NAME,
    c('Desired', (o) => num(o, 'status.desiredNumberScheduled'), 0, 'integer'),
    c('Current', (o) => num(o, 'status.currentNumberScheduled'), 0, 'integer'),
    c('Ready', (o) => num(o, 'status.numberReady'), 0, 'integer'),
    c('Up-to-date', (o) => num(o, 'status.updatedNumberScheduled'), 0, 'integer'),
    c('Available', (o) => num(o, 'status.numberAvailable'), 0, 'integer'),
    AGE,
  ],
  Job: [
    NAME,
    c('Completions', (o) => `${num(o, 'status.succeeded')}/${at(o, 'spec.completions') ?? 1}`),
    AGE,
  ],
  CronJob: [
    NAME,
    c('Schedule', (o) => str(o, 'spec.schedule')),
    c('Suspend', (o) => (at(o, 'spec.suspend') === true ? 'True' : 'False')),
    c('Active', (o) => list(o, 'status.active').length, 0, 'integer'),
    AGE,
  ],
  Service: [
    NAME,
    c('Type', (o) => str(o, 'spec.type', 'ClusterIP')),
    c('Cluster-IP', (o) => str(o, 'spec.clusterIP')),
    c('External-IP', (o) => list(o, 'spec.externalIPs').join(',') || '<none>'),
    c(
      'Port(s)',
      (o) =>
        list(o, 'spec.ports')
          .map((p) => `${str(p, 'port', '')}/${str(p, 'protocol', 'TCP')}`)
          .join(',') || '<none>',
    ),
    AGE,
  ],
  Namespace: [NAME, c('Status', (o) => str(o, 'status.phase', 'Active')), AGE],
  Node: [
    NAME,
    c('Status', (o) =>
      list(o, 'status.conditions').some((x) => at(x, 'type') === 'Ready' && at(x, 'status') === 'True')
        ? 'Ready'
        : 'NotReady',
    ),
    c(
      'Roles',
      (o) =>
        Object.keys(isObject(at(o, 'metadata.labels')) ? (at(o, 'metadata.labels') as object) : {})
          .filter((k) => k.startsWith('node-role.kubernetes.io/'))
          .map((k) => k.slice(24))
          .join(',') || '<none>',
    ),
    AGE,
    c('Version', (o) => str(o, 'status.nodeInfo.kubeletVersion', '')),
  ],
  // Istio's CRD additionalPrinterColumns for PeerAuthentication.
  PeerAuthentication: [NAME, c('Mode', (o) => str(o, 'spec.mtls.mode', '')), AGE],
  Lease: [NAME, c('Holder', (o) => str(o, 'spec.holderIdentity', '')), AGE],
  NetworkPolicy: [NAME, c('Pod-Selector', (o) => selectorText(at(o, 'spec.podSelector.matchLabels'))), AGE],
  ServiceAccount: [NAME, c('Secrets', (o) => list(o, 'secrets').length, 0, 'integer'), AGE],
  ConfigMap: [NAME, c('Data', (o) => Object.keys(isObject(o.data) ? o.data : {}).length, 0, 'integer'), AGE],
  Secret: [
    NAME,
    c('Type', (o) => str(o, 'type', 'Opaque')),
    c('Data', (o) => Object.keys(isObject(o.data) ? o.data : {}).length, 0, 'integer'),
    AGE,
  ],
};

export function wantsTable(accept: string | undefined): boolean {
  return (accept ?? '')
    .split(',')
    .some((part) => part.includes('as=Table') && part.includes('g=meta.k8s.io'));
}

function rowObject(object: KubeObject, includeObject: string): unknown {
  if (includeObject === 'None') return undefined;
  if (includeObject === 'Object') return object;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}

/** A Table of the objects; `includeObject` is the query parameter (None|Metadata|Object, default Metadata). */
export function toTable(
  kind: string,
  objects: KubeObject[],
  listMeta: Record<string, unknown>,
  includeObject = 'Metadata',
): unknown {
  const columns = COLUMNS[kind] ?? [NAME, AGE];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: columns.map((col) => ({
      name: col.name,
      type: col.type === 'date' ? 'string' : col.type,
      format: col.name === 'Name' ? 'name' : '',
      description: '',
      priority: col.priority,
    })),
    rows: objects.map((object) => ({
      cells: columns.map((col) => col.cell(object)),
      object: rowObject(object, includeObject),
    })),
  };
}
