import { containersOf, podTemplateOf } from '../../core/kube/pod-template.js';
import type { KubeObject } from '../../core/kube/types.js';
import { quantityValue } from './quantity.js';

/** One validated `--set KEY=VALUE`. */
export interface ValueOverride {
  key: string;
  value: string;
}

/** A component of the stack: the workload that runs it and its container. */
interface Component {
  kind: 'Deployment' | 'DaemonSet' | 'StatefulSet';
  name: string;
  container: string;
  /** What the user turns off to make this component absent, for the error message. */
  externalFlag?: string;
}

const COMPONENTS: Record<string, Component> = {
  aggregator: { kind: 'Deployment', name: 'seco-aggregator', container: 'aggregator' },
  agent: { kind: 'DaemonSet', name: 'seco-agent', container: 'agent' },
  nats: { kind: 'StatefulSet', name: 'seco-nats', container: 'nats', externalFlag: '--nats-url' },
  minio: { kind: 'StatefulSet', name: 'seco-minio', container: 'minio', externalFlag: '--s3-endpoint' },
};

// Kubernetes resource.Quantity: a decimal with an optional binary (Ki…Ei) or decimal (m, k…E) suffix.
const CPU = /^(?:\d+(?:\.\d+)?|\.\d+)m?$/;
const BYTES = /^(?:\d+(?:\.\d+)?|\.\d+)(?:Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const MAX_REPLICAS = 100;

type Setter = (object: KubeObject, value: string, component: Component) => void;

interface KeySpec {
  component: string;
  /** What a value must look like, said in errors. */
  expects: string;
  valid: (value: string) => boolean;
  set: Setter;
}

function containerOf(object: KubeObject, component: Component) {
  const template = podTemplateOf(object);
  const entry = template && containersOf(template.spec).find((c) => c.container.name === component.container);
  if (!entry) throw new Error(`${component.kind}/${component.name} has no container ${component.container}`);
  return entry.container;
}

const resourceKey = (
  component: string,
  bucket: 'requests' | 'limits',
  resource: 'cpu' | 'memory',
): KeySpec => ({
  component,
  expects: resource === 'cpu' ? 'a CPU quantity such as 500m or 2' : 'a memory quantity such as 512Mi or 2Gi',
  valid: (value) => (resource === 'cpu' ? CPU : BYTES).test(value),
  set: (object, value, c) => {
    const container = containerOf(object, c);
    container.resources ??= {};
    container.resources[bucket] = { ...(container.resources[bucket] ?? {}), [resource]: value };
  },
});

/** NATS' and Minio's volume size: the storage request of their StatefulSet's volumeClaimTemplates. */
const storageKey = (component: string): KeySpec => ({
  component,
  expects: 'a storage quantity such as 10Gi',
  valid: (value) => BYTES.test(value),
  set: (object, value) => {
    const templates = ((object.spec as Record<string, unknown>).volumeClaimTemplates ?? []) as Array<{
      spec?: { resources?: { requests?: Record<string, string> } };
    }>;
    for (const template of templates) {
      template.spec ??= {};
      template.spec.resources ??= {};
      template.spec.resources.requests = { ...(template.spec.resources.requests ?? {}), storage: value };
    }
  },
});

/** The keys `--set` knows, in the order `--help` and errors list them. */
const KEYS: Record<string, KeySpec> = (() => {
  const keys: Record<string, KeySpec> = {
    'aggregator.replicas': {
      component: 'aggregator',
      expects: `a whole number from 1 to ${MAX_REPLICAS}`,
      valid: (value) => /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= MAX_REPLICAS,
      set: (object, value) => {
        (object.spec as Record<string, unknown>).replicas = Number(value);
      },
    },
  };
  for (const component of Object.keys(COMPONENTS)) {
    for (const bucket of ['requests', 'limits'] as const)
      for (const resource of ['cpu', 'memory'] as const)
        keys[`${component}.resources.${bucket}.${resource}`] = resourceKey(component, bucket, resource);
  }
  for (const component of ['nats', 'minio']) keys[`${component}.storage`] = storageKey(component);
  return keys;
})();

export const KNOWN_KEYS: readonly string[] = Object.keys(KEYS);

/** Parses `KEY=VALUE` pairs; an unknown key or a bad value is an error naming it and what is allowed. */
export function parseOverrides(pairs: readonly string[]): ValueOverride[] {
  return pairs.map((pair) => {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`--set ${JSON.stringify(pair)}: expected KEY=VALUE`);
    const key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const spec = KEYS[key];
    if (!spec)
      throw new Error(`--set ${JSON.stringify(key)}: unknown key; known keys: ${KNOWN_KEYS.join(', ')}`);
    if (!spec.valid(value))
      throw new Error(`--set ${key}=${JSON.stringify(value)}: expected ${spec.expects}`);
    return { key, value };
  });
}

/** Applies validated overrides to the rendered objects; a key for a component not deployed is an error. */
export function applyOverrides(objects: readonly KubeObject[], overrides: readonly ValueOverride[]): void {
  const resized = new Map<string, KubeObject>();
  for (const { key, value } of overrides) {
    const spec = KEYS[key];
    if (!spec) throw new Error(`--set ${key}: unknown key; known keys: ${KNOWN_KEYS.join(', ')}`);
    const component = COMPONENTS[spec.component]!;
    const object = objects.find((o) => o.kind === component.kind && o.metadata?.name === component.name);
    if (!object) {
      throw new Error(
        `--set ${key}: ${component.kind}/${component.name} is not deployed${component.externalFlag ? ` (${component.externalFlag} uses your own)` : ''}`,
      );
    }
    spec.set(object, value, component);
    if (key.includes('.resources.')) resized.set(spec.component, object);
  }
  // Checked after every key is set, so `--set …limits.cpu=4 --set …requests.cpu=3` works in any order.
  for (const [name, object] of resized) checkRequestsWithinLimits(object, COMPONENTS[name]!, name);
}

/** The API server refuses a container whose request exceeds its limit; say which keys to change first. */
function checkRequestsWithinLimits(object: KubeObject, component: Component, name: string): void {
  const { resources } = containerOf(object, component);
  for (const resource of ['cpu', 'memory']) {
    const request = resources?.requests?.[resource];
    const limit = resources?.limits?.[resource];
    if (request === undefined || limit === undefined) continue;
    const [r, l] = [quantityValue(request), quantityValue(limit)];
    if (r !== undefined && l !== undefined && r > l) {
      throw new Error(
        `--set: ${name}.resources.requests.${resource} (${request}) is above ${name}.resources.limits.${resource} (${limit}); Kubernetes refuses that, raise the limit too`,
      );
    }
  }
}
