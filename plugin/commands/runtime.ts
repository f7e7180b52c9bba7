import { Command, Flags } from '@oclif/core';

export default class Runtime extends Command {
  static override summary =
    'Watch what processes do on this machine, and print runtime rule detections as they happen.';
  static override description = [
    `Reads exec events from the kernel's process-events connector (as root), or polls /proc where the connector is not allowed; attributes each process to its container from its cgroup, and evaluates the runtime rules (built in, plus every *.yaml of --rules). With -o json, one detection per line (NDJSON).`,
  ].join('\n\n');

  static override examples = [
    '<%= config.bin %> runtime --local',
    '<%= config.bin %> runtime --local --duration 60 -o json',
    '<%= config.bin %> runtime --local --rules ./my-rules',
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
      description: 'exec event source',
      options: ['auto', 'netlink', 'poll'],
      default: 'auto',
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
        source: flags.source as 'auto' | 'netlink' | 'poll',
        stopSignal,
        onLog: (line) => process.stderr.write(`${line}\n`),
        onDetection: (d) =>
          process.stdout.write(flags.output === 'json' ? `${JSON.stringify(d)}\n` : `${detectionLine(d)}\n`),
      });
      const s = result.stats;
      process.stderr.write(
        `watched ${s.execs} execs via ${s.source}: ${s.detections} detections, ${result.held} held back, ${s.vanished} gone before read, ${s.lost} dropped by the kernel\n`,
      );
    } catch (error) {
      this.error((error as Error).message, { exit: 2 });
    }
  }
}
