import { describe, expect, test } from '@jest/globals';
import { fdKind, parseCmdline, parseStatus, toProcessInfo } from '../../../core/runtime/proc-parse.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('proc parsing', () => {
  test('splits a NUL-separated command line and masks secrets in it', () => {
    const { args, cmdline } = parseCmdline(
      bytes('curl\0-H\0Authorization: Bearer ghp_abcdefghijklmnopqrstuvwxyz0123456789\0'),
    );
    expect(args[0]).toBe('curl');
    expect(cmdline).not.toContain('abcdefghijklmnopqrstuvwxyz0123456789');
  });

  test('caps a huge command line and says it was cut', () => {
    const huge = Array.from({ length: 5000 }, () => 'x'.repeat(3000)).join('\0');
    const { args, cmdline } = parseCmdline(bytes(huge));
    expect(args).toHaveLength(256);
    expect(args[0]!.length).toBeLessThanOrEqual(1025);
    expect(cmdline.endsWith('[cut]')).toBe(true);
  });

  test('escapes control characters so a process cannot forge output lines', () => {
    expect(parseCmdline(bytes('sh\0-c\0echo\nFAKE\u001b[31m')).args[2]).toBe('echo\\x0aFAKE\\x1b[31m');
  });

  test('reads name, parent, effective uid and namespace pid from status', () => {
    const status = 'Name:\tsh\nUmask:\t0022\nPPid:\t41\nUid:\t1000\t0\t0\t0\nNSpid:\t4242\t1\n';
    expect(parseStatus(status)).toEqual({ name: 'sh', ppid: 41, uid: 0, nsPid: 1 });
  });

  test('malformed status fields are left unset, not guessed', () => {
    expect(parseStatus('PPid:\tminus one\nUid:\t\nNSpid:\n\u0000\u0000')).toEqual({});
  });

  test.each([
    ['socket:[123]', 'socket'],
    ['pipe:[9]', 'pipe'],
    ['/dev/pts/3', 'tty'],
    ['/dev/null', 'null'],
    ['/etc/passwd', 'file'],
    [undefined, 'unknown'],
  ])('fd %s is %s', (target, kind) => {
    expect(fdKind(target)).toBe(kind);
  });

  test('a process gone before anything was read gives nothing', () => {
    expect(toProcessInfo(7, {})).toBeUndefined();
  });

  test('a deleted executable keeps its path', () => {
    expect(toProcessInfo(7, { exe: '/tmp/x (deleted)' })?.exe).toBe('/tmp/x');
  });
});
