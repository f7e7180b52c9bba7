import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { loadConfigContext, runConfigStep } from '../../../aggregator/config-step.js';
import { resolveTarget } from '../../../aggregator/target-resolver.js';
import { DirectoryKubeView } from '../../../core/kube/directory-kube-view.js';
import { ScanStart } from '../../../core/protocol/client-messages.js';
import { MAX_SCAN_POLICIES } from '../../../core/protocol/limits.js';
import { FsObjectStore } from '../../../core/store/fs/fs-object-store.js';
import { scanPoliciesKey } from '../../../core/store/scan-objects.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function sentPolicies(): Record<string, unknown>[] {
  const text = readFileSync('test/fixtures/admission/replica-limit/policy.yaml', 'utf8');
  return parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>);
}

describe('policies in cluster mode', () => {
  it('reviews the app against the policies sent with the scan and the cluster’s own', async () => {
    const kube = await DirectoryKubeView.load('test/fixtures/admission/cluster');
    const dir = mkdtempSync(join(tmpdir(), 'seco-policies-'));
    dirs.push(dir);
    const store = new FsObjectStore(dir);
    await store.put(scanPoliciesKey('scan-1'), JSON.stringify(sentPolicies()));
    const app = await resolveTarget(kube, { namespace: 'shop', name: 'web' });
    const findings = await runConfigStep(kube, store, 'scan-1', app, {
      now: new Date('2026-12-06T00:00:00Z'),
      policies: true,
      clusterPolicies: true,
    });
    const byRule = new Map(findings.map((f) => [f.ruleId, f]));
    expect(byRule.get('demo-policy.example.com')?.title).toBe('failed expression: object.spec.replicas <= 5');
    expect(byRule.get('prod-needs-team-label')).toMatchObject({
      title: 'every production Deployment needs a team label',
      severity: 'high',
      resource: { namespace: 'shop', kind: 'Deployment', name: 'web' },
    });
    const context = await loadConfigContext(store, 'scan-1');
    expect(context.problems.map((p) => p.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^ValidatingAdmissionPolicy broken-cluster-policy: spec\.validations\[0\]\.expression: compilation failed/,
        ),
      ]),
    );
  });

  it('leaves the cluster’s policies alone unless asked', async () => {
    const kube = await DirectoryKubeView.load('test/fixtures/admission/cluster');
    const dir = mkdtempSync(join(tmpdir(), 'seco-policies-'));
    dirs.push(dir);
    const app = await resolveTarget(kube, { namespace: 'shop', name: 'web' });
    const findings = await runConfigStep(kube, new FsObjectStore(dir), 'scan-2', app, { now: new Date() });
    expect(findings.map((f) => f.ruleId)).not.toContain('prod-needs-team-label');
  });

  it('carries policies in scan.start, bounded in number', () => {
    const base = { v: 1, type: 'scan.start', requestId: 'r1', target: { namespace: 'shop', name: 'web' } };
    const parsed = ScanStart.parse({ ...base, policies: sentPolicies(), clusterPolicies: true });
    expect(parsed.policies?.[0]?.kind).toBe('ValidatingAdmissionPolicy');
    const tooMany = Array.from({ length: MAX_SCAN_POLICIES + 1 }, () => ({ kind: 'ConfigMap' }));
    expect(ScanStart.safeParse({ ...base, policies: tooMany }).success).toBe(false);
    expect(ScanStart.safeParse({ ...base, policies: ['not an object'] }).success).toBe(false);
  });
});
