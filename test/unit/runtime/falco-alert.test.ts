import { readFile } from 'node:fs/promises';
import { describe, expect, test } from '@jest/globals';
import { Finding } from '../../../core/model/index.js';
import { falcoAlertToFinding } from '../../../core/runtime/falco-alert.js';

const fixture = async () =>
  JSON.parse(await readFile(new URL('../../fixtures/runtime/falco-alert.json', import.meta.url), 'utf8'));

describe('falcoAlertToFinding', () => {
  test('normalises a falcosidekick alert into a tool:falco finding on its pod', async () => {
    const result = falcoAlertToFinding(await fixture(), { cluster: 'prod' });
    if (!result.ok) throw new Error(result.error);
    expect(Finding.parse(result.finding)).toBeTruthy();
    expect(result.finding).toMatchObject({
      scanner: 'tool:falco',
      ruleId: 'Terminal shell in container',
      severity: 'low',
      resource: {
        cluster: 'prod',
        namespace: 'shop',
        kind: 'Pod',
        name: 'web-7d9',
        container: 'web',
        node: 'node-1',
        image: 'ghcr.io/acme/web:1.4.2',
      },
      references: [{ kind: 'mitre', id: 'T1059' }],
      firstSeen: '2026-11-22T14:02:11.123Z',
    });
    expect(result.finding.evidence).not.toContain('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  });

  test('carries the process tree from proc.* fields (the parent, then proc.aname[N]), secrets masked', async () => {
    const alert = await fixture();
    alert.output_fields = {
      ...alert.output_fields,
      'proc.pid': 4242,
      'proc.cmdline':
        'curl -u admin:hunter2 http://x; export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'proc.name': 'curl',
      'proc.exepath': '/usr/bin/curl',
      'user.uid': 0,
      'proc.ppid': 4200,
      'proc.pname': 'bash',
      'proc.pcmdline': 'bash -i',
      'proc.aname[2]': 'sshd',
      'proc.aname[3]': '<NA>',
    };
    const result = falcoAlertToFinding(alert);
    if (!result.ok) throw new Error(result.error);
    expect(Finding.parse(result.finding).process).toEqual({
      pid: 4242,
      name: 'curl',
      exe: '/usr/bin/curl',
      cmdline: expect.stringContaining('curl -u'),
      uid: 0,
      ancestors: [{ pid: 4200, name: 'bash', cmdline: 'bash -i' }, { name: 'sshd' }],
    });
    expect(result.finding.process?.cmdline).not.toContain('wJalrXUtnFEMI/K7MDENG');
  });

  test('without proc fields there is no process tree', async () => {
    const alert = await fixture();
    delete alert.output_fields['proc.cmdline'];
    const result = falcoAlertToFinding(alert);
    expect(result.ok && result.finding.process).toBeUndefined();
  });

  test('the same alert twice is one finding', async () => {
    const a = falcoAlertToFinding(await fixture());
    const b = falcoAlertToFinding({ ...(await fixture()), time: '2026-11-23T00:00:00Z' });
    expect(a.ok && b.ok && a.finding.id === b.finding.id).toBe(true);
  });

  test.each([
    [{}, 'falco alert: rule'],
    [{ rule: 'x', priority: 'Loud', time: '2026-01-01T00:00:00Z' }, 'priority: unknown priority "Loud"'],
    [{ rule: 'x', priority: 'Error', time: 'yesterday' }, 'time: not a date'],
    ['not an object', 'falco alert: body'],
  ])('a malformed alert names what is wrong (%#)', (value, message) => {
    const result = falcoAlertToFinding(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(message);
  });
});
