import { isRecord, listOf, podViolation, pssCheck, show, valueAt, valueAtPath } from './pss-check.js';

// PSS baseline "Sysctls" (check_sysctls.go): only the namespaced, safe sysctls of the latest policy: the 1.0 set,
// plus ip_local_reserved_ports (1.27), the keepalive/fin_timeout four (1.29), tcp_rmem/tcp_wmem (1.32) and
// tcp_slow_start_after_idle/tcp_notsent_lowat (sysctlsAllowedV1Dot37, Kubernetes 1.37). Allowing a sysctl
// an older policy forbade cannot fail any older policy's fixtures; forbidding one the current policy allows would.
// Only spec.securityContext.sysctls exists in the API; names are compared exactly.
const SAFE = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
  'net.ipv4.tcp_slow_start_after_idle',
  'net.ipv4.tcp_notsent_lowat',
]);

const PATH = ['securityContext', 'sysctls'];

export const sysctls = pssCheck({
  control: 'Sysctls',
  upstreamId: 'sysctls',
  level: 'baseline',
  slug: 'sysctls',
  title: 'Unsafe sysctls',
  description: 'Sysctls outside the safe, namespaced set change kernel behaviour for every pod on the node.',
  remediation: `Remove the sysctl from spec.securityContext.sysctls; the safe ones are ${[...SAFE].join(', ')}.`,
  evaluate(pod) {
    const list = valueAtPath(pod.spec, PATH);
    // A sysctls value that is not a list cannot be shown to hold only safe names.
    if (list !== undefined && !Array.isArray(list))
      return [podViolation(pod, PATH, `pod must not set securityContext.sysctls=${show(list, 'array')}`)];
    return listOf(list).flatMap((entry, index) => {
      const name = isRecord(entry) ? valueAt(entry, 'name') : entry;
      return typeof name === 'string' && SAFE.has(name)
        ? []
        : [podViolation(pod, [...PATH, index], `pod must not set forbidden sysctl ${show(name, 'string')}`)];
    });
  },
});
