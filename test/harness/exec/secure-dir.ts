import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A directory the secure executor accepts tools from: root-owned, with no group/other-writable
 * directory above it. The system temp dir (/tmp, mode 1777) is world-writable, so it lives under /run
 * (root's tmpfs, 0755). Needs root, as the executor's checks do.
 */
export function secureToolDir(): { dir: string; script(name: string, body: string): string; remove(): void } {
  mkdirSync('/run', { recursive: true });
  const dir = mkdtempSync('/run/seco-exec-test-');
  chmodSync(dir, 0o755);
  return {
    dir,
    script(name, body) {
      const path = join(dir, name);
      writeFileSync(path, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      chmodSync(path, 0o755);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
