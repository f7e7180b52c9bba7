import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { ConfigCheck, Violation } from '../../../../core/config/check.js';
import { HARDENING_CHECKS } from '../../../../core/config/checks/index.js';
import { parseManifests } from '../../../../core/config/input/parse-manifests.js';
import { buildInventory } from '../../../../core/config/inventory.js';
import { PSS_CHECKS } from '../../../../core/config/pss/index.js';
import { podTemplateOf } from '../../../../core/kube/pod-template.js';
import type { KubeObject } from '../../../../core/kube/types.js';

const ROOT = 'test/fixtures/checks';

/** The objects of each fixture file of a folder: one file is one scan input. */
function fixtureFiles(dir: string): KubeObject[][] {
  return readdirSync(join(ROOT, dir)).map((file) => {
    const name = join(ROOT, dir, file);
    return parseManifests({ name, text: readFileSync(name, 'utf8') }).objects.map((o) => o.object);
  });
}

const runOnFiles = (check: ConfigCheck, dir: string) =>
  fixtureFiles(dir).flatMap((objects) => run(check, objects));

type SeenViolation = Violation & { specPath?: Array<string | number> };

function run(check: ConfigCheck, objects: KubeObject[]): SeenViolation[] {
  const inventory = buildInventory(objects);
  return objects.flatMap((object) => {
    if (check.target === 'object')
      return check.kinds.includes(object.kind ?? '') ? check.evaluate(object, inventory) : [];
    const pod = podTemplateOf(object);
    return pod ? check.evaluate(pod, object, inventory).map((v) => ({ ...v, specPath: pod.specPath })) : [];
  });
}

describe('hardening check metadata', () => {
  it('gives every check a unique kebab-case id that no Pod Security Standards control uses', () => {
    const ids = HARDENING_CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    const pss = new Set(PSS_CHECKS.map((c) => c.id));
    expect(ids.filter((id) => pss.has(id))).toEqual([]);
  });

  it.each(HARDENING_CHECKS.map((c) => [c.id, c] as const))(
    '%s says what, why, how to fix and where from',
    (_id, c) => {
      expect(c.title.length).toBeGreaterThan(5);
      expect(c.description.length).toBeGreaterThan(40);
      expect(c.remediation.length).toBeGreaterThan(10);
      expect(c.references.length).toBeGreaterThan(0);
      expect(['critical', 'high', 'medium', 'low', 'info']).toContain(c.severity);
      expect(c.pss).toBeUndefined();
    },
  );

  it('has the checks the issue lists', () => {
    expect(HARDENING_CHECKS.map((c) => c.id).sort()).toEqual(
      [
        'configmap-secret',
        'container-runtime-socket-mounted',
        'default-namespace',
        'env-literal-secret',
        'image-digest-missing',
        'image-pull-policy',
        'image-tag-latest',
        'image-tag-missing',
        'istio-mtls-not-strict',
        'network-policy-missing',
        'probe-liveness-missing',
        'probe-readiness-missing',
        'rbac-cluster-admin-binding',
        'rbac-escalation-verbs',
        'rbac-nodes-proxy',
        'rbac-pods-exec',
        'rbac-public-binding',
        'rbac-secrets-read',
        'rbac-wildcard',
        'read-only-root-filesystem',
        'secret-env-var',
        'resources-cpu-limit',
        'resources-cpu-request',
        'resources-memory-limit',
        'resources-memory-request',
        'service-account-token-automount',
        'service-exposed',
      ].sort(),
    );
  });
});

describe('violations', () => {
  const dirs = readdirSync(ROOT);

  it.each(HARDENING_CHECKS.filter((c) => c.target === 'pod').map((c) => [c.id, c] as const))(
    '%s reports paths under the pod spec',
    (_id, check) => {
      const violations = dirs.flatMap((dir) => runOnFiles(check, dir));
      expect(violations.length).toBeGreaterThan(0);
      for (const v of violations) expect(v.path.slice(0, v.specPath?.length)).toEqual(v.specPath);
    },
  );

  it('names the container of per-container findings', () => {
    const check = HARDENING_CHECKS.find((c) => c.id === 'read-only-root-filesystem')!;
    const violations = runOnFiles(check, 'read-only-root-filesystem');
    expect(violations.map((v) => v.container)).toContain('setup');
  });

  it('never puts a literal secret value in env-literal-secret evidence', () => {
    const objects = fixtureFiles('env-literal-secret').flat();
    const values = objects.flatMap((o) => {
      const pod = podTemplateOf(o);
      return (pod?.spec.containers ?? [])
        .concat(pod?.spec.initContainers ?? [])
        .flatMap((c) =>
          Array.isArray(c.env)
            ? c.env.map((e) => e?.value).filter((v): v is string => typeof v === 'string')
            : [],
        );
    });
    const evidence = run(HARDENING_CHECKS.find((c) => c.id === 'env-literal-secret')!, objects).map(
      (v) => v.evidence,
    );
    expect(evidence.length).toBeGreaterThanOrEqual(8);
    for (const text of evidence)
      for (const value of values.filter((v) => v.length >= 5)) {
        expect(text).not.toContain(value);
        expect(text).not.toContain(value.slice(0, 5));
      }
  });
});

// Everything a hostile or broken manifest may hold where an object or a field should be.
const JUNK: unknown[] = [null, 0, 42, -1, true, 'x', '', [], [null], [1, 'a'], {}, { a: { b: [] } }];

function hostileObjects(): KubeObject[] {
  const objects: KubeObject[] = [];
  const kinds = [
    'Deployment',
    'Pod',
    'CronJob',
    'Service',
    'Role',
    'ClusterRole',
    'RoleBinding',
    'ClusterRoleBinding',
  ];
  for (const kind of [
    ...kinds,
    'Namespace',
    'PeerAuthentication',
    'NetworkPolicy',
    'ServiceAccount',
    'LimitRange',
  ])
    for (const junk of JUNK) {
      objects.push({
        kind,
        metadata: junk,
        spec: junk,
        rules: junk,
        subjects: junk,
        roleRef: junk,
      } as KubeObject);
      objects.push({
        kind,
        metadata: { name: 'n', namespace: 'shop', labels: junk as Record<string, string> },
        spec: { template: junk },
      });
      const container = {
        name: junk,
        image: junk,
        env: junk,
        resources: junk,
        securityContext: junk,
        livenessProbe: junk,
      };
      const spec = {
        containers: [junk, container, { env: [junk, { name: junk, value: junk }] }],
        initContainers: junk,
        automountServiceAccountToken: junk,
        serviceAccountName: junk,
        os: junk,
      };
      objects.push({
        kind,
        metadata: { namespace: 'shop', labels: { app: 'web' } },
        spec: { ...spec, template: { metadata: junk, spec } },
      });
      objects.push({
        kind,
        metadata: { name: 'n', namespace: 'shop' },
        spec: {
          podSelector: junk,
          policyTypes: junk,
          limits: junk,
          mtls: junk,
          portLevelMtls: junk,
          selector: junk,
          type: junk,
          externalIPs: junk,
          loadBalancerSourceRanges: junk,
        },
        rules: [junk, { verbs: junk, resources: junk, apiGroups: junk }],
        subjects: [junk, { kind: junk, name: junk }],
        roleRef: { kind: junk, name: junk },
      });
    }
  return objects;
}

describe('hostile input', () => {
  const objects = hostileObjects();
  it.each(HARDENING_CHECKS.map((c) => [c.id, c] as const))(
    '%s never throws on malformed objects',
    (_id, check) => {
      expect(() => run(check, objects)).not.toThrow();
    },
  );
});
