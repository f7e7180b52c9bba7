import { isRecord, listOf, podViolation, pssCheck, show } from './pss-check.js';

// PSS baseline "Sysctls": only namespaced, safe sysctls (check_sysctls.go): the 1.0 set, plus
// ip_local_reserved_ports (1.27), the keepalive/fin_timeout four (1.29), tcp_rmem/tcp_wmem (1.32),
// tcp_slow_start_after_idle/tcp_notsent_lowat (1.37).
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

export const sysctls = pssCheck({
  control: 'Sysctls',
  upstreamId: 'sysctls',
  level: 'baseline',
  slug: 'sysctls',
  title: 'Unsafe sysctls',
  description: 'Sysctls outside the safe, namespaced set change kernel behaviour for every pod on the node.',
  remediation: `Remove the sysctl from spec.securityContext.sysctls; the safe ones are ${[...SAFE].join(', ')}.`,
  evaluate(pod) {
    const list = listOf(isRecord(pod.spec.securityContext) ? pod.spec.securityContext.sysctls : undefined);
    const forbidden = list
      .map((entry, index) => ({ name: isRecord(entry) ? entry.name : entry, index }))
      .filter(({ name }) => typeof name !== 'string' || !SAFE.has(name));
    if (forbidden.length === 0) return [];
    return [
      podViolation(
        pod,
        ['securityContext', 'sysctls', forbidden[0]!.index],
        `pod must not set sysctls ${forbidden.map((f) => show(f.name)).join(', ')}`,
      ),
    ];
  },
});
