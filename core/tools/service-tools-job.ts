import { BlockList, isIP } from 'node:net';
import type { SecureExecutor } from '../exec/executor.js';
import type { Finding } from '../model/index.js';
import type { ServiceToolTarget } from '../protocol/index.js';
import { adapterNamed } from './registry.js';
import { runTool } from './run-tool.js';
import type { ServiceTarget, ToolAdapter } from './tool-adapter.js';

/**
 * Where a Service's ClusterIP may be by default: the private ranges clusters allocate Service and pod
 * addresses from (RFC 1918, RFC 6598 shared space, RFC 4193 unique local). Loopback, link-local (the
 * cloud metadata endpoint 169.254.169.254) and public addresses are refused unless the runner is told
 * the cluster's Service CIDR includes them.
 */
export const DEFAULT_SERVICE_NETWORKS = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  'fc00::/7',
];

export interface ServiceToolsOptions {
  executor: SecureExecutor;
  /** CIDRs a target's ClusterIP must be in (the cluster's Service CIDR); default DEFAULT_SERVICE_NETWORKS. */
  networks?: readonly string[];
  cluster?: string;
  now: Date;
  signal?: AbortSignal;
  onProgress?: () => void;
  /** Each tool's raw output, as it is made (to the object store beside the results). */
  keepRaw?: (tool: string, name: string, body: Buffer) => Promise<void>;
}

/** Parses `10.96.0.0/12`-style CIDRs into a block list; a malformed one throws, naming it. */
export function networkList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address, bits] = cidr.split('/');
    const family = isIP(address ?? '');
    const prefix = Number(bits);
    if (!family || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128))
      throw new Error(`service network ${JSON.stringify(cidr)}: not an address/prefix CIDR`);
    list.addSubnet(address!, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}

/**
 * A tools job's service tools (nmap, sslscan, testssl) against the Services the aggregator resolved
 * from the app. Each target is checked again here, where the tools run: its ClusterIP must be an
 * address inside the cluster's Service networks — a job naming anything else (a public host, the
 * metadata endpoint, loopback) is refused with a problem, and no tool runs against it.
 */
export async function runServiceTools(
  tools: readonly string[],
  services: readonly ServiceToolTarget[],
  options: ServiceToolsOptions,
): Promise<{ findings: Finding[]; problems: string[] }> {
  const problems: string[] = [];
  const allowed = networkList(options.networks ?? DEFAULT_SERVICE_NETWORKS);
  const adapters: ToolAdapter[] = [];
  for (const name of tools) {
    const adapter = adapterNamed(name);
    if (adapter?.place !== 'service') problems.push(`tool ${name}: not a service tool`);
    else if (!options.executor.allowed(adapter.binary.name))
      problems.push(`tool ${name} is not installed in the seco-tools container`);
    else adapters.push(adapter);
  }
  const findings: Finding[] = [];
  for (const service of services) {
    const where = `Service ${service.namespace}/${service.name}`;
    const family = isIP(service.clusterIP);
    if (!family || !allowed.check(service.clusterIP, family === 4 ? 'ipv4' : 'ipv6')) {
      problems.push(
        `${where}: ClusterIP ${service.clusterIP} is outside the cluster's Service networks: not probed`,
      );
      continue;
    }
    const target: ServiceTarget = {
      place: 'service',
      kind: 'Service',
      namespace: service.namespace,
      name: service.name,
      host: service.clusterIP,
      ports: service.ports,
      declaredPorts: service.declaredPorts,
      ...(options.cluster ? { cluster: options.cluster } : {}),
    };
    for (const adapter of adapters) {
      const output = await runTool(adapter, target, {
        executor: options.executor,
        now: options.now,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      options.onProgress?.();
      findings.push(...output.findings);
      problems.push(...output.problems.map((p) => `${where}: ${p}`));
      for (const raw of output.raw)
        await options.keepRaw?.(adapter.name, `${service.namespace}.${service.name}.${raw.name}`, raw.body);
    }
  }
  return { findings, problems };
}
