import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Severity } from '../../model/index.js';
import type { HostCheck, HostFacts } from '../host-check.js';

interface SysctlRule {
  id: string;
  name: string;
  title: string;
  severity: Severity;
  description: string;
  expected: string;
  ok(value: number): boolean;
}

const RULES: readonly SysctlRule[] = [
  {
    id: 'sysctl-aslr',
    name: 'kernel.randomize_va_space',
    expected: '2',
    ok: (v) => v === 2,
    severity: 'high',
    title: 'Address space layout randomization is not fully on',
    description:
      'Without full ASLR, memory-corruption exploits in any container find their targets at known addresses.',
  },
  {
    id: 'sysctl-suid-dumpable',
    name: 'fs.suid_dumpable',
    expected: '0',
    ok: (v) => v === 0,
    severity: 'medium',
    title: 'Set-uid programs may dump core',
    description: 'Core dumps of privileged programs can leak secrets held in their memory.',
  },
  {
    id: 'sysctl-unprivileged-bpf',
    name: 'kernel.unprivileged_bpf_disabled',
    expected: '1 or 2',
    ok: (v) => v >= 1,
    severity: 'medium',
    title: 'Unprivileged users can load BPF programs',
    description:
      'Unprivileged BPF has been the way in for several kernel privilege escalations (container escapes).',
  },
  {
    id: 'sysctl-kptr-restrict',
    name: 'kernel.kptr_restrict',
    expected: '1 or 2',
    ok: (v) => v >= 1,
    severity: 'low',
    title: 'Kernel pointers are shown to unprivileged users',
    description: 'Kernel addresses in /proc help attackers defeat KASLR.',
  },
  {
    id: 'sysctl-dmesg-restrict',
    name: 'kernel.dmesg_restrict',
    expected: '1',
    ok: (v) => v === 1,
    severity: 'low',
    title: 'Unprivileged users can read the kernel log',
    description: 'The kernel log can hold addresses and details that help an exploit.',
  },
  {
    id: 'sysctl-protected-symlinks',
    name: 'fs.protected_symlinks',
    expected: '1',
    ok: (v) => v === 1,
    severity: 'medium',
    title: 'Symlink protection in sticky directories is off',
    description: 'Without it, symlink races in /tmp let one user make another write where they should not.',
  },
  {
    id: 'sysctl-protected-hardlinks',
    name: 'fs.protected_hardlinks',
    expected: '1',
    ok: (v) => v === 1,
    severity: 'medium',
    title: 'Hard-link protection is off',
    description:
      'Without it, users can hard-link files they do not own, a classic privilege-escalation step.',
  },
  {
    id: 'sysctl-accept-source-route',
    name: 'net.ipv4.conf.all.accept_source_route',
    expected: '0',
    ok: (v) => v === 0,
    severity: 'medium',
    title: 'Source-routed packets are accepted',
    description: 'Source routing lets a sender pick the path of its packets around filters.',
  },
  {
    id: 'sysctl-accept-redirects',
    name: 'net.ipv4.conf.all.accept_redirects',
    expected: '0',
    ok: (v) => v === 0,
    severity: 'low',
    title: 'ICMP redirects are accepted',
    description: 'Accepted redirects let a host on the network reroute the node’s traffic.',
  },
  {
    id: 'sysctl-tcp-syncookies',
    name: 'net.ipv4.tcp_syncookies',
    expected: '1',
    ok: (v) => v === 1,
    severity: 'low',
    title: 'TCP SYN cookies are off',
    description: 'SYN cookies keep the node reachable during a SYN flood.',
  },
];

async function readSysctl(procRoot: string, name: string): Promise<string | undefined> {
  try {
    return (await readFile(join(procRoot, 'sys', ...name.split('.')), 'utf8')).trim();
  } catch {
    return undefined;
  }
}

/** Kernel settings relevant to a node that runs other people's containers, read live from the host's /proc/sys. */
export const SYSCTL_CHECKS: readonly HostCheck[] = RULES.map((rule) => ({
  id: rule.id,
  title: rule.title,
  severity: rule.severity,
  description: rule.description,
  remediation: `Set ${rule.name} = ${rule.expected} in /etc/sysctl.d/ and apply it with sysctl --system.`,
  references: [{ kind: 'url', id: rule.name, url: 'https://docs.kernel.org/admin-guide/sysctl/' }],
  async evaluate(facts: HostFacts) {
    const raw = await readSysctl(facts.procRoot, rule.name);
    if (raw === undefined)
      return {
        status: 'not-applicable',
        evidence: `${rule.name} is not readable under ${facts.procRoot}/sys`,
      };
    const value = Number(raw);
    const ok = Number.isFinite(value) && rule.ok(value);
    return { status: ok ? 'pass' : 'fail', evidence: `${rule.name} = ${raw} (expected ${rule.expected})` };
  },
}));

/** The check id for each sysctl: what tool adapters (lynis) map their findings to, to merge them. */
export const SYSCTL_CHECK_IDS: ReadonlyMap<string, string> = new Map(
  RULES.map((rule) => [rule.name, rule.id]),
);
