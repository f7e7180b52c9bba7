import { describe, expect, it } from '@jest/globals';
import { scanManifestFiles } from '../../../core/config/scan-manifest-files.js';

const noStdin = async () => Buffer.alloc(0);

describe('the demo app examples', () => {
  it('hardened: no findings at all, every Deployment restricted', async () => {
    const report = await scanManifestFiles(['examples/demo-app/hardened'], { stdin: noStdin });
    expect(report.problems).toEqual([]);
    expect(report.findings).toEqual([]);
    const deployments = report.resources.filter((r) => r.kind === 'Deployment');
    expect(deployments.map((d) => [d.name, d.podSecurity?.level])).toEqual([
      ['aggregator', 'restricted'],
      ['noun-api', 'restricted'],
      ['verb-api', 'restricted'],
    ]);
    expect(report.skippedKinds).toEqual({ ClusterPolicy: 4 });
  });

  it('the example policies: hardened passes them all, common is refused by each', async () => {
    const policyPaths = ['examples/policies'];
    const hardened = await scanManifestFiles(['examples/demo-app/hardened'], { stdin: noStdin, policyPaths });
    expect(hardened.problems).toEqual([]);
    expect(hardened.findings).toEqual([]);
    const common = await scanManifestFiles(['examples/demo-app/common'], { stdin: noStdin, policyPaths });
    expect(common.problems).toEqual([]);
    const rules = new Set(common.findings.map((f) => f.ruleId));
    for (const id of ['images-pinned-by-digest', 'memory-limits-within-budget', 'services-not-exposed'])
      expect(rules).toContain(id);
  });

  it('common: findings at several severities, the literal password masked', async () => {
    const report = await scanManifestFiles(['examples/demo-app/common'], { stdin: noStdin });
    expect(report.summary.high).toBeGreaterThan(0);
    expect(report.summary.medium).toBeGreaterThan(0);
    expect(report.summary.low).toBeGreaterThan(0);
    const rules = new Set(report.findings.map((f) => f.ruleId));
    for (const id of [
      'pss-baseline-privileged',
      'pss-baseline-host-path-volumes',
      'env-literal-secret',
      'image-tag-latest',
      'service-exposed',
      'network-policy-missing',
    ]) {
      expect(rules).toContain(id);
    }
    expect(JSON.stringify(report)).not.toContain('Sup3r-S3cret-Passw0rd');
    expect(
      report.resources.find((r) => r.name === 'aggregator' && r.kind === 'Deployment')?.podSecurity?.level,
    ).toBe('privileged');
  });
});
