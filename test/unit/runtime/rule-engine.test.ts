import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import type { ProcessInfo } from '../../../core/runtime/process-info.js';
import { RuleEngine } from '../../../core/runtime/rule-engine.js';
import { loadRuleSet, parseRuntimeRuleFile } from '../../../core/runtime/rule-file.js';
import { type EventContext, ruleInput } from '../../../core/runtime/rule-input.js';
import { builtinRuntimeRulesDir } from '../../../core/runtime/rules-dir.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/runtime/${name}`, import.meta.url));

function proc(over: Partial<ProcessInfo>): ProcessInfo {
  return {
    pid: 100,
    ppid: 50,
    name: 'app',
    exe: '/app',
    args: ['app'],
    cmdline: 'app',
    uid: 1000,
    cwd: '/',
    stdio: ['null', 'pipe', 'pipe'],
    isNamespaceInit: false,
    cgroup: '',
    ...over,
  };
}

function exec(p: Partial<ProcessInfo>, over: Partial<EventContext> = {}): EventContext {
  return {
    type: 'exec',
    source: 'netlink',
    node: 'n1',
    proc: proc(p),
    parentContainerId: 'c1',
    container: { id: 'c1', runtime: 'containerd' },
    fds: [],
    ...over,
  };
}

const builtin = async () => new RuleEngine(await loadRuleSet([builtinRuntimeRulesDir()]));
const ids = (engine: RuleEngine, e: EventContext) => engine.evaluate(ruleInput(e)).map((m) => m.rule.id);

describe('built-in runtime rules', () => {
  test('every rule compiles', async () => {
    expect((await builtin()).ruleIds).toHaveLength(18);
  });

  test.each<[string, EventContext, string[]]>([
    ['an ordinary process is quiet', exec({}), []],
    [
      'shell entered from outside',
      exec({ name: 'bash', exe: '/bin/bash' }, { parentContainerId: '' }),
      ['interactive-shell-in-container'],
    ],
    [
      'shell with a terminal',
      exec({ name: 'sh', stdio: ['tty', 'tty', 'tty'] }),
      ['interactive-shell-in-container'],
    ],
    [
      'the entrypoint shell is not interactive',
      exec({ name: 'sh', isNamespaceInit: true }, { parentContainerId: '' }),
      [],
    ],
    [
      'apt-get',
      exec({ name: 'apt-get', args: ['apt-get', 'install', 'x'] }),
      ['package-manager-in-container'],
    ],
    ['stratum URL', exec({ args: ['./svc', '-o', 'stratum+tcp://pool.example:3333'] }), ['crypto-miner']],
    ['binary from /dev/shm', exec({ exe: '/dev/shm/x' }), ['drift-executable-not-in-image']],
    ['shadow read by cat', exec({ name: 'cat', args: ['cat', '/etc/shadow'] }), ['sensitive-file-read']],
    [
      'kubelet reading its own credentials on the host',
      exec(
        { name: 'kubelet' },
        { container: undefined, fds: ['/var/lib/kubelet/pki/kubelet-client-current.pem'] },
      ),
      [],
    ],
    [
      'a host process reading kubelet credentials',
      exec(
        { name: 'python3' },
        { container: undefined, fds: ['/var/lib/kubelet/pki/kubelet-client-current.pem'] },
      ),
      ['sensitive-file-read'],
    ],
    [
      'sh on sockets',
      exec({ name: 'sh', stdio: ['socket', 'socket', 'socket'] }, { parentContainerId: '' }),
      ['reverse-shell'],
    ],
    [
      'runc init is not the workload',
      exec({ name: 'runc:[2:INIT]', exe: '/memfd:runc_cloned:/proc/self/exe', uid: 0 }),
      [],
    ],
  ])('%s', async (_, event, expected) => {
    expect(ids(await builtin(), event)).toEqual(expected);
  });

  test('the entrypoint reading its own token is the exception', async () => {
    const token = ['/var/run/secrets/kubernetes.io/serviceaccount/..2026/token'];
    const engine = await builtin();
    expect(ids(engine, exec({ name: 'app', isNamespaceInit: true }, { fds: token }))).toEqual([]);
    expect(ids(engine, exec({ name: 'python' }, { fds: token }))).toEqual(['service-account-token-read']);
  });

  test('a declared container port is not a new listener', async () => {
    const engine = await builtin();
    const pod = {
      namespace: 'a',
      pod: 'b',
      podUid: 'u',
      container: 'c',
      image: 'i',
      imageId: '',
      runAsNonRoot: false,
      serviceAccount: 'd',
      ports: [8080],
    };
    const listen = (port: number) =>
      exec({}, { type: 'listen', source: 'socket-poll', pod, listen: { port, address: '0.0.0.0' } });
    expect(ids(engine, listen(8080))).toEqual([]);
    expect(ids(engine, listen(4444))).toEqual(['new-listening-socket']);
  });

  test('a binary absent from the stored image SBOM is drift', async () => {
    const engine = await builtin();
    expect(ids(engine, exec({ exe: '/usr/bin/app' }, { imageFiles: new Set(['/usr/bin/app']) }))).toEqual([]);
    expect(ids(engine, exec({ exe: '/usr/bin/nmap' }, { imageFiles: new Set(['/usr/bin/app']) }))).toEqual([
      'drift-executable-not-in-image',
    ]);
  });

  test('without a stored image SBOM, drift is judged by temp directories only', async () => {
    const engine = await builtin();
    expect(ids(engine, exec({ exe: '/usr/bin/nmap' }))).toEqual([]);
    expect(ids(engine, exec({ exe: '/tmp/x' }))).toEqual(['drift-executable-not-in-image']);
    expect(ids(engine, exec({ exe: '/dev/shm/x' }, { imageFiles: new Set(['/dev/shm/x']) }))).toEqual([
      'drift-executable-not-in-image',
    ]);
  });

  test('output templates fill fields and mark missing ones', async () => {
    const [match] = (await builtin()).evaluate(ruleInput(exec({ name: 'apt', cmdline: 'apt install nmap' })));
    expect(match?.output).toBe('package manager in <NA>/<NA> (<NA>): apt install nmap');
  });
});

