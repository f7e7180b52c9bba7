import { describe, expect, test } from '@jest/globals';
import { kindNumber, parseBatch, parseSockaddr, SENSOR_FLAGS } from '../../../core/runtime/ebpf-record.js';
import { foldRepeats, stdioKind } from '../../../core/runtime/kernel-events.js';

/** One record laid out as sensor.h's `struct sensor_event` (header 296 bytes, then the strings). */
function record(o: {
  kind: number;
  pid: number;
  strings?: string[];
  flags?: number;
  addr?: Buffer;
  repeats?: bigint;
  execNs?: bigint;
  parentExecNs?: bigint;
  quietKey?: bigint;
}): Buffer {
  const strings = (o.strings ?? []).map((s) => Buffer.from(s));
  const header = Buffer.alloc(296);
  const body = Buffer.concat(strings.flatMap((s) => (s.length ? [s, Buffer.from([0])] : [])));
  header.writeUInt32LE(296 + body.length, 0);
  header.writeUInt16LE(o.kind, 4);
  header.writeUInt16LE(o.flags ?? 0, 6);
  header.writeUInt32LE(o.pid, 8);
  header.writeBigUInt64LE(42n, 40);
  header.write('cat', 88);
  o.addr?.copy(header, 104);
  for (const [i, s] of strings.entries()) header.writeUInt16LE(s.length, 160 + i * 2);
  header.writeUInt32LE(7, 172);
  header.write('sh', 188);
  header.writeBigUInt64LE(o.repeats ?? 0n, 264);
  header.writeBigUInt64LE(o.execNs ?? 0n, 272);
  header.writeBigUInt64LE(o.parentExecNs ?? 0n, 280);
  header.writeBigUInt64LE(o.quietKey ?? 0n, 288);
  return Buffer.concat([header, body]);
}

