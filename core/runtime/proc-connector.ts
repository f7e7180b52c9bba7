import { createRequire } from 'node:module';
import type { ExecListener, ExecSource } from './exec-source.js';

interface Addon {
  open?: (procRoot: string, callback: (batch: unknown[]) => void) => () => void;
  loadError?: string;
}

/**
 * Exec events from the kernel's process-events connector, through the `seco-proc-connector` addon
 * (core/runtime/native, built by node-gyp at `npm install`). Throws, saying why, when the addon is not
 * built or the kernel refuses (not root, not in the initial PID/user namespace): the caller then polls.
 */
export function startProcConnector(procRoot: string, listener: ExecListener): ExecSource {
  let addon: Addon;
  try {
    addon = createRequire(import.meta.url)('seco-proc-connector') as Addon;
  } catch (error) {
    throw new Error(
      `process-events connector addon not installed: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  if (!addon.open)
    throw new Error(`process-events connector addon not built: ${addon.loadError ?? 'unknown'}`);
  const close = addon.open(procRoot, (batch) => listener(batch as Parameters<ExecListener>[0]));
  return { source: 'netlink', stop: close };
}
