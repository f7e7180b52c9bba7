/** A TCP socket in LISTEN state, from /proc/<pid>/net/tcp or tcp6. */
export interface ListeningSocket {
  inode: string;
  address: string;
  port: number;
}

const LISTEN = '0A';

/** Parses /proc/net/tcp{,6} text; malformed lines are skipped (the kernel's format, but the input is a file). */
export function parseListening(text: string, v6: boolean): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length && i < 100_000; i++) {
    const f = lines[i]!.trim().split(/\s+/);
    if (f.length < 10 || f[3] !== LISTEN) continue;
    const [addr, port] = (f[1] ?? '').split(':');
    if (!addr || !port || !/^[0-9A-F]+$/i.test(port)) continue;
    out.push({ inode: f[9]!, address: v6 ? ipv6(addr) : ipv4(addr), port: Number.parseInt(port, 16) });
  }
  return out;
}

// The kernel prints addresses as host-order 32-bit words: on little-endian machines each word is reversed.
function ipv4(hex: string): string {
  if (hex.length !== 8) return hex;
  return [6, 4, 2, 0].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join('.');
}

function ipv6(hex: string): string {
  if (hex.length !== 32) return hex;
  const bytes: string[] = [];
  for (let w = 0; w < 4; w++) for (const i of [6, 4, 2, 0]) bytes.push(hex.slice(w * 8 + i, w * 8 + i + 2));
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(Number.parseInt(bytes[i]! + bytes[i + 1]!, 16).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}
