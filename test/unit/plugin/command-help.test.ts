import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { closest, editDistance } from '../../../plugin/cli/did-you-mean.js';
import { usageName } from '../../../plugin/cli/usage-name.js';
import { COMMANDS } from '../../../plugin/commands/index.js';

describe('command help text', () => {
  it('has no hard line break inside a paragraph of any description (oclif wraps to the terminal)', () => {
    for (const [id, command] of Object.entries(COMMANDS)) {
      const description = command.description ?? '';
      expect({ id, breaks: description.match(/[^\n]\n[^\n]/g) ?? [] }).toEqual({ id, breaks: [] });
    }
  });
});

describe('did you mean', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('scna', 'scan')).toBe(1);
    expect(editDistance('staus', 'status')).toBe(1);
  });

  it('picks close names and prefixes, closest first, and nothing far away', () => {
    expect(closest('scna', ['scan', 'status', 'watch'])).toEqual(['scan']);
    expect(closest('--file', ['--filename', '--fail-on'])).toEqual(['--filename']);
    expect(closest('--fial-on', ['--filename', '--fail-on'])).toEqual(['--fail-on']);
    expect(closest('frobnicate', ['scan', 'status'])).toEqual([]);
  });
});

describe('the name in USAGE', () => {
  it('is kubectl seco unless the shell started this very executable by its own name', () => {
    const self = resolve('bin/kubectl-seco.js');
    expect(usageName({ _: '/usr/bin/kubectl' }, [self])).toBe('kubectl seco');
    expect(usageName({}, [self])).toBe('kubectl seco');
    expect(usageName({ _: self }, [self])).toBe('kubectl-seco');
    // a `_` left by a shell further up names another file: not how this process was started
    expect(usageName({ _: '/elsewhere/kubectl-seco' }, [self])).toBe('kubectl seco');
  });
});
