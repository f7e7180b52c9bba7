import { Command, Flags } from '@oclif/core';
import { SEVERITIES, type SeverityLevel as Severity } from '../../core/model/severity-levels.js';
import { aggregatorFlags } from '../cluster/aggregator-flags.js';
import { EXIT_INPUT } from '../output/exit-codes.js';
import type { ScreenName } from '../tui/ui-state.js';

export default class Watch extends Command {
  static override summary =
    'Watch the cluster live: runtime events, open findings, running scans and node agents in a terminal UI.';
  static override description = [
    `A k9s-style terminal UI over the aggregator: four screens — events (runtime detections and Falco alerts), findings (open findings of the latest scan of each target), scans (running scans with a progress bar per node and job kind, then stored ones), nodes (agents, sensor, last heartbeat) — switched with 1-4 or :events, :findings, :scans, :nodes. / filters any column, ? lists every key, enter opens details, esc goes back, q quits and gives the terminal back. It starts with what is stored (the last hour of events, the stored scans), then follows live; a dropped connection shows a banner, is retried with backoff, and catches up on the events it missed.`,
    `With -o json, or when stdout is not a terminal, prints one finding per line (NDJSON) until Ctrl-C.`,
    `A first connection that fails exits 2.`,
  ].join('\n\n');

  static override examples = [
    '<%= config.bin %> watch',
    '<%= config.bin %> watch -n shop -n payments --min-severity high',
    '<%= config.bin %> watch -o json | jq -c "select(.scanner == \\"tool:falco\\")"',
    '<%= config.bin %> watch --once --min-severity critical',
    '<%= config.bin %> watch --screen findings -A',
  ];

  static override flags = {
    namespace: Flags.string({
      char: 'n',
      description: 'only this namespace, on the events and findings screens (repeatable)',
      multiple: true,
      exclusive: ['all-namespaces'],
    }),
    'all-namespaces': Flags.boolean({
      char: 'A',
      description: 'every namespace (the default without -n)',
    }),
    screen: Flags.string({
      description: 'the screen the UI opens on',
      options: ['events', 'findings', 'scans', 'nodes'],
      default: 'events',
    }),
    'min-severity': Flags.string({
      description: 'only events at or above this severity',
      options: [...SEVERITIES],
      default: 'info',
    }),
    output: Flags.string({
      char: 'o',
      description: 'tui: the live screen (on a terminal); json: NDJSON events on stdout',
      options: ['tui', 'json'],
      default: 'tui',
    }),
    once: Flags.boolean({
      description: 'non-interactive: print the first matching event as JSON, then exit',
    }),
    ...aggregatorFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Watch);
    const [{ connectAggregator }, { runWatchSession }] = await Promise.all([
      import('../cluster/connect-aggregator.js'),
      import('../cluster/watch-session.js'),
    ]);
    const minSeverity = flags['min-severity'] as Severity;
    const namespaces = flags['all-namespaces'] ? [] : (flags.namespace ?? []);
    const interactive = flags.output === 'tui' && !flags.once && process.stdout.isTTY && process.stdin.isTTY;
    const stopper = new AbortController();
    const stop = () => stopper.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const session = {
      connect: () => connectAggregator(flags),
      subscribe: { ...(namespaces.length ? { namespaces } : {}), minSeverity },
      stop: stopper.signal,
    };
    try {
      if (!interactive) {
        const { ndjsonWatchSink } = await import('../output/ndjson-watch-sink.js');
        await runWatchSession({
          ...session,
          sink: ndjsonWatchSink({ onEvent: flags.once ? stop : undefined }),
        });
        return;
      }
      const { runWatchUi } = await import('../tui/run-watch-ui.js');
      await runWatchUi({
        flags,
        minSeverity,
        namespaces,
        screen: flags.screen as ScreenName,
        stopper,
      });
    } catch (error) {
      this.error((error as Error).message, { exit: EXIT_INPUT });
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  }
}
