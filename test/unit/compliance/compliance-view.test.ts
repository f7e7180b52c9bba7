import { describe, expect, it } from '@jest/globals';
import { complianceView } from '../../../core/compliance/compliance-view.js';
import { loadFramework } from '../../../core/compliance/framework-file.js';
import { CONFIG_CHECKS } from '../../../core/config/registry.js';
import { scanManifestFiles } from '../../../core/config/scan-manifest-files.js';
import { COMPLIANCE_FRAMEWORKS, Report } from '../../../core/model/index.js';
import { rendererFor } from '../../../core/report/render/index.js';

const noStdin = async () => Buffer.alloc(0);
const renderOptions = { color: false, toolVersion: '0.0.0-test' };

async function viewOf(paths: string[], framework: (typeof COMPLIANCE_FRAMEWORKS)[number], ignore = false) {
  const report = await scanManifestFiles(paths, {
    stdin: noStdin,
    ...(ignore ? { ignoreRules: [{ id: 'pss-baseline-host-namespaces', reason: 'node agent' }] } : {}),
  });
  report.compliance = complianceView(loadFramework(framework), report);
  return report;
}

describe('compliance views (--compliance)', () => {
  it.each(COMPLIANCE_FRAMEWORKS)('%s: the control list is data, and every check it names exists', (name) => {
    const framework = loadFramework(name);
    expect(framework.framework).toBe(name);
    expect(framework.controls.length).toBeGreaterThan(5);
    const ids = new Set(CONFIG_CHECKS.map((c) => c.id));
    for (const control of framework.controls)
      for (const check of control.checks) expect(ids).toContain(check);
  });

  it('pss-restricted: the hardened demo app passes every applicable control, score 100', async () => {
    const report = await viewOf(['examples/demo-app/hardened'], 'pss-restricted');
    const view = report.compliance!;
    expect(view.controls.every((c) => c.status === 'pass')).toBe(true);
    expect(view.score).toBe(100);
    expect(() => Report.parse(report)).not.toThrow();
  });

  it('cis: the common demo app fails named controls with the resources affected, and scores below 100', async () => {
    const report = await viewOf(['examples/demo-app/common'], 'cis');
    const view = report.compliance!;
    const control = (id: string) => view.controls.find((c) => c.id === id)!;
    expect(control('5.2.2')).toMatchObject({ status: 'fail', affected: ['wordsmith/Deployment/aggregator'] });
    expect(control('5.2.13').status).toBe('pass');
    // No Role or binding in the input: the RBAC controls have nothing to judge.
    expect(control('5.1.3').status).toBe('not-applicable');
    expect(view.score).toBeGreaterThan(0);
    expect(view.score).toBeLessThan(100);
  });

  it('tells controls sharing one check apart by evidence (hostNetwork vs hostPID) and keeps exceptions out', async () => {
    const report = await viewOf(['test/fixtures/config/api-defaults/host-network-ports.yaml'], 'cis');
    const control = (id: string) => report.compliance!.controls.find((c) => c.id === id)!;
    expect(control('5.2.5').status).toBe('fail');
    expect(control('5.2.3').status).toBe('pass');
    const excepted = await viewOf(['test/fixtures/config/api-defaults/host-network-ports.yaml'], 'cis', true);
    expect(excepted.compliance!.controls.find((c) => c.id === '5.2.5')?.status).toBe('pass');
  });

  it('is in every output format: a table of controls, JSON and YAML fields; SARIF keeps per-finding results', async () => {
    const report = await viewOf(['examples/demo-app/common'], 'nsa');
    const table = rendererFor('table').render(report, renderOptions);
    expect(table).toMatch(/C-0057 +FAIL +1\/3 +Privileged container/);
    expect(table).toMatch(/↳ wordsmith\/Deployment\/aggregator/);
    expect(table).toMatch(/nsa compliance score: \d+\.\d\d% \(\d+ passed, \d+ failed, \d+ not applicable\)/);
    const json = JSON.parse(rendererFor('json').render(report, renderOptions));
    expect(json.compliance.controls.find((c: { id: string }) => c.id === 'C-0057').status).toBe('fail');
    expect(rendererFor('yaml').render(report, renderOptions)).toContain('framework: nsa');
    const sarif = JSON.parse(rendererFor('sarif').render(report, renderOptions));
    expect(sarif.runs[0].results.length).toBe(report.findings.length);
  });
});
