import type { Severity } from '../../model/index.js';
import type { HostCheck, HostFacts } from '../host-check.js';
import { readSshdConfig } from '../sshd-config.js';

interface SshdRule {
  id: string;
  keyword: string;
  /** sshd's built-in default, used when the keyword is not set. */
  fallback: string;
  expected: string;
  ok(value: string): boolean;
  title: string;
  severity: Severity;
  description: string;
}

const RULES: readonly SshdRule[] = [
  {
    id: 'sshd-permit-root-login',
    keyword: 'PermitRootLogin',
    fallback: 'prohibit-password',
    expected: 'no',
    ok: (v) => v === 'no',
    severity: 'medium',
    title: 'SSH allows root to log in',
    description:
      'Direct root logins leave no trace of who used the account and make root a target for key or password attacks.',
  },
  {
    id: 'sshd-password-authentication',
    keyword: 'PasswordAuthentication',
    fallback: 'yes',
    expected: 'no',
    ok: (v) => v === 'no',
    severity: 'medium',
    title: 'SSH accepts passwords',
    description: 'Password logins can be brute-forced; nodes should accept keys only.',
  },
  {
    id: 'sshd-permit-empty-passwords',
    keyword: 'PermitEmptyPasswords',
    fallback: 'no',
    expected: 'no',
    ok: (v) => v === 'no',
    severity: 'high',
    title: 'SSH accepts empty passwords',
    description: 'An account with an empty password is open to anyone who can reach the port.',
  },
  {
    id: 'sshd-x11-forwarding',
    keyword: 'X11Forwarding',
    fallback: 'no',
    expected: 'no',
    ok: (v) => v === 'no',
    severity: 'low',
    title: 'SSH forwards X11',
    description: 'X11 forwarding exposes the client’s display to the server side; nodes have no use for it.',
  },
  {
    id: 'sshd-max-auth-tries',
    keyword: 'MaxAuthTries',
    fallback: '6',
    expected: '4 or fewer',
    ok: (v) => Number(v) > 0 && Number(v) <= 4,
    severity: 'low',
    title: 'SSH allows many authentication attempts per connection',
    description: 'A low limit slows brute-force attempts.',
  },
];

/** OpenSSH server hardening, from the host's sshd_config; not applicable where sshd is not configured. */
export const SSHD_CHECKS: readonly HostCheck[] = RULES.map((rule) => ({
  id: rule.id,
  title: rule.title,
  severity: rule.severity,
  description: rule.description,
  remediation: `Set "${rule.keyword} ${rule.expected === '4 or fewer' ? '4' : rule.expected}" in /etc/ssh/sshd_config and reload sshd.`,
  references: [{ kind: 'url', id: 'sshd_config(5)', url: 'https://man.openbsd.org/sshd_config' }],
  async evaluate(facts: HostFacts) {
    const config = await readSshdConfig(facts.host);
    if (!config) return { status: 'not-applicable', evidence: 'no /etc/ssh/sshd_config on this host' };
    const set = config.get(rule.keyword.toLowerCase());
    const value = (set ?? rule.fallback).toLowerCase();
    return {
      status: rule.ok(value) ? 'pass' : 'fail',
      evidence: `${rule.keyword} is ${value}${set === undefined ? ' (sshd default)' : ''}`,
      file: '/etc/ssh/sshd_config',
    };
  },
}));

/** The check id for each sshd_config keyword (lowercase): what tool adapters (lynis) map their findings to, to merge them. */
export const SSHD_CHECK_IDS: ReadonlyMap<string, string> = new Map(
  RULES.map((rule) => [rule.keyword.toLowerCase(), rule.id]),
);
