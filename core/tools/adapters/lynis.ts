import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { joined, pathUnder, SafeArg } from '../../exec/safe-arg.js';
import type { Finding } from '../../model/index.js';
import type { HostTarget, ToolAdapter } from '../tool-adapter.js';
import { targetResource, toolFinding } from '../tool-finding.js';
import { describeRun, rawOutputs } from '../tool-run-output.js';

const REPORT = 'lynis-report.dat';
const TEST_ID = /^[A-Z]{3,5}-[0-9]{4}$/;

/** The tests a run is limited to (`--tests`), when the caller wants a quick subset; all when unset. */
export const LYNIS_TESTS_ENV = 'SECO_LYNIS_TESTS';

/**
 * Lynis, the host hardening audit (CISOfy, GPLv3), on a node as a host job: `lynis audit system
 * --rootdir ROOT` against the mounted host root, read from its machine-readable report file
 * (`warning[]=ID|text|details|solution|`, `suggestion[]=…`, `details[]=ID|service|desc:…;field:…;
 * prefval:…;value:…;|`). Warnings are medium, suggestions low; each sysctl lynis would change
 * (KRNL-6000) is one finding named like lynis's own skip syntax `KRNL-6000:<key>`.
 */
export const lynis: ToolAdapter<HostTarget> = {
  name: 'lynis',
  place: 'host',
  binary: { name: 'lynis', paths: ['/usr/sbin/lynis', '/usr/bin/lynis'] },
  description: 'host hardening audit (warnings, suggestions, sysctl deviations)',
  version: {
    command: {
      args: [SafeArg.literal('show'), SafeArg.literal('version')],
      env: toolEnv(),
      timeoutMs: 30_000,
    },
    parse: (r) => /\d+\.\d+\.\d+/.exec(r.stdout.toString())?.[0],
  },
  commands(target, inputs) {
    const tests = (inputs.lynisTests ?? []).filter((t) => TEST_ID.test(t));
    return [
      {
        args: [
          SafeArg.literal('audit'),
          SafeArg.literal('system'),
          SafeArg.literal('--quick'),
          SafeArg.literal('--no-colors'),
          SafeArg.literal('--no-log'),
          SafeArg.literal('--rootdir'),
          pathUnder(target.root, [target.root]),
          SafeArg.literal('--report-file'),
          pathUnder(join(inputs.scratch, REPORT), [inputs.scratch]),
          // --tests takes one space-separated word; each id was checked against TEST_ID.
          ...(tests.length > 0
            ? [
                SafeArg.literal('--tests'),
                joined(
                  tests.map((t) => SafeArg.literal(t)),
                  ' ',
                ),
              ]
            : []),
        ],
        env: toolEnv(),
        timeoutMs: 15 * 60_000,
      },
    ];
  },
  async parse(results, target, inputs, now) {
    const problems = results[0]?.exitCode === 0 ? [] : [`lynis ended with ${describeRun(results[0])}`];
    const report = await readFile(join(inputs.scratch, REPORT)).catch(() => undefined);
    if (!report)
      return {
        findings: [],
        raw: rawOutputs('lynis', results),
        problems: [...problems, 'lynis wrote no report file'],
      };
    return {
      findings: parseLynisReport(report.toString('utf8'), target, now),
      raw: [{ name: REPORT, body: report }, ...rawOutputs('lynis', results)],
      problems,
    };
  },
};

function toolEnv(): Record<string, string> {
  // lynis is a shell script calling many system programs: it needs PATH, and a C locale for parsable output.
  return {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    LANG: 'C',
    LC_ALL: 'C',
    TERM: 'dumb',
  };
}

/**
 * The report's findings: one per deviating setting lynis details (`details[]` of service sysctl or
 * sshd: KRNL-6000, SSH-7408), named like lynis's own skip syntax `TEST:<key>`, then one per other
 * warning/suggestion test id (its texts merged). A test's generic suggestion is left out when its
 * details say the same thing setting by setting.
 */
export function parseLynisReport(text: string, target: HostTarget, now: Date): Finding[] {
  const byId = new Map<string, { severity: 'medium' | 'low'; texts: string[]; solution?: string }>();
  const settings: Finding[] = [];
  const detailed = new Set<string>();
  const resource = targetResource(target);
  for (const line of text.split('\n')) {
    const entry = /^(warning|suggestion|details)\[\]=(.*)$/.exec(line);
    if (!entry) continue;
    const [id = '', second = '', third = '', fourth = ''] = entry[2]!.split('|');
    if (!/^[A-Z]{3,6}-[0-9]{4}$/.test(id)) continue; // LYNIS (its own age) and malformed lines
    if (entry[1] === 'details') {
      const setting = detailFinding(id, second, third, target, now);
      if (setting) {
        settings.push(setting);
        detailed.add(id);
      }
      continue;
    }
    const severity = entry[1] === 'warning' ? 'medium' : 'low';
    const known = byId.get(id) ?? { severity, texts: [] };
    if (severity === 'medium') known.severity = 'medium';
    if (second && !known.texts.includes(second)) known.texts.push(second);
    if (fourth && fourth !== '-') known.solution = fourth;
    else if (third && third !== '-') known.solution ??= third;
    byId.set(id, known);
  }
  const findings = [...byId]
    .filter(([id, f]) => f.severity === 'medium' || !detailed.has(id))
    .map(([id, f]) =>
      toolFinding({
        tool: 'lynis',
        id,
        title: f.texts[0] ?? id,
        severity: f.severity,
        resource,
        evidence: f.texts.join('; '),
        ...(f.solution ? { remediation: f.solution } : {}),
        references: lynisReferences(id),
        now,
      }),
    );
  return [...findings, ...settings];
}

/** `details[]=ID|service|desc:…;field:…;prefval:…;value:…;|` for a sysctl or an sshd option. */
function detailFinding(
  id: string,
  service: string,
  fieldsText: string,
  target: HostTarget,
  now: Date,
): Finding | undefined {
  const fields: Record<string, string> = {};
  for (const kv of fieldsText.split(';')) {
    const colon = kv.indexOf(':');
    if (colon > 0) fields[kv.slice(0, colon)] = kv.slice(colon + 1);
  }
  const key = fields.field;
  if (!key || (service !== 'sysctl' && service !== 'sshd')) return undefined;
  const file = service === 'sysctl' ? `/proc/sys/${key.replace(/\./g, '/')}` : '/etc/ssh/sshd_config';
  return toolFinding({
    tool: 'lynis',
    id: `${id}:${key}`,
    title: `${service === 'sysctl' ? 'sysctl' : 'sshd option'} ${key} is ${fields.value ?? '?'}, lynis prefers ${fields.prefval ?? '?'}`,
    severity: 'low',
    resource: { ...targetResource(target), file },
    evidence: `${key} = ${fields.value ?? '?'} (${fields.desc ?? 'no description'})`,
    remediation:
      service === 'sysctl'
        ? `Set ${key} = ${fields.prefval ?? '?'} in /etc/sysctl.d/ and apply it (sysctl --system).`
        : `Set "${key} ${fields.prefval ?? '?'}" in /etc/ssh/sshd_config and reload sshd.`,
    references: lynisReferences(id),
    now,
  });
}

function lynisReferences(id: string) {
  const test = id.split(':')[0]!;
  return [{ kind: 'other' as const, id: `lynis ${test}`, url: `https://cisofy.com/lynis/controls/${test}/` }];
}
