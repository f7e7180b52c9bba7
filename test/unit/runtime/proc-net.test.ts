import { expect, test } from '@jest/globals';
import { parseListening } from '../../../core/runtime/proc-net.js';

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F91 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 4243 1 0000000000000000 100 0 0 10 0
   garbage line
`;

test('reads listening sockets from /proc/net/tcp and skips other states and garbage', () => {
  expect(parseListening(TCP, false)).toEqual([{ inode: '4242', address: '127.0.0.1', port: 8080 }]);
});

test('reads IPv6 listeners', () => {
  const v6 = `header\n 0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 0:0 0:0 0 0 0 77 1\n`;
  expect(parseListening(v6, true)).toEqual([{ inode: '77', address: '::', port: 80 }]);
});
