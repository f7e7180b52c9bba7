import type { ServerMessage } from '../../core/protocol/index.js';

type Progress = Extract<ServerMessage, { type: 'scan.progress' }>;

/** `jobs 3/5 (node-a 2/2, node-b 1/3) — host job on node-b: acked`: done counts every settled job. */
export function progressLine(progress: Progress): string {
  const done = (c: Progress['jobs']) => c.acked + c.failed + c.timedOut;
  const nodes = Object.entries(progress.nodes)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([node, c]) => `${node} ${done(c)}/${c.total}`);
  const failed = progress.jobs.failed + progress.jobs.timedOut;
  return [
    `jobs ${done(progress.jobs)}/${progress.jobs.total}`,
    nodes.length > 0 ? ` (${nodes.join(', ')})` : '',
    failed > 0 ? `, ${failed} failed` : '',
    progress.message ? ` — ${progress.message}` : '',
  ].join('');
}

/** Progress on stderr: one line rewritten in place on a terminal, a line per update in a log. */
export function progressPrinter(stderr: NodeJS.WriteStream): { update(p: Progress): void; end(): void } {
  let shown = false;
  return {
    update(p) {
      const line = progressLine(p);
      if (stderr.isTTY) {
        stderr.write(`\r\x1b[2K${line.slice(0, (stderr.columns ?? 120) - 1)}`);
        shown = true;
      } else stderr.write(`${line}\n`);
    },
    end() {
      if (shown) stderr.write('\n');
    },
  };
}
