import { describe, expect, it } from '@jest/globals';
import { evaluateCel } from './evaluate-cel.js';

// Examples from the semver library's godoc (k8s.io/apiserver/pkg/cel/library/semverlib.go).
describe('semver library', () => {
  it.each([
    [`isSemver('1.0.0')`, true],
    [`isSemver('1.0.0-alpha.1+build.5')`, true],
    [`isSemver('hello')`, false],
    [`isSemver('v1.0')`, false],
    [`isSemver('v1.0', true)`, true],
    [`isSemver('01.0.0')`, false],
    [`semver('1.2.3').major()`, 1n],
    [`semver('1.2.3').minor()`, 2n],
    [`semver('1.2.3').patch()`, 3n],
    [`semver('v1.2', true).minor()`, 2n],
    [`semver('1.0.0').isGreaterThan(semver('0.1.0'))`, true],
    [`semver('1.0.0').isLessThan(semver('1.1.0'))`, true],
    [`semver('1.0.0').compareTo(semver('2.0.0'))`, -1n],
    [`semver('1.0.0-alpha').compareTo(semver('1.0.0'))`, -1n],
    [`semver('1.0.0-alpha.1').compareTo(semver('1.0.0-alpha.beta'))`, -1n],
    [`semver('1.0.0+build1') == semver('1.0.0+build2')`, true],
  ])('%s is %p', (expression, expected) => {
    expect(evaluateCel(expression)).toEqual(expected);
  });

  it('refuses a version that does not parse', () => {
    expect(() => evaluateCel(`semver('1.0')`)).toThrow(/could not parse/);
  });
});
