import { describe, expect, it } from '@jest/globals';
import { Severity } from '../../../core/model/severity.js';
import { atLeast, compareSeverity, parseSeverity, SEVERITIES } from '../../../core/model/severity-levels.js';

describe('severity levels (the zod-free scale the command flags use)', () => {
  it('is the scale the zod schema validates', () => {
    expect(Severity.options).toEqual([...SEVERITIES]);
  });

  it('parses a name in any case and names the accepted ones when it cannot', () => {
    expect(parseSeverity('HIGH')).toBe('high');
    expect(parseSeverity('info')).toBe('info');
    expect(() => parseSeverity('severe')).toThrow(
      'unknown severity "severe": expected one of critical, high, medium, low, info',
    );
  });

  it('orders from critical down to info', () => {
    expect(atLeast('critical', 'high')).toBe(true);
    expect(atLeast('low', 'medium')).toBe(false);
    expect(atLeast('medium', 'medium')).toBe(true);
    expect([...SEVERITIES].reverse().sort(compareSeverity)).toEqual([...SEVERITIES]);
  });
});
