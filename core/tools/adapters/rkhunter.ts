import { cp, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { joined, pathUnder, SafeArg } from '../../exec/safe-arg.js';
import type { Finding } from '../../model/index.js';
import type { HostTarget, ToolAdapter, ToolInputs } from '../tool-adapter.js';
import { ROOTKIT_TECHNIQUE, targetResource, toolFinding } from '../tool-finding.js';
import { describeRun, rawOutputs, versionFlag } from '../tool-run-output.js';

const LOG = 'rkhunter.log';
/** Debian's rkhunter data (rootkit signatures, mirrors): copied into scratch, since a check writes there. */
const DATA_DIR = '/var/lib/rkhunter/db';

/** `rkhunter --list tests` (1.4.6): the only names a run may be limited to. */
const TESTS = new Set(
  `additional_rkts all apps attributes avail_modules deleted_files filesystem group_accounts group_changes hashes
hidden_ports hidden_procs immutable ipc_shared_mem known_rkts loaded_modules local_host login_backdoors malware
network os_specific packet_cap_apps passwd_changes ports possible_rkt_files possible_rkt_strings promisc properties
rootkits running_procs scripts shared_libs shared_libs_path sniffer_logs startup_files startup_malware strings
susp_dirs suspscan system_commands system_configs system_configs_ssh system_configs_syslog tripwire trojans`.split(
    /\s+/,
  ),
);

/**
 * rkhunter has no root-directory option (ROOTDIR is deprecated since 1.4): its file tests look at the
 * paths of the system it runs on. On a host root mounted elsewhere only the tests that read a
 * directory we can point at the mounted root run: the sshd configuration (SSH_CONFIG_DIR).
 */
const RELOCATABLE_TESTS = ['system_configs_ssh'];

/**
 * The property tests (`properties`: hashes, attributes, scripts…) compare files with a baseline made
 * by `rkhunter --propupd` on a known-good system; a node has none, so they are off (Debian's default
 * set besides). Debian's own default list of slow or noisy tests is kept off too.
 */
const DISABLED = 'suspscan hidden_ports hidden_procs deleted_files packet_cap_apps apps properties';

/**
 * rkhunter (Rootkit Hunter) on a node as a host job: `rkhunter --check` with a configuration written
 * into the run's scratch directory (its own temp and data directories, the host's sshd configuration,
 * no mail, no syslog, no network), read from its log: each `Checking … [ Warning ]` with the
 * `Warning:` lines under it is one finding (medium; a rootkit or malware test's is high). The sshd
 * root-login and protocol-1 warnings name the same controls as seco's sshd checks (host-merge.ts).
 */
export const rkhunter: ToolAdapter<HostTarget> = {
  name: 'rkhunter',
  place: 'host',
  binary: { name: 'rkhunter', paths: ['/usr/bin/rkhunter', '/usr/sbin/rkhunter'] },
  description: 'rootkits, backdoors and risky sshd settings (Rootkit Hunter)',
  version: versionFlag('--version', /Rootkit Hunter (\S+)/, toolEnv()),
  async commands(target, inputs) {
    const config = await writeConfig(target, inputs);
    const tests = chosenTests(target, inputs);
    return [
      {
        args: [
          SafeArg.literal('--check'),
          SafeArg.literal('--skip-keypress'),
          SafeArg.literal('--nocolors'),
          SafeArg.literal('--lang'),
          SafeArg.literal('en'),
          SafeArg.literal('--noappend-log'),
          SafeArg.literal('--no-mail-on-warning'),
          SafeArg.literal('--configfile'),
          pathUnder(config, [inputs.scratch]),
          SafeArg.literal('--logfile'),
          pathUnder(join(inputs.scratch, LOG), [inputs.scratch]),
          ...(tests
            ? [
                SafeArg.literal('--enable'),
                joined(
                  tests.map((t) => SafeArg.literal(t)),
                  ',',
                ),
              ]
            : []),
        ],
        env: toolEnv(),
        cwd: inputs.scratch,
        timeoutMs: 15 * 60_000,
      },
    ];
  },
  async parse(results, target, inputs, now) {
    // rkhunter exits 1 when it warned: a result, not a failure.
    const result = results[0];
    const ended = result && !result.stopped && (result.exitCode === 0 || result.exitCode === 1);
    const problems = ended ? [] : [`rkhunter ended with ${describeRun(result)}`];
    const log = await readFile(join(inputs.scratch, LOG)).catch(() => undefined);
    if (!log)
      return {
        findings: [],
        raw: rawOutputs('rkhunter', results),
        problems: [...problems, 'rkhunter wrote no log file'],
      };
    return {
      findings: parseRkhunterLog(log.toString('utf8'), target, now),
      raw: [{ name: LOG, body: log }, ...rawOutputs('rkhunter', results)],
      problems,
    };
  },
};

function toolEnv(): Record<string, string> {
  // rkhunter is a shell script calling many system programs: it needs PATH and a C locale.
  return { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', LC_ALL: 'C' };
}

/** The tests to enable: the caller's known names (relocatable ones only off `/`), else rkhunter's default. */
function chosenTests(target: HostTarget, inputs: ToolInputs): string[] | undefined {
  const asked = inputs.rkhunterTests?.filter((t) => TESTS.has(t));
  if (target.root === '/') return asked && asked.length > 0 ? asked : undefined;
  const relocatable = (asked ?? RELOCATABLE_TESTS).filter((t) => RELOCATABLE_TESTS.includes(t));
  return relocatable.length > 0 ? relocatable : RELOCATABLE_TESTS;
}

/** rkhunter.conf in scratch: every path it writes is under scratch; sshd's is the target root's. */
async function writeConfig(target: HostTarget, inputs: ToolInputs): Promise<string> {
  const tmp = join(inputs.scratch, 'tmp');
  const db = join(inputs.scratch, 'db');
  await mkdir(tmp, { mode: 0o700 });
  await cp(DATA_DIR, db, { recursive: true, dereference: false }).catch(() => mkdir(db, { mode: 0o700 }));
  const sshDir = join(target.root, 'etc', 'ssh');
  // rkhunter.conf values are unquoted words: a root path it would split or expand is refused.
  if (/[\s"'`$\\*?[\]]/.test(sshDir))
    throw new Error(`host root ${JSON.stringify(target.root)}: not a plain path`);
  const hasSsh = await stat(sshDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  // Values are paths seco made or the (validated) mounted root: no user text reaches the file.
  const lines = [
    `TMPDIR=${tmp}`,
    `DBDIR=${db}`,
    'SCRIPTDIR=/usr/share/rkhunter/scripts',
    'INSTALLDIR=/usr',
    ...(hasSsh ? [`SSH_CONFIG_DIR=${pathUnder(sshDir, [target.root]).value}`] : []),
    'ALLOW_SSH_ROOT_USER=no',
    'ALLOW_SSH_PROT_V1=0',
    'USE_SYSLOG=NONE',
    'AUTO_X_DETECT=0',
    'UPDATE_MIRRORS=0',
    'MIRRORS_MODE=1',
    'WEB_CMD="/bin/false"',
    'ENABLE_TESTS=ALL',
    `DISABLE_TESTS=${DISABLED}`,
  ];
  const file = join(inputs.scratch, 'rkhunter.conf');
  await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600, flag: 'wx' });
  return file;
}

/** Words of a check line that name it: `Checking if SSH root access is allowed` → `ssh-root-access-is-allowed`. */
export function rkhunterCheckId(check: string): string {
  return (
    check
      .replace(/^(Checking|Performing)\s+(for|if|the|whether)?\s*/i, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 80) || 'warning'
  );
}

/** Checks whose warning means something was found, not a setting: high. */
const HIGH = /rootkit|malware|backdoor|trojan|sniffer|suspicious|hidden|deleted files/i;

/**
 * rkhunter warns when sshd_config sets no `Protocol`, as the default "may be 2,1"; OpenSSH 7.4 (2016)
 * removed protocol 1, so on any node today an unset Protocol is 2 and the warning is noise.
 */
const PROTOCOL_UNSET = /The SSH configuration option 'Protocol' has not been set/;

/** One finding per check rkhunter warned about; the `Warning:` lines (with their continuations) are the evidence. */
export function parseRkhunterLog(text: string, target: HostTarget, now: Date): Finding[] {
  const warned = new Map<string, string[]>();
  let check: string | undefined;
  let inWarning = false;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\[\d\d:\d\d:\d\d\]\s?/, '').trimEnd();
    const checking = /^\s*((?:Checking|Performing)\b.*?)\s*\[ ([^\]]+) \]$/.exec(line);
    if (checking) {
      check = checking[1]!.trim();
      inWarning = false;
      if (checking[2] === 'Warning' && !warned.has(check)) warned.set(check, []);
      continue;
    }
    const warning = /^Warning: (.*)$/.exec(line);
    if (warning) {
      const owner = check ?? 'rkhunter';
      if (!warned.has(owner)) warned.set(owner, []);
      warned.get(owner)!.push(warning[1]!);
      inWarning = true;
      continue;
    }
    if (inWarning && /^\s{2,}\S/.test(line)) warned.get(check ?? 'rkhunter')!.push(line.trim());
    else inWarning = false;
  }
  return [...warned]
    .filter(([, lines]) => !lines.some((l) => PROTOCOL_UNSET.test(l)))
    .map(([name, lines]) =>
      toolFinding({
        tool: 'rkhunter',
        id: rkhunterCheckId(name),
        title: `rkhunter: ${name.replace(/^Checking /, 'checking ')} gave a warning`,
        severity: HIGH.test(name) ? 'high' : 'medium',
        resource: targetResource(target),
        evidence: lines.join('\n') || name,
        remediation:
          'Look at what rkhunter names from a trusted system; a setting it flags is changed in the file it names. If it is expected, whitelist it in rkhunter.conf on a tools image of your own.',
        references: [
          ROOTKIT_TECHNIQUE,
          { kind: 'url', id: 'rkhunter', url: 'https://rkhunter.sourceforge.net/' },
        ],
        now,
      }),
    );
}
