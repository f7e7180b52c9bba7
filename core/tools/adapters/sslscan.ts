import { hostPort, SafeArg } from '../../exec/safe-arg.js';
import type { Finding, Severity } from '../../model/index.js';
import type { ServiceTarget, ToolAdapter } from '../tool-adapter.js';
import { targetResource, toolFinding } from '../tool-finding.js';
import { describeRun, rawOutputs, versionFlag } from '../tool-run-output.js';

// RFC 8996 deprecates TLS 1.0 and 1.1; RFC 6176 and RFC 7568 prohibit SSL 2.0 and 3.0.
const PROTOCOL_SEVERITY: Record<string, Severity> = {
  'ssl 2': 'high',
  'ssl 3': 'high',
  'tls 1.0': 'medium',
  'tls 1.1': 'medium',
};
const RFC: Record<string, string> = {
  'ssl 2': 'RFC 6176',
  'ssl 3': 'RFC 7568',
  'tls 1.0': 'RFC 8996',
  'tls 1.1': 'RFC 8996',
};

/**
 * sslscan against each TCP port of a Service the scan resolved (`sslscan --xml=- host:port`, one run
 * per port): deprecated protocols accepted (SSLv2/3 high, TLS 1.0/1.1 medium per RFC 8996), weak,
 * null or anonymous ciphers accepted, Heartbleed, and an expired or self-signed certificate. A port
 * that does not speak TLS gives no findings.
 */
export const sslscan: ToolAdapter<ServiceTarget> = {
  name: 'sslscan',
  place: 'service',
  binary: { name: 'sslscan', paths: ['/usr/bin/sslscan'] },
  description: 'weak TLS on the app’s Service ports (protocols, ciphers, certificate, Heartbleed)',
  version: versionFlag('--version', /(\d+\.\d+\.\d+)/),
  commands(target) {
    return target.ports.map((port) => ({
      args: [
        SafeArg.literal('--xml=-'),
        SafeArg.literal('--no-colour'),
        SafeArg.literal('--no-fallback'),
        hostPort(target.host, port),
      ],
      env: {},
      timeoutMs: 5 * 60_000,
    }));
  },
  parse(results, target, _inputs, now) {
    const problems = results.flatMap((r, i) =>
      r.exitCode === 0 ? [] : [`sslscan of port ${target.ports[i]} ended with ${describeRun(r)}`],
    );
    return {
      findings: results.flatMap((r, i) =>
        parseSslscanXml(r.stdout.toString('utf8'), target, target.ports[i]!, now),
      ),
      raw: rawOutputs('sslscan', results),
      problems,
    };
  },
};

export function parseSslscanXml(xml: string, target: ServiceTarget, port: number, now: Date): Finding[] {
  const findings: Finding[] = [];
  const where = `${target.host}:${port}`;
  const add = (
    id: string,
    title: string,
    severity: Severity,
    evidence: string,
    references: Finding['references'] = [],
  ) =>
    findings.push(
      toolFinding({
        tool: 'sslscan',
        id,
        title: `${title} on port ${port}`,
        severity,
        resource: targetResource(target),
        evidence: `${where}: ${evidence}`,
        subject: String(port),
        remediation:
          'Configure the server for TLS 1.2 and 1.3 only with AEAD ciphers (Mozilla "intermediate" profile), and a certificate from a trusted CA.',
        references: [
          ...references,
          {
            kind: 'url',
            id: 'mozilla server side TLS',
            url: 'https://wiki.mozilla.org/Security/Server_Side_TLS',
          },
        ],
        now,
      }),
    );
  for (const m of xml.matchAll(/<protocol type="(ssl|tls)" version="([0-9.]+)" enabled="1"/g)) {
    const key = `${m[1]} ${m[2]}`;
    const severity = PROTOCOL_SEVERITY[key];
    if (severity)
      add(
        `protocol-${m[1]}${m[2]}`,
        `Deprecated protocol ${m[1]!.toUpperCase()} ${m[2]} accepted`,
        severity,
        `${m[1]!.toUpperCase()}v${m[2]} enabled`,
        [{ kind: 'other', id: RFC[key]!, url: `https://www.rfc-editor.org/rfc/rfc${RFC[key]!.slice(4)}` }],
      );
  }
  const weak = [
    ...xml.matchAll(
      /<cipher status="(?:accepted|preferred)" sslversion="([^"]+)" bits="(\d+)" cipher="([^"]+)"[^>]*strength="(null|anonymous|weak|medium)"/g,
    ),
  ];
  if (weak.length > 0)
    add(
      'weak-cipher',
      'Weak ciphers accepted',
      weak.some((w) => w[4] !== 'medium') ? 'high' : 'medium',
      weak.map((w) => `${w[1]} ${w[3]} (${w[2]} bits, ${w[4]})`).join(', '),
    );
  if (/<heartbleed [^>]*vulnerable="1"/.test(xml))
    add('heartbleed', 'Vulnerable to Heartbleed', 'critical', 'heartbleed: vulnerable', [
      { kind: 'cve', id: 'CVE-2014-0160' },
    ]);
  if (/<expired>true<\/expired>/.test(xml))
    add(
      'certificate-expired',
      'Expired TLS certificate',
      'high',
      `not valid after ${/<not-valid-after>([^<]*)</.exec(xml)?.[1] ?? '?'}`,
    );
  if (/<self-signed>true<\/self-signed>/.test(xml))
    add(
      'certificate-self-signed',
      'Self-signed TLS certificate',
      'low',
      'the certificate is self-signed: clients cannot verify it without pinning it',
    );
  return findings;
}
