import { host, joined, port, SafeArg } from '../../exec/safe-arg.js';
import type { Finding } from '../../model/index.js';
import type { ServiceTarget, ToolAdapter } from '../tool-adapter.js';
import { targetResource, toolFinding } from '../tool-finding.js';
import { singleRunOutput, versionFlag } from '../tool-run-output.js';

/**
 * nmap against a pod or Service the scan resolved from the app (never a host a user typed): a TCP
 * connect scan of every port (`-sT -p-`, no ping, no scripts, no version probes), XML on stdout. An
 * open port that none of the app's containers declares (`containerPorts`) is a finding: something
 * listens that the manifests do not show (a debug endpoint, a sidecar, a backdoor).
 */
export const nmap: ToolAdapter<ServiceTarget> = {
  name: 'nmap',
  place: 'service',
  binary: { name: 'nmap', paths: ['/usr/bin/nmap'] },
  description: 'open TCP ports of the app’s pods and Services that no container declares',
  version: versionFlag('--version', /Nmap version (\S+)/),
  commands(target) {
    return [
      {
        args: [
          SafeArg.literal('-Pn'),
          SafeArg.literal('-n'),
          SafeArg.literal('-sT'),
          // A ClusterIP answers only on the Service's ports (kube-proxy forwards no others): scan those.
          ...(target.kind === 'Service'
            ? [
                SafeArg.literal('-p'),
                joined(
                  target.ports.map((p) => port(p)),
                  ',',
                ),
              ]
            : [SafeArg.literal('-p-')]),
          SafeArg.literal('-T4'),
          SafeArg.literal('--max-retries'),
          SafeArg.literal('1'),
          SafeArg.literal('--open'),
          SafeArg.literal('-oX'),
          SafeArg.literal('-'),
          SafeArg.literal('--'),
          host(target.host),
        ],
        env: {},
        timeoutMs: 10 * 60_000,
      },
    ];
  },
  parse(results, target, _inputs, now) {
    return singleRunOutput('nmap', results, [0], (stdout) => parseNmapXml(stdout, target, now));
  },
};

/** Open TCP ports from nmap's XML (`<port protocol="tcp" portid="N"><state state="open"…/>`). */
export function openPorts(xml: string): Array<{ port: number; service?: string }> {
  const ports: Array<{ port: number; service?: string }> = [];
  for (const m of xml.matchAll(/<port protocol="tcp" portid="(\d{1,5})">(.*?)<\/port>/gs)) {
    if (!/<state state="open"/.test(m[2]!)) continue;
    const service = /<service name="([^"]*)"/.exec(m[2]!)?.[1];
    ports.push({ port: Number(m[1]), ...(service ? { service } : {}) });
  }
  return ports;
}

export function parseNmapXml(xml: string, target: ServiceTarget, now: Date): Finding[] {
  const declared = new Set(target.declaredPorts);
  return openPorts(xml)
    .filter(({ port }) => !declared.has(port))
    .map(({ port, service }) =>
      toolFinding({
        tool: 'nmap',
        id: 'undeclared-open-port',
        title: `Port ${port}/tcp is open on ${target.kind.toLowerCase()} ${target.namespace}/${target.name} but no container declares it`,
        severity: 'medium',
        resource: targetResource(target),
        evidence: `${target.host}:${port}/tcp open${service ? ` (nmap guesses ${service})` : ''}; declared: ${[...declared].sort((a, b) => a - b).join(', ') || 'none'}`,
        subject: String(port),
        remediation:
          'Find what listens on this port; declare it in containerPorts if it is meant to be there, else turn it off. A NetworkPolicy limits who can reach it meanwhile.',
        references: [{ kind: 'mitre', id: 'T1046', url: 'https://attack.mitre.org/techniques/T1046/' }],
        now,
      }),
    );
}
