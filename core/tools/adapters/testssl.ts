import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hostPort, pathUnder, SafeArg } from '../../exec/safe-arg.js';
import type { Finding, Severity } from '../../model/index.js';
import type { ServiceTarget, ToolAdapter, ToolCommand } from '../tool-adapter.js';
import { targetResource, toolFinding } from '../tool-finding.js';
import { describeRun, rawOutputs, versionFlag } from '../tool-run-output.js';

/** testssl.sh's own severities (its JSON `severity`) that are findings, as seco's. */
const SEVERITY: Readonly<Record<string, Severity>> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MEDIUM: 'medium',
  LOW: 'low',
};

/**
 * Checks that cannot be right for a Service reached inside the cluster: CAA is a public DNS record,
 * and the certificate names the Service's DNS name while we connect to its ClusterIP.
 */
const NOT_FOR_SERVICES = new Set(['DNS_CAArecord']);
const NAME_MISMATCH = /does not match supplied URI/;

const jsonFile = (port: number) => `testssl-${port}.json`;

/**
 * testssl.sh against each TCP port of a Service the scan resolved (one run per port, `--jsonfile`
 * into the run's scratch directory): protocols (`-p`), server defaults and certificate (`-S`),
 * standard cipher categories (`-s`) and Heartbleed (`-H`). Every entry testssl.sh rates LOW or worse
 * is a finding at its own rating, under its own id (`tool:testssl/TLS1`, `…/cert_chain_of_trust`).
 * A port that does not speak TLS gives no findings. Debian installs it as `testssl`.
 */
export const testssl: ToolAdapter<ServiceTarget> = {
  name: 'testssl',
  place: 'service',
  binary: {
    name: 'testssl',
    paths: ['/usr/bin/testssl', '/usr/bin/testssl.sh', '/usr/local/bin/testssl.sh'],
  },
  description: 'weak TLS on the app’s Service ports, rated by testssl.sh (protocols, ciphers, certificate)',
  version: versionFlag('--version', /testssl(?:\.sh)?\s+(\d+\.\d+[^\s]*)/, toolEnv()),
  commands(target, inputs) {
    return target.ports.map(
      (port): ToolCommand => ({
        args: [
          SafeArg.literal('--quiet'),
          SafeArg.literal('--color'),
          SafeArg.literal('0'),
          SafeArg.literal('--warnings'),
          SafeArg.literal('off'),
          SafeArg.literal('--fast'),
          SafeArg.literal('--nodns'),
          SafeArg.literal('none'),
          SafeArg.literal('--jsonfile'),
          pathUnder(join(inputs.scratch, jsonFile(port)), [inputs.scratch]),
          SafeArg.literal('-p'),
          SafeArg.literal('-S'),
          SafeArg.literal('-s'),
          SafeArg.literal('-H'),
          hostPort(target.host, port),
        ],
        env: toolEnv(),
        cwd: inputs.scratch,
        timeoutMs: 10 * 60_000,
      }),
    );
  },
  async parse(results, target, inputs, now) {
    const findings: Finding[] = [];
    const problems: string[] = [];
    const raw = rawOutputs('testssl', results);
    for (const [i, result] of results.entries()) {
      const port = target.ports[i]!;
      const body = await readFile(join(inputs.scratch, jsonFile(port))).catch(() => undefined);
      if (body) raw.push({ name: jsonFile(port), body });
      const entries = body ? testsslEntries(body.toString('utf8')) : undefined;
      if (!entries) {
        problems.push(`testssl of port ${port} ended with ${describeRun(result)} and wrote no JSON`);
        continue;
      }
      if (entries.some((e) => e.id === 'optimal_proto' && /doesn't seem to be a TLS/.test(e.finding)))
        continue; // not a TLS port: nothing for a TLS tool to say
      for (const e of entries.filter((x) => x.severity === 'FATAL'))
        problems.push(`testssl of port ${port}: ${e.id}: ${e.finding}`);
      if (result?.stopped || (result?.exitCode !== 0 && entries.length === 0))
        problems.push(`testssl of port ${port} ended with ${describeRun(result)}`);
      findings.push(...testsslFindings(entries, target, port, now));
    }
    return { findings, raw, problems };
  },
};

function toolEnv(): Record<string, string> {
  // testssl.sh is a bash script driving openssl: it needs PATH; TERM keeps it from asking tput.
  return { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C', LC_ALL: 'C', TERM: 'dumb' };
}

interface TestsslEntry {
  id: string;
  severity: string;
  finding: string;
  cve?: string;
  cwe?: string;
}

/** testssl.sh's flat JSON (`--jsonfile`): an array of `{id, ip, port, severity, finding, cve?, cwe?}`. */
export function testsslEntries(text: string): TestsslEntry[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  return parsed.flatMap((e) =>
    e && typeof e === 'object' && typeof e.id === 'string' && typeof e.severity === 'string'
      ? [
          {
            id: e.id.slice(0, 100),
            severity: e.severity,
            finding: typeof e.finding === 'string' ? e.finding.slice(0, 1000) : '',
            ...(typeof e.cve === 'string' && e.cve ? { cve: e.cve } : {}),
            ...(typeof e.cwe === 'string' && e.cwe ? { cwe: e.cwe } : {}),
          },
        ]
      : [],
  );
}

export function testsslFindings(
  entries: readonly TestsslEntry[],
  target: ServiceTarget,
  port: number,
  now: Date,
): Finding[] {
  return entries.flatMap((e) => {
    const severity = SEVERITY[e.severity];
    if (!severity || NOT_FOR_SERVICES.has(e.id)) return [];
    if (e.id === 'cert_trust' && NAME_MISMATCH.test(e.finding)) return [];
    const id = e.id.replace(/[^A-Za-z0-9_.-]/g, '_');
    return [
      toolFinding({
        tool: 'testssl',
        id,
        title: `testssl.sh: ${e.id} on port ${port}: ${e.finding}`,
        severity,
        resource: targetResource(target),
        evidence: `${target.host}:${port}: ${e.finding}`,
        subject: String(port),
        remediation:
          'Configure the server for TLS 1.2 and 1.3 only with AEAD ciphers (Mozilla "intermediate" profile), and a certificate from a CA the clients trust.',
        references: [
          ...(e.cve ? e.cve.split(/\s+/).map((cve) => ({ kind: 'cve' as const, id: cve })) : []),
          { kind: 'url', id: 'testssl.sh', url: 'https://testssl.sh/' },
        ],
        now,
      }),
    ];
  });
}
