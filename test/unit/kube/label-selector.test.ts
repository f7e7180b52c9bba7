import { describe, expect, it } from '@jest/globals';
import { selectorMatches } from '../../../core/kube/label-selector.js';

const labels = { app: 'web', tier: 'frontend' };

describe('selectorMatches', () => {
  it('matches everything with an empty selector', () => {
    expect(selectorMatches({}, labels)).toBe(true);
    expect(selectorMatches({}, undefined)).toBe(true);
  });

  it('requires every matchLabels pair', () => {
    expect(selectorMatches({ matchLabels: { app: 'web' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'web', tier: 'backend' } }, labels)).toBe(false);
  });

  it.each([
    [{ key: 'app', operator: 'In', values: ['web', 'api'] }, true],
    [{ key: 'app', operator: 'In', values: ['api'] }, false],
    [{ key: 'app', operator: 'NotIn', values: ['api'] }, true],
    [{ key: 'missing', operator: 'NotIn', values: ['x'] }, true],
    [{ key: 'tier', operator: 'Exists' }, true],
    [{ key: 'missing', operator: 'Exists' }, false],
    [{ key: 'missing', operator: 'DoesNotExist' }, true],
    [{ key: 'app', operator: 'DoesNotExist' }, false],
    [{ key: 'app', operator: 'Bogus', values: ['web'] }, false],
  ])('evaluates %j as %s', (expression, expected) => {
    expect(selectorMatches({ matchExpressions: [expression] }, labels)).toBe(expected);
  });

  it('matches nothing when the selector is malformed', () => {
    expect(selectorMatches('app=web', labels)).toBe(false);
    expect(selectorMatches({ matchLabels: ['app'] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: 'x' }, labels)).toBe(false);
  });
});
