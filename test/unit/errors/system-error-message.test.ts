import { readFile } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import {
  describeErrorCode,
  spellOutCodes,
  systemErrorMessage,
} from '../../../core/errors/system-error-message.js';

describe('system error messages in words', () => {
  it('says what a real ENOENT means and keeps the code to search for', async () => {
    const error = await readFile('/no/such/file.yaml').catch((e: unknown) => e);
    expect(systemErrorMessage(error)).toBe('no such file or directory (ENOENT)');
  });

  it('spells out a code inside a message, with the address it concerns', () => {
    expect(spellOutCodes('connect ECONNREFUSED 127.0.0.1:1')).toBe(
      'connection refused, nothing listens there (ECONNREFUSED) at 127.0.0.1:1',
    );
    expect(spellOutCodes('getaddrinfo ENOTFOUND seco.invalid')).toBe(
      'host name not found in DNS (ENOTFOUND) at seco.invalid',
    );
    expect(spellOutCodes("EACCES: permission denied, open '/etc/shadow'")).toBe(
      'permission denied (EACCES): /etc/shadow',
    );
  });

  it('spells out an fs message inside a longer one, and leaves a code already spelled out alone', () => {
    expect(spellOutCodes("docker-archive:/x.tar: ENOENT: no such file or directory, open '/x.tar'")).toBe(
      'docker-archive:/x.tar: no such file or directory (ENOENT): /x.tar',
    );
    expect(spellOutCodes('rules directory /r: no such file or directory (ENOENT)')).toBe(
      'rules directory /r: no such file or directory (ENOENT)',
    );
  });

  it('leaves unknown codes and ordinary words alone', () => {
    expect(describeErrorCode('EWHATEVER')).toBe('EWHATEVER');
    expect(spellOutCodes('HTTP 404 NOT FOUND from EXAMPLE')).toBe('HTTP 404 NOT FOUND from EXAMPLE');
    expect(systemErrorMessage(new Error('plain words'))).toBe('plain words');
  });
});
