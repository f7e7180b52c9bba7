import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTool } from '../registry/required-tool.js';

/** A program running in a real terminal (a detached tmux server of its own), read as the screen shows it. */
export interface TmuxSession {
  /** The screen as text, one string per line (`capture-pane -p`, `-e` for escapes). */
  screen(options?: { escapes?: boolean }): string;
  /**
   * Keys by tmux's names (`Escape`, `Enter`, `PageDown`, `C-c`), or literal text with `literal`, one at a
   * time as a person types: an Escape followed at once by another key reads as Alt+key to any terminal
   * program, so each key gets its own write and a pause.
   */
  keys(keys: string[], options?: { literal?: boolean }): Promise<void>;
  resize(columns: number, rows: number): void;
  /** Resolves when the screen satisfies `match`; fails with the screen after `ms`. */
  waitFor(match: (screen: string) => boolean, ms?: number): Promise<string>;
  /** Whether the program has exited (the pane is dead). */
  exited(): boolean;
  kill(): void;
}

/**
 * Starts `command` (an argv, run without a shell) in a `columns`×`rows` tmux window on a private socket,
 * so tests see exactly what a terminal user would, escapes and all, and share nothing with a tmux the
 * user runs. The pane stays after the program exits (remain-on-exit) so the screen it left can be read.
 */
export function startTmux(
  command: string[],
  size: { columns: number; rows: number },
  env: Record<string, string> = {},
  /** What else a failed wait should show (the logs of the services behind the screen). */
  diagnose: () => string = () => '',
): TmuxSession {
  requireTool('tmux', 'tmux');
  const dir = mkdtempSync(join(tmpdir(), 'seco-tmux-'));
  const socket = join(dir, 'socket');
  const tmux = (...args: string[]) =>
    execFileSync('tmux', ['-S', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  const envArgs = Object.entries({ TERM: 'xterm-256color', ...env }).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  tmux(
    'new-session',
    '-d',
    '-s',
    'seco',
    '-x',
    String(size.columns),
    '-y',
    String(size.rows),
    ...envArgs,
    '--',
    ...command,
  );
  tmux('set-option', '-t', 'seco', 'remain-on-exit', 'on');
  tmux('set-option', '-t', 'seco', 'window-size', 'manual');
  const session: TmuxSession = {
    screen: (options = {}) => tmux('capture-pane', '-p', ...(options.escapes ? ['-e'] : []), '-t', 'seco'),
    keys: async (keys, options = {}) => {
      for (const key of keys) {
        tmux('send-keys', '-t', 'seco', ...(options.literal ? ['-l'] : []), key);
        await new Promise((r) => setTimeout(r, 80));
      }
    },
    resize: (columns, rows) => {
      tmux('resize-window', '-t', 'seco', '-x', String(columns), '-y', String(rows));
    },
    async waitFor(match, ms = 15_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const screen = session.screen();
        if (match(screen)) return screen;
        if (Date.now() > deadline)
          throw new Error(`the screen never matched within ${ms} ms:\n${screen}\n${diagnose()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    exited: () => tmux('display-message', '-p', '-t', 'seco', '#{pane_dead}').trim() === '1',
    kill: () => {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return session;
}
