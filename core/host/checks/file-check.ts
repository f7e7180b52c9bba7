import type { Severity } from '../../model/index.js';
import { cisReference, type HostCheck, type HostCheckResult, type HostFacts } from '../host-check.js';
import type { FileFacts } from '../host-root.js';

export interface FileCheckDefinition {
  id: string;
  cis: string;
  title: string;
  severity: Severity;
  description: string;
  /** The host paths this check applies to (already resolved from flags and defaults); may be empty. */
  files(facts: HostFacts): Promise<string[]>;
  /** What the files are, for the not-applicable message: "the kubelet kubeconfig". */
  what: string;
}

/** Permissions "600 or more restrictive" (CIS): no bit set beyond `max`. */
export function fileModeCheck(def: FileCheckDefinition, max: number): HostCheck {
  return fileCheck(def, `chmod ${max.toString(8)} <file>`, (f) =>
    (f.mode & ~max & 0o7777) === 0
      ? undefined
      : `${f.path} has mode ${octal(f.mode)}, more permissive than ${octal(max)}`,
  );
}

/** Ownership root:root (CIS), judged by uid/gid 0 so a host without /etc/passwd entries is still read right. */
export function fileOwnerCheck(def: FileCheckDefinition): HostCheck {
  return fileCheck(def, 'chown root:root <file>', (f) =>
    f.uid === 0 && f.gid === 0 ? undefined : `${f.path} is owned by ${f.owner}:${f.group}, not root:root`,
  );
}

function fileCheck(
  def: FileCheckDefinition,
  remediation: string,
  problem: (f: FileFacts) => string | undefined,
): HostCheck {
  return {
    id: def.id,
    cis: def.cis,
    title: def.title,
    severity: def.severity,
    description: def.description,
    remediation: `${remediation} on each node (for ${def.what}).`,
    references: [cisReference(def.cis)],
    async evaluate(facts: HostFacts): Promise<HostCheckResult> {
      const found: FileFacts[] = [];
      for (const path of await def.files(facts)) {
        const f = await facts.host.stat(path);
        if (f) found.push(f);
      }
      if (found.length === 0) return { status: 'not-applicable', evidence: `no ${def.what} on this host` };
      const problems = found.map(problem).filter((p): p is string => p !== undefined);
      if (problems.length > 0) return { status: 'fail', evidence: problems.join('; '), file: found[0]!.path };
      return {
        status: 'pass',
        evidence: found.map((f) => `${f.path} ${octal(f.mode)} ${f.owner}:${f.group}`).join('; '),
      };
    },
  };
}

function octal(mode: number): string {
  return mode.toString(8).padStart(3, '0');
}
