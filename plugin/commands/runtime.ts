import { Command, Flags } from '@oclif/core';
import type { WatcherSource } from '../../core/runtime/watcher.js';

export default class Runtime extends Command {
  static override summary =
    'Watch what processes do on this machine, and print runtime rule detections as they happen.';
  static override description = [
    `Reads events from the kernel: the eBPF sensor where the kernel allows it (exec, exit, file opens, network, namespace and privilege changes, filtered in the kernel to containers and to what the rules use), else the process-events connector, else /proc polling (as root; the choice is logged and every detection says its source). Attributes each process to its container from its cgroup, and evaluates the runtime rules (built in, plus every *.yaml of --rules).`,
    'With -o json, one detection per line (NDJSON).',
  ].join('\n\n');

  static override examples = [
    '<%= config.bin %> runtime --local',
    '<%= config.bin %> runtime --local --duration 60 -o json',
    '<%= config.bin %> runtime --local --rules ./my-rules',
    '<%= config.bin %> runtime --local --host --source ebpf -o json',
  ];

  static override flags = {
    local: Flags.boolean({
      description: 'watch this machine (the only mode yet; in a cluster the agents watch)',
      required: true,
    }),
    rules: Flags.string({
      description: 'directory of extra or overriding rule files',
      multiple: true,
      default: [],
    }),
    duration: Flags.integer({ description: 'stop after this many seconds (default: until Ctrl-C)', min: 1 }),
    output: Flags.string({
      char: 'o',
      description: 'output format',
      options: ['table', 'json'],
      default: 'table',
    }),
    'proc-root': Flags.string({ description: 'where the host /proc is mounted', default: '/proc' }),
    source: Flags.string({
      description: 'event source (auto: ebpf, else netlink, else poll)',
      options: ['auto', 'ebpf', 'netlink', 'poll'],
      default: 'auto',
    }),
    host: Flags.boolean({
      description: 'eBPF: watch processes outside containers too (by default only containers are reported)',
      default: false,
    }),
    'cgroup-root': Flags.string({
      description: 'where the host cgroup file system is mounted',
      default: '/sys/fs/cgroup',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Runtime);
    const [{ watchLocally }, { detectionLine }] = await Promise.all([
      import('../../core/runtime/local-watch.js'),
      import('../../core/runtime/detection-line.js'),
    ]);
    const stopSignal = new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    try {
      const result = await watchLocally({
        procRoot: flags['proc-root'],
        rulesDirs: flags.rules,
        durationSeconds: flags.duration,
        source: flags.source as WatcherSource,
        includeHost: flags.host,
        cgroupRoot: flags['cgroup-root'],
        stopSignal,
        onLog: (line) => process.stderr.write(`${line}\n`),
        onDetection: (d) =>
          process.stdout.write(flags.output === 'json' ? `${JSON.stringify(d)}\n` : `${detectionLine(d)}\n`),
      });
      const s = result.stats;
      process.stderr.write(
        `watched ${s.execs} execs via ${s.source}${s.source === 'ebpf' ? ` (${s.kernelEvents} kernel events; ${s.quietExecs ?? 0} execs kept in the kernel as judged before)` : ''}: ${s.detections} detections, ${result.held} held back, ${s.vanished} gone before read, ${s.lost} dropped by the kernel\n`,
      );
    } catch (error) {
      this.error((error as Error).message, { exit: 2 });
    }
  }
}