describe('user rules', () => {
  test('override a built-in by id, extend a list, add a rule', async () => {
    const engine = new RuleEngine(await loadRuleSet([builtinRuntimeRulesDir(), fixture('rules-override')]));
    const [pm] = engine.evaluate(ruleInput(exec({ name: 'apk' })));
    expect(pm).toMatchObject({ rule: { id: 'package-manager-in-container', severity: 'low' } });
    expect(ids(engine, exec({ name: 'nu' }, { parentContainerId: '' }))).toEqual([
      'interactive-shell-in-container',
    ]);
    expect(ids(engine, exec({ name: 'curl' }))).toEqual(['curl-in-container']);
  });

  test('a bad CEL condition names the file and rule', async () => {
    const set = await loadRuleSet([fixture('rules-bad')]);
    expect(() => new RuleEngine(set)).toThrow(/bad-cel\.yaml: rule broken: invalid CEL condition/);
  });

  test.each([
    ['not YAML', 'rules: [', /x\.yaml: invalid YAML/],
    [
      'unknown severity',
      'rules: [{id: a, description: d, severity: loud, condition: "true", output: o}]',
      /x\.yaml: rules\[0\] \(a\)\.severity/,
    ],
    [
      'bad id',
      'rules: [{id: "A B", description: d, severity: low, condition: "true", output: o}]',
      /rules\[0\] \(A B\)\.id/,
    ],
    ['unknown top-level key', 'rulez: []', /x\.yaml: top level/],
  ])('%s is refused with its place', (_, text, message) => {
    expect(() => parseRuntimeRuleFile('x.yaml', text)).toThrow(message);
  });

  test('a missing rules directory is a clear error', async () => {
    await expect(loadRuleSet(['/nonexistent/rules'])).rejects.toThrow(
      'rules directory /nonexistent/rules: no such file or directory (ENOENT)',
    );
  });
});

