import { describe, expect, it } from '@jest/globals';
import { parseCalicoSelector } from '../../../core/kube/calico-selector.js';

const labels = { app: 'web', tier: 'frontend', 'example.com/team': 'shop' };

// Selector examples of Calico's NetworkPolicy reference (docs.tigera.io, "Selectors").
describe('Calico selector expressions', () => {
  it.each([
    ['', true],
    ['all()', true],
    ["app == 'web'", true],
    ['app == "api"', false],
    ["app != 'api'", true],
    ["missing != 'x'", true],
    ['has(tier)', true],
    ['!has(canary)', true],
    ["tier in {'frontend', 'backend'}", true],
    ["tier not in {'frontend'}", false],
    ["missing not in {'a'}", true],
    ["app contains 'e'", true],
    ["app starts with 'w'", true],
    ["app ends with 'x'", false],
    ["example.com/team == 'shop'", true],
    ["app == 'web' && (tier == 'backend' || has(example.com/team))", true],
    ["!(app == 'web')", false],
  ])('%p selects {app: web, tier: frontend}: %p', (selector, expected) => {
    expect(parseCalicoSelector(selector)(labels)).toBe(expected);
  });

  it('refuses a selector that does not parse, naming it', () => {
    expect(() => parseCalicoSelector("app = 'web'")).toThrow(/selector "app = 'web'"/);
    expect(() => parseCalicoSelector("app == 'web' &&")).toThrow(/expected a label key/);
    expect(() => parseCalicoSelector("tier in {'a' 'b'}")).toThrow(/expected , or }/);
  });
});
