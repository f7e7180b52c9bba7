import { pathUnder, SafeArg } from '../../exec/safe-arg.js';
import type { Finding } from '../../model/index.js';
import type { HostTarget, ToolAdapter } from '../tool-adapter.js';
import { ROOTKIT_TECHNIQUE, targetResource, toolFinding } from '../tool-finding.js';
import { singleRunOutput, versionFlag } from '../tool-run-output.js';

/** `chkrootkit -l`'s tests (0.57): the only names a run may be limited to. */
const TESTS = new Set(
  `aliens asp bindshell lkm rexedcs sniffer w55808 wted scalper slapper z2 chkutmp OSX_RSPLUG amd basename biff
chfn chsh cron crontab date du dirname echo egrep env find fingerd gpm grep hdparm su ifconfig inetd inetdconf
identd init killall ldsopreload login ls lsof mail mingetty netstat named passwd pidof pop2 pop3 ps pstree
rpcinfo rlogind rshd slogin sendmail sshd syslogd tar tcpd tcpdump top telnetd timed traceroute vdir w write`.split(
    /\s+/,
  ),
);

const CLEAN =
  /^(not infected|not found|nothing found|not tested|no suspect files|nothing detected|not vulnerable|started|done|skipped)/i;

/**
 * chkrootkit (rootkit signatures) on a node as a host job: `chkrootkit -r ROOT [tests]` against the
 * mounted host root. Its text output is read per test (`Checking \`NAME'... RESULT`, then the test's
 * own lines): INFECTED is high, a WARNING or a suspicious-files list is medium. Paths are given
 * relative to the host root. The live-system tests (processes, interfaces) see the agent's node only
 * when it shares the host's PID and network namespaces, which the tools container does.
 */
export const chkrootkit: ToolAdapter<HostTarget> = {
  name: 'chkrootkit',
  place: 'host',
  binary: { name: 'chkrootkit', paths: ['/usr/sbin/chkrootkit', '/usr/bin/chkrootkit'] },
  description: 'rootkit and worm signatures on the host filesystem',
  version: versionFlag('-V', /version\s+(\S+)/, toolEnv()),
  commands(target, inputs) {
    const tests = (inputs.chkrootkitTests ?? []).filter((t) => TESTS.has(t));
    return [
      {
        args: [
          SafeArg.literal('-r'),
          pathUnder(target.root, [target.root]),
          ...tests.map((t) => SafeArg.literal(t)),
        ],
        env: toolEnv(),
        timeoutMs: 15 * 60_000,
      },
    ];
  },
  parse(results, target, _inputs, now) {
    return singleRunOutput('chkrootkit', results, [0], (stdout) => parseChkrootkit(stdout, target, now));
  },
};

function toolEnv(): Record<string, string> {
  return { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', LC_ALL: 'C' };
}

/** One finding per test that reported something: INFECTED → high, WARNING/suspicious → medium. */
export function parseChkrootkit(text: string, target: HostTarget, now: Date): Finding[] {
  const root = target.root.endsWith('/') ? target.root : `${target.root}/`;
  const relative = (line: string) => (root === '/' ? line : line.split(root).join('/'));
  const segments = new Map<string, string[]>();
  let current: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    const checking = /^Checking `([^']+)'\.\.\.\s*(.*)$/.exec(line);
    if (checking) {
      current = checking[1]!;
      segments.set(current, checking[2] ? [checking[2]] : []);
      continue;
    }
    if (current && line.trim() !== '') segments.get(current)!.push(line);
  }
  const findings: Finding[] = [];
  for (const [test, lines] of segments) {
    const said = lines
      .map((l) => l.replace(/^Searching for (.*?)\.\.\.\s+/, '$1: ').trim())
      .filter((l) => !CLEAN.test(l) && !/: (not found|nothing found|not tested|nothing detected)$/i.test(l));
    if (said.length === 0) continue;
    const infected = said.some((l) => /INFECTED/.test(l));
    const evidence = said.map(relative).join('\n');
    findings.push(
      toolFinding({
        tool: 'chkrootkit',
        id: test,
        title: infected
          ? `chkrootkit: ${test} reports an infection`
          : `chkrootkit: ${test} found something suspicious`,
        severity: infected ? 'high' : 'medium',
        resource: targetResource(target),
        evidence,
        remediation:
          'Investigate from a trusted system: compare the files named with the distribution packages (debsums), and rebuild the node if it is compromised. Known false positives: /usr/share/doc/chkrootkit/README.FALSE-POSITIVES.',
        references: [
          ROOTKIT_TECHNIQUE,
          { kind: 'url', id: 'chkrootkit', url: 'https://www.chkrootkit.org/' },
        ],
        now,
      }),
    );
  }
  return findings;
}
