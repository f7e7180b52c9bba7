import { posix } from 'node:path';
import type { HostRoot } from './host-root.js';

const MAX_INCLUDE_DEPTH = 8;

/**
 * The global settings of sshd_config(5): keywords are case-insensitive, the first value obtained wins,
 * `Include` is expanded in place (globs in the last path part), and a `Match` block ends the global part.
 */
export async function readSshdConfig(
  host: HostRoot,
  path = '/etc/ssh/sshd_config',
): Promise<Map<string, string> | undefined> {
  const text = await host.readText(path);
  if (text === undefined) return undefined;
  const settings = new Map<string, string>();
  await collect(host, text, settings, 0);
  return settings;
}

async function collect(
  host: HostRoot,
  text: string,
  settings: Map<string, string>,
  depth: number,
): Promise<boolean> {
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(\S+)\s*(?:=\s*|\s+)(.*)$/.exec(line);
    if (!match) continue;
    const keyword = match[1]!.toLowerCase();
    const value = match[2]!.trim();
    if (keyword === 'match') return false;
    if (keyword === 'include') {
      if (depth >= MAX_INCLUDE_DEPTH) continue;
      for (const pattern of value.split(/\s+/)) {
        for (const file of await expandInclude(host, pattern)) {
          const included = await host.readText(file);
          if (included !== undefined && !(await collect(host, included, settings, depth + 1))) return false;
        }
      }
      continue;
    }
    if (!settings.has(keyword)) settings.set(keyword, value);
  }
  return true;
}

async function expandInclude(host: HostRoot, pattern: string): Promise<string[]> {
  const absolute = pattern.startsWith('/') ? pattern : `/etc/ssh/${pattern}`;
  const dir = posix.dirname(absolute);
  const glob = posix.basename(absolute);
  if (!/[*?[]/.test(glob)) return [absolute];
  const regex = new RegExp(
    `^${glob
      .replace(/[.+^${}()|\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return (await host.list(dir)).filter((name) => regex.test(name)).map((name) => `${dir}/${name}`);
}
