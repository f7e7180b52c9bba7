import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { scanManifestFiles } from '../../../core/config/scan-manifest-files.js';
import { Finding, type Report } from '../../../core/model/index.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/admission');
const noStdin = async () => Buffer.alloc(0);

async function scan(dir: string, extra: Parameters<typeof scanManifestFiles>[1] = { stdin: noStdin }) {
  return scanManifestFiles([join(FIXTURES, dir, 'manifests.yaml')], {
    ...extra,
    stdin: noStdin,
    policyPaths: [join(FIXTURES, dir)],
  });
}

/** The policy findings of a report: `name -> evidence`. */
function denied(report: Report, policy: string): Record<string, string> {
  return Object.fromEntries(
    report.findings
      .filter((f) => f.ruleId === policy)
      .map((f) => [`${f.resource.namespace ?? ''}/${f.resource.name}`, f.evidence ?? '']),
  );
}

describe('ValidatingAdmissionPolicy review of manifests (offline admission, CREATE)', () => {
  it('denies what the documented replica limit denies, and only what its rules match', async () => {
    const report = await scan('replica-limit');
    expect(Object.keys(denied(report, 'demo-policy.example.com'))).toEqual(['shop/big']);
    const finding = report.findings.find((f) => f.ruleId === 'demo-policy.example.com');
    expect(finding?.title).toBe('failed expression: object.spec.replicas <= 5');
    expect(finding?.severity).toBe('medium'); // reason Invalid by default
    expect(() => Finding.parse(finding)).not.toThrow();
    expect(report.problems).toEqual([]);
  });

  it('takes params by name and by selector, per binding, with namespaceSelector and messageExpression', async () => {
    const report = await scan('params');
    const byObject = denied(report, 'replicalimit-policy.example.com');
    expect(Object.keys(byObject).sort()).toEqual(['prod-ns/worker', 'test-ns/web']);
    expect(byObject['test-ns/web']).toContain('object.spec.replicas must be no greater than 3');
    expect(byObject['prod-ns/worker']).toContain('object.spec.replicas must be no greater than 9');
    expect(byObject['prod-ns/worker']).not.toContain('greater than 20');
    const worker = report.findings.find(
      (f) => f.resource.name === 'worker' && f.ruleId.startsWith('replicalimit'),
    );
    expect(worker?.severity).toBe('high'); // reason Forbidden
  });

  it('denies when a Deny binding finds no params, and lets an Allow binding pass', async () => {
    const report = await scanManifestFiles([join(FIXTURES, 'params/manifests.yaml')], {
      stdin: noStdin,
      // The policy file without its ReplicaLimit param: the test binding says Deny.
      policyPaths: [join(FIXTURES, 'params/policy.yaml')],
    });
    expect(denied(report, 'replicalimit-policy.example.com')['test-ns/web']).toContain(
      'replicas must be no greater than 3',
    );
    const withoutParams = await scanManifestFiles([join(FIXTURES, 'replica-limit/manifests.yaml')], {
      stdin: noStdin,
      policyPaths: [join(FIXTURES, 'params/policy.yaml')],
    });
    // shop is labelled by neither binding's selector: nothing applies.
    expect(denied(withoutParams, 'replicalimit-policy.example.com')).toEqual({});
  });

  it('applies matchConditions and excludeResourceRules before validations', async () => {
    const report = await scan('match-conditions');
    expect(Object.keys(denied(report, 'demo-policy.example.com'))).toEqual(['shop/demo-settings']);
  });

  it('evaluates variables lazily in order, against the namespace object (given or defaulted)', async () => {
    const report = await scan('variables');
    const byObject = denied(report, 'image-matches-namespace-environment.policy.example.com');
    expect(Object.keys(byObject)).toEqual(['staging/web']);
    expect(byObject['staging/web']).toContain('only staging images are allowed in namespace staging');
    // The seco.dev/severity annotation overrides the reason's severity.
    expect(
      report.findings.find((f) => f.ruleId === 'image-matches-namespace-environment.policy.example.com')
        ?.severity,
    ).toBe('critical');
  });

  it('reports audit annotations and the binding’s validation actions', async () => {
    const report = await scan('audit');
    const evidence = denied(report, 'demo-policy.example.com')['shop/fleet'];
    expect(evidence).toContain('Deployment has more than 50 replicas');
    expect(evidence).toContain('actions Audit,Warn');
    expect(evidence).toContain(
      'demo-policy.example.com/high-replica-count=Deployment spec.replicas set to 128',
    );
    expect(report.findings.find((f) => f.ruleId === 'demo-policy.example.com')?.severity).toBe('low');
  });

  it('names bad policies (syntax, type, undeclared, cost, malformed) and still runs the good one', async () => {
    const report = await scan('bad');
    const messages = report.problems.map((p) => p.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^ValidatingAdmissionPolicy syntax-error: spec\.validations\[0\]\.expression: compilation failed: <input>:1:\d+: /,
        ),
        expect.stringMatching(
          /^ValidatingAdmissionPolicy type-error: spec\.validations\[1\]\.expression: compilation failed: <input>:1:\d+: .*no such overload/,
        ),
        expect.stringMatching(
          /^ValidatingAdmissionPolicy undeclared: spec\.validations\[0\]\.expression: compilation failed: .*self/,
        ),
        expect.stringMatching(/^ValidatingAdmissionPolicy malformed: /),
        expect.stringMatching(
          /^ValidatingAdmissionPolicy too-costly: spec\.validations\[0\]\.expression: operation cancelled: actual cost limit exceeded/,
        ),
      ]),
    );
    expect(denied(report, 'require-team-label')['shop/big']).toContain('every ConfigMap needs a team label');
    // failurePolicy Fail: the API server would refuse the object the costly policy could not finish on.
    expect(denied(report, 'too-costly')['shop/big']).toContain('cost limit exceeded');
    expect(denied(report, 'syntax-error')).toEqual({});
  });

  it('lets an ignore file suppress a policy finding like any other', async () => {
    const report = await scan('replica-limit', {
      stdin: noStdin,
      ignoreRules: [{ id: 'demo-policy.example.com', reason: 'accepted for the sale' }],
    });
    const finding = report.findings.find((f) => f.ruleId === 'demo-policy.example.com');
    expect(finding?.status).toBe('suppressed');
  });
});
