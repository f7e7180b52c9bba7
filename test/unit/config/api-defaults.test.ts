import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { applyApiDefaults } from '../../../core/config/api-defaults.js';
import { parseManifests } from '../../../core/config/input/parse-manifests.js';
import { CONFIG_CHECKS, CONTEXT_KINDS } from '../../../core/config/registry.js';
import { scanConfig } from '../../../core/config/scan-config.js';
import { Suppressor } from '../../../core/config/suppression.js';

const DIR = 'test/fixtures/config/api-defaults';
const now = new Date('2026-12-06T00:00:00Z');

function scan(file: string) {
  const name = `${DIR}/${file}`;
  const { objects } = parseManifests({ name, text: readFileSync(name, 'utf8') });
  return {
    objects,
    result: scanConfig(objects, {
      checks: CONFIG_CHECKS,
      suppressor: new Suppressor([], now),
      contextKinds: CONTEXT_KINDS,
      now,
    }),
  };
}

describe('API defaulting before checks (pkg/apis/core/v1/defaults.go)', () => {
  it('takes a volume with no source as the emptyDir the API server makes of it', () => {
    const { result, objects } = scan('volume-without-source.yaml');
    expect(result.findings.map((f) => f.ruleId)).not.toContain('pss-restricted-volume-types');
    expect(result.resources[0]?.podSecurity?.level).toBe('restricted');
    expect((objects[0]!.object.spec as { volumes: unknown[] }).volumes[0]).toEqual({
      name: 'scratch',
      emptyDir: {},
    });
  });

  it('gives containerPorts of a hostNetwork pod their hostPort, as Pod Security admission sees them', () => {
    const { result } = scan('host-network-ports.yaml');
    const rules = result.findings.map((f) => f.ruleId);
    expect(rules).toContain('pss-baseline-host-namespaces');
    expect(rules).toContain('pss-baseline-host-ports');
  });

  it('defaults pull policy, port protocol, probe timing and Service type without touching what is set', () => {
    const { objects } = scan('pull-policy-and-probes.yaml');
    const spec = (objects[0]!.object.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    const [latest, tagged] = spec.containers as Array<Record<string, unknown>>;
    expect(latest?.imagePullPolicy).toBe('Always');
    expect(tagged?.imagePullPolicy).toBe('IfNotPresent');
    expect((latest!.ports as Array<Record<string, unknown>>)[0]?.protocol).toBe('TCP');
    expect(latest?.livenessProbe).toMatchObject({
      timeoutSeconds: 1,
      periodSeconds: 10,
      failureThreshold: 3,
    });
    expect(spec.restartPolicy).toBe('Always');
    const service = objects[1]?.object.spec as Record<string, unknown>;
    expect(service.type).toBe('ClusterIP');
    expect((service.ports as Array<Record<string, unknown>>)[0]).toEqual({
      port: 80,
      protocol: 'TCP',
      targetPort: 80,
    });
    const kept = applyApiDefaults({
      apiVersion: 'v1',
      kind: 'Pod',
      spec: { containers: [{ name: 'c', image: 'x:1', imagePullPolicy: 'Never' }] },
    });
    expect(
      (kept.spec as { containers: Array<{ imagePullPolicy: string }> }).containers[0]?.imagePullPolicy,
    ).toBe('Never');
  });

  it('leaves values of the wrong type for the checks to report', () => {
    const object = applyApiDefaults({
      apiVersion: 'v1',
      kind: 'Pod',
      spec: { containers: 'nope', volumes: [7] },
    });
    expect(object.spec).toMatchObject({ containers: 'nope', volumes: [7] });
  });
});