describe('eBPF sensor records', () => {
  test('parses an open record with its resolved path and cgroup path', () => {
    const r = record({
      kind: kindNumber('open'),
      pid: 12,
      flags: SENSOR_FLAGS.cgroupNames,
      strings: ['/etc/shadow', '', '', '', '', 'abc/pod1/kubepods'],
    });
    const { events, malformed } = parseBatch(r);
    expect(malformed).toBe(0);
    expect(events[0]).toMatchObject({
      kind: 'open',
      pid: 12,
      comm: 'cat',
      path: '/etc/shadow',
      cgroupId: 42n,
      cgroupPath: 'abc/pod1/kubepods',
      ancestors: [{ pid: 7, comm: 'sh' }],
    });
  });

  test('parses records back to back and stops at a truncated one', () => {
    const a = record({ kind: kindNumber('exec'), pid: 1, strings: ['/bin/sh', 'sh\0-c\0'] });
    const b = record({ kind: kindNumber('exit'), pid: 2 });
    const { events, malformed } = parseBatch(Buffer.concat([a, b, b.subarray(0, 100)]));
    expect(events.map((e) => e.kind)).toEqual(['exec', 'exit']);
    expect(Buffer.from(events[0]!.argsRaw).toString()).toBe('sh\0-c\0');
    expect(malformed).toBe(1);
  });

  test("an exec carries its exec ids and the kernel's memo key; two runs of one command share the key", () => {
    const a = record({
      kind: kindNumber('exec'),
      pid: 10,
      strings: ['/bin/ls', 'ls\0'],
      execNs: 5n,
      parentExecNs: 3n,
      quietKey: 0xfeedn,
    });
    const b = record({
      kind: kindNumber('exec'),
      pid: 11,
      strings: ['/bin/ls', 'ls\0'],
      execNs: 9n,
      parentExecNs: 4n,
      quietKey: 0xbeefn,
    });
    const { events } = parseBatch(Buffer.concat([a, b]));
    expect(events[0]).toMatchObject({ execNs: 5n, parentExecNs: 3n, quietKey: 0xfeedn });
    expect(events[1]).toMatchObject({ execNs: 9n, parentExecNs: 4n, quietKey: 0xbeefn });
    expect(events[0]!.key).toBe(events[1]!.key);
    const exit = record({ kind: kindNumber('exit'), pid: 10, execNs: 5n });
    expect(parseBatch(exit).events[0]).toMatchObject({ kind: 'exit', execNs: 5n });
  });

  test('a size field pointing past the batch is malformed, not read', () => {
    const r = record({ kind: kindNumber('open'), pid: 1 });
    r.writeUInt32LE(1 << 20, 0);
    expect(parseBatch(r)).toEqual({ events: [], malformed: 1 });
  });

  test('an unknown kind is skipped', () => {
    expect(parseBatch(record({ kind: 99, pid: 1 })).events).toEqual([]);
  });

  test('socket addresses: IPv4, IPv6, IPv4-mapped IPv6', () => {
    const v4 = Buffer.alloc(28);
    v4.writeUInt16LE(2, 0);
    v4.writeUInt16BE(4444, 2);
    Buffer.from([10, 0, 0, 7]).copy(v4, 4);
    expect(parseSockaddr(v4, 0)).toEqual({ family: 'inet', address: '10.0.0.7', port: 4444 });
    const v6 = Buffer.alloc(28);
    v6.writeUInt16LE(10, 0);
    v6.writeUInt16BE(443, 2);
    Buffer.from('20010db8000000000000000000000001', 'hex').copy(v6, 8);
    expect(parseSockaddr(v6, 0)).toEqual({ family: 'inet6', address: '2001:db8::1', port: 443 });
    const mapped = Buffer.alloc(28);
    mapped.writeUInt16LE(10, 0);
    Buffer.from('00000000000000000000ffff7f000001', 'hex').copy(mapped, 8);
    expect(parseSockaddr(mapped, 0)?.address).toBe('127.0.0.1');
    expect(parseSockaddr(Buffer.alloc(28), 0)).toBeUndefined();
  });

  test('stdio kinds from the kernel: TCP socket, unix socket, pipe, terminal, /dev/null', () => {
    expect(stdioKind(0o140000n | (2n << 32n))).toBe('socket');
    expect(stdioKind(0o140000n | (1n << 32n))).toBe('unix-socket');
    expect(stdioKind(0o010000n)).toBe('pipe');
    expect(stdioKind(0o020000n | (136n << 48n))).toBe('tty');
    expect(stdioKind(0o020000n | (1n << 48n))).toBe('null');
    expect(stdioKind(0n)).toBe('unknown');
  });
});

describe('folding repeated opens', () => {
  test('identical opens of one process in a batch are one event with a count; others stay apart', () => {
    const open = (pid: number, path: string) =>
      parseBatch(record({ kind: kindNumber('open'), pid, strings: [path] })).events[0]!;
    const exec = parseBatch(record({ kind: kindNumber('exec'), pid: 1, strings: ['/bin/sh'] })).events[0]!;
    const folded = foldRepeats([
      open(1, '/etc/shadow'),
      exec,
      open(1, '/etc/shadow'),
      open(2, '/etc/shadow'),
      open(1, '/etc/gshadow'),
      open(1, '/etc/shadow'),
    ]);
    expect(folded.map((f) => [f.event.kind, f.event.pid, f.event.path, f.count])).toEqual([
      ['open', 1, '/etc/shadow', 3],
      ['exec', 1, '/bin/sh', 1],
      ['open', 2, '/etc/shadow', 1],
      ['open', 1, '/etc/gshadow', 1],
    ]);
  });

  test('opens the loader already folded count as 1 + repeats, and add up with later ones', () => {
    const open = (repeats: bigint) =>
      parseBatch(record({ kind: kindNumber('open'), pid: 1, strings: ['/etc/shadow'], repeats })).events[0]!;
    expect(open(4n).repeats).toBe(4);
    expect(foldRepeats([open(4n), open(0n), open(9n)]).map((f) => f.count)).toEqual([16]);
  });

  test('a corrupt repeat count is capped, not trusted', () => {
    const r = record({ kind: kindNumber('open'), pid: 1, strings: ['/x'], repeats: 2n ** 63n });
    expect(parseBatch(r).events[0]!.repeats).toBe(1e9);
  });
});
