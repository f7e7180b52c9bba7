import { maskSecretsIn } from '../mask/index.js';
import type { ProcessInfo, RawProc } from './process-info.js';

// Caps: a command line may be megabytes (the kernel allows ~2 MiB of argv); rules and events need far less.
const MAX_ARGS = 256;
const MAX_ARG_CHARS = 1024;

const decoder = new TextDecoder('utf-8', { fatal: false });

/** Splits /proc/<pid>/cmdline (NUL-separated) into masked, capped arguments. */
export function parseCmdline(raw: Uint8Array | undefined, cut = false): { args: string[]; cmdline: string } {
  if (!raw || raw.length === 0) return { args: [], cmdline: '' };
  const parts = decoder.decode(raw).split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  const tooMany = parts.length > MAX_ARGS;
  const args = parts.slice(0, MAX_ARGS).map((a) => {
    // Control characters would let a process forge lines in a terminal or log: shown escaped.
    const safe = escapeControls(a);
    return maskSecretsIn(safe.length > MAX_ARG_CHARS ? `${safe.slice(0, MAX_ARG_CHARS)}…` : safe);
  });
  const cmdline = maskSecretsIn(args.join(' ')) + (cut || tooMany ? ' [cut]' : '');
  return { args, cmdline };
}

/** Control characters as `\xNN` (a loop, not a regex: the linter rightly distrusts control chars in patterns). */
function escapeControls(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    out += code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : ch;
  }
  return out;
}

export interface ProcStatus {
  name?: string;
  ppid?: number;
  uid?: number;
  /** Last NSpid value: the pid as the process's own PID namespace sees it. */
  nsPid?: number;
}

/** The fields of /proc/<pid>/status the rules use; anything malformed is left unset. */
export function parseStatus(raw: Uint8Array | string | undefined): ProcStatus {
  if (!raw) return {};
  const text = typeof raw === 'string' ? raw : decoder.decode(raw);
  const status: ProcStatus = {};
  for (const line of text.split('\n', 64)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    if (key === 'Name') status.name = value.slice(0, 64);
    else if (key === 'PPid') status.ppid = int(value);
    // Effective uid (second field): what the process can do, as Falco's user.uid.
    else if (key === 'Uid') status.uid = int(value.split(/\s+/)[1]);
    else if (key === 'NSpid') status.nsPid = int(value.split(/\s+/).pop());
  }
  return status;
}

function int(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,10}$/.test(value)) return undefined;
  return Number(value);
}

/** What an fd link target says the fd is. */
export function fdKind(target: string | undefined): string {
  if (target === undefined) return 'unknown';
  if (target.startsWith('socket:')) return 'socket';
  if (target.startsWith('pipe:')) return 'pipe';
  if (target === '/dev/null') return 'null';
  if (/^\/dev\/(pts\/\d+|tty\w*|console)$/.test(target)) return 'tty';
  return 'file';
}

/** A ProcessInfo from raw reads; `undefined` when nothing identifying could be read (the process is gone). */
export function toProcessInfo(pid: number, raw: RawProc): ProcessInfo | undefined {
  if (raw.exe === undefined && raw.status === undefined && raw.cmdline === undefined) return undefined;
  const status = parseStatus(raw.status);
  const { args, cmdline } = parseCmdline(raw.cmdline, raw.cmdlineCut);
  // A deleted binary reads as "/path (deleted)"; keep the path, the suffix is not part of the name.
  const exe = (raw.exe ?? '').replace(/ \(deleted\)$/, '');
  return {
    pid,
    ppid: status.ppid ?? 0,
    name: status.name ?? exe.slice(exe.lastIndexOf('/') + 1),
    exe,
    args,
    cmdline,
    uid: status.uid ?? -1,
    cwd: raw.cwd ?? '',
    stdio: [fdKind(raw.fd0), fdKind(raw.fd1), fdKind(raw.fd2)],
    isNamespaceInit: status.nsPid === 1 && pid !== 1,
    cgroup: raw.cgroup ? decoder.decode(raw.cgroup.subarray(0, 16384)) : '',
  };
}
