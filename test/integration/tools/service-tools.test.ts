import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { AuditMemory } from '../../../core/exec/audit-log.js';
import { SecureExecutor } from '../../../core/exec/executor.js';
import { nmap } from '../../../core/tools/adapters/nmap.js';
import { sslscan } from '../../../core/tools/adapters/sslscan.js';
import { testssl } from '../../../core/tools/adapters/testssl.js';
import { installedTools } from '../../../core/tools/installed-tools.js';
import { runTool } from '../../../core/tools/run-tool.js';
import type { ServiceTarget } from '../../../core/tools/tool-adapter.js';
import { requireTool } from '../../harness/registry/required-tool.js';
import { startWeakListeners, type WeakListeners } from '../../harness/tls/weak-listeners.js';

let listeners: WeakListeners;
let tlsPort: number;
let plainPort: number;
let executor: SecureExecutor;
const audit = new AuditMemory();

beforeAll(async () => {
  requireTool('nmap', 'nmap');
  requireTool('sslscan', 'sslscan');
  requireTool('testssl', 'testssl.sh');
  listeners = await startWeakListeners('web.shop.svc');
  ({ tlsPort, plainPort } = listeners);
  executor = new SecureExecutor({ tools: await installedTools([nmap, sslscan, testssl]), audit: audit.sink });
});
afterAll(async () => {
  await listeners?.close();
});

const target = (): ServiceTarget => ({
  place: 'service',
  kind: 'Pod',
  namespace: 'shop',
  name: 'web-0',
  host: '127.0.0.1',
  ports: [tlsPort],
  declaredPorts: [tlsPort],
});

describe('tools aimed at the app’s Services and pods', () => {
  test('nmap reports open ports no container declares, not the declared one', async () => {
    const output = await runTool(nmap, target(), { executor });
    expect(output.problems).toEqual([]);
    const ports = output.findings.map((f) => f.evidence!.match(/:(\d+)\/tcp/)![1]).map(Number);
    expect(ports).toContain(plainPort);
    expect(ports).not.toContain(tlsPort);
    expect(output.findings.find((f) => f.evidence!.includes(`:${plainPort}/tcp`))).toMatchObject({
      ruleId: 'tool:nmap/undeclared-open-port',
      severity: 'medium',
      resource: { kind: 'Pod', namespace: 'shop', name: 'web-0' },
    });
    expect(new Set(output.findings.map((f) => f.id)).size).toBe(output.findings.length);
  }, 120_000);

  test('sslscan flags TLS 1.0/1.1 and the self-signed certificate', async () => {
    const output = await runTool(sslscan, target(), { executor });
    expect(output.problems).toEqual([]);
    expect(output.findings.map((f) => [f.ruleId, f.severity]).sort()).toEqual([
      ['tool:sslscan/certificate-self-signed', 'low'],
      ['tool:sslscan/protocol-tls1.0', 'medium'],
      ['tool:sslscan/protocol-tls1.1', 'medium'],
    ]);
    expect(output.raw[0]!.body.toString()).toContain('<protocol type="tls" version="1.0" enabled="1"');
  }, 120_000);

  test('testssl.sh rates TLS 1.0/1.1 and the self-signed certificate; a plain TCP port gives nothing', async () => {
    const output = await runTool(testssl, { ...target(), ports: [tlsPort, plainPort] }, { executor });
    expect(output.problems).toEqual([]);
    const rules = new Map(output.findings.map((f) => [f.ruleId, f]));
    expect(rules.get('tool:testssl/TLS1')).toMatchObject({
      severity: 'low',
      evidence: expect.stringContaining('offered'),
    });
    expect(rules.get('tool:testssl/TLS1_1')).toMatchObject({ severity: 'low' });
    expect(rules.get('tool:testssl/cert_chain_of_trust')).toMatchObject({
      severity: 'critical',
      evidence: expect.stringContaining('self signed'),
    });
    // Not for in-cluster Services: public DNS CAA records and the name check of an address.
    expect(rules.has('tool:testssl/DNS_CAArecord')).toBe(false);
    expect(rules.has('tool:testssl/cert_trust')).toBe(false);
    for (const f of output.findings) expect(f.evidence).toContain(`127.0.0.1:${tlsPort}:`);
    expect(output.raw.map((r) => r.name)).toEqual(
      expect.arrayContaining([`testssl-${tlsPort}.json`, `testssl-${plainPort}.json`]),
    );
  }, 600_000);

  test('a hostile target (an injected host) never reaches the tool', async () => {
    const output = await runTool(nmap, { ...target(), host: '127.0.0.1 -oN /etc/passwd' }, { executor });
    expect(output.findings).toEqual([]);
    expect(output.problems).toEqual([expect.stringMatching(/host .* refused/)]);
    const portInjection = await runTool(sslscan, { ...target(), ports: [Number.NaN] }, { executor });
    expect(portInjection.problems).toEqual([expect.stringMatching(/port .* refused/)]);
  });
});