describe('built-in rules on eBPF events', () => {
  const kernelEvent = (
    type: EventContext['type'],
    kernel: EventContext['kernel'],
    p: Partial<ProcessInfo> = {},
  ) => exec(p, { type, source: 'ebpf', kernel });

  /** A mount in the container by `name`, whose parent is runc (as `runc create`'s child is). */
  const mountUnderRunc = (name: string, source: string, target: string): EventContext => ({
    ...kernelEvent('mount', { mount: { source, target, fstype: '', flags: source ? 4096 : 4129 } }, { name }),
    parent: proc({ name: 'runc' }),
  });

  test.each<[string, EventContext, string[]]>([
    [
      'a token read is one open, not also its exec',
      kernelEvent('open', {
        file: { path: '/var/run/secrets/kubernetes.io/serviceaccount/token', flags: 0, write: false },
      }),
      ['service-account-token-read'],
    ],
    [
      'the exec of `cat TOKEN` itself is left to the open (eBPF)',
      exec(
        { name: 'cat', args: ['cat', '/var/run/secrets/kubernetes.io/serviceaccount/token'] },
        { source: 'ebpf' },
      ),
      [],
    ],
    [
      'a kubeconfig in a home directory',
      kernelEvent('open', { file: { path: '/home/dev/.kube/config', flags: 0, write: false } }),
      ['sensitive-file-read'],
    ],
    [
      'a write into /usr/bin',
      kernelEvent('open', { file: { path: '/usr/bin/evil', flags: 0o1101, write: true } }),
      ['write-below-binary-dir'],
    ],
    [
      'dpkg writing /usr/bin is the package manager, not drift',
      kernelEvent('open', { file: { path: '/usr/bin/ls', flags: 0o1101, write: true } }, { name: 'dpkg' }),
      [],
    ],
    [
      'stdin moved onto a TCP socket',
      kernelEvent('dup', {
        dup: { oldfd: 3, newfd: 0 },
        remote: { family: 'inet', address: '10.0.0.9', port: 4444 },
      }),
      ['reverse-shell'],
    ],
    [
      'an exec from a memfd',
      kernelEvent('exec', { exeMemfd: true, exeDeleted: true }, { exe: '/memfd:x' }),
      ['fileless-exec'],
    ],
    [
      "runc's own memfd re-exec is not",
      kernelEvent('exec', { exeMemfd: true }, { exe: '/memfd:runc_cloned:/proc/self/exe', name: 'runc' }),
      [],
    ],
    [
      'the first outbound connection of a workload, not to loopback',
      kernelEvent('connect', {
        firstOutbound: true,
        remote: { family: 'inet', address: '93.184.216.34', port: 443 },
      }),
      ['first-outbound-connection'],
    ],
    [
      'a mount attempt',
      kernelEvent('mount', { mount: { source: '/dev/sda1', target: '/mnt', fstype: 'ext4', flags: 0 } }),
      ['container-escape-mount'],
    ],
    ...(['/proc/self/exe', ''] as const).map((source): [string, EventContext, string[]] => [
      `runc init's guard of its own binary (${source ? 'the bind' : 'its read-only remount'}), already in the container's cgroup`,
      mountUnderRunc('exe', source, `/run/containerd/runc/k8s.io/${'a'.repeat(64)}/runc.NowJFT`),
      [],
    ]),
    [
      'a mount by a process named exe under runc, onto anything else',
      mountUnderRunc('exe', '/proc/self/exe', '/host/usr/bin/runc'),
      ['container-escape-mount'],
    ],
    [
      'the same bind by a process of another name',
      mountUnderRunc('sh', '/proc/self/exe', '/tmp/runc.NowJFT'),
      ['container-escape-mount'],
    ],
    [
      'a setns',
      kernelEvent('setns', { ns: { flags: 0, type: 0, path: 'mnt:[4026531840]' } }),
      ['container-escape-namespace'],
    ],
    ['ptrace attach', kernelEvent('ptrace', { ptrace: { request: 16, targetPid: 7 } }), ['ptrace-attach']],
    [
      'setuid(0) by a non-root process',
      kernelEvent('setuid', { setid: { ids: [0], uid: 1000, gid: 1000 } }),
      ['setuid-to-root'],
    ],
    [
      'setgid(0) by a non-root process in group 1000',
      kernelEvent('setgid', { setid: { ids: [0], uid: 1000, gid: 1000 } }),
      ['setuid-to-root'],
    ],
    // busybox drops privileges with setgid(getgid()), then setuid(getuid()): to gid 0 when already in it.
    [
      'setgid(0) by a process already in group 0',
      kernelEvent('setgid', { setid: { ids: [0], uid: 1000, gid: 0 } }),
      [],
    ],
    ['setuid(0) by root', kernelEvent('setuid', { setid: { ids: [0], uid: 0, gid: 0 } }), []],
  ])('%s', async (_name, event, expected) => {
    expect(ids(await builtin(), event)).toEqual(expected);
  });

  test('the same input but for its pids gives the same matches, each rendered with its own pid', async () => {
    const engine = new RuleEngine(
      await loadRuleSet([builtinRuntimeRulesDir()]).then((set) => {
        set.rules.set('pid-echo', {
          ...set.rules.get('crypto-miner')!,
          id: 'pid-echo',
          condition: "proc.name == 'xmrig'",
          output: '{proc.pid}',
        });
        return set;
      }),
    );
    const a = engine.evaluate(ruleInput(exec({ name: 'xmrig', pid: 1 })));
    const b = engine.evaluate(ruleInput(exec({ name: 'xmrig', pid: 2 })));
    expect(a.map((m) => m.rule.id)).toEqual(b.map((m) => m.rule.id));
    expect(b.find((m) => m.rule.id === 'pid-echo')?.output).toBe('2');
  });

  test('a rule that reads a pid is evaluated every time', async () => {
    const set = await loadRuleSet([builtinRuntimeRulesDir()]);
    set.rules.set('pid-three', {
      ...set.rules.get('crypto-miner')!,
      id: 'pid-three',
      condition: 'proc.pid == 3',
    });
    const engine = new RuleEngine(set);
    expect(ids(engine, exec({ pid: 3 }))).toContain('pid-three');
    expect(ids(engine, exec({ pid: 4 }))).not.toContain('pid-three');
  });
});
