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
    expect(() => evaluateCel(`semver('1.0')`)).toThrow(/No Major.Minor.Patch elements found/);
  });

  // Kubernetes' own cases (semver_test.go) and blang/semver's Parse, whose messages the library
  // passes on.
  it.each([
    [`isSemver('1.2-beta', true)`, false],
    [`isSemver('01.01.01', true)`, true],
    [`isSemver(' 1.0.0', true)`, false],
    [`semver('v01.01', true) == semver('1.1.0')`, true],
    [`semver('v1.02.03-beta', true).patch()`, 3n],
  ])('%s is %p', (expression, expected) => {
    expect(evaluateCel(expression)).toEqual(expected);
  });

  it.each([
    [`semver('')`, /^Version string empty/],
    [`semver('01.2.3')`, /^Major number must not contain leading zeroes "01"/],
    [`semver('1.a.3')`, /^Invalid character\(s\) found in minor number "a"/],
    [`semver('1.2.3-01')`, /^Numeric PreRelease version must not contain leading zeroes "01"/],
    [`semver('1.2.3-')`, /^Prerelease is empty/],
    [`semver('1.2.3+')`, /^Build meta data is empty/],
    [`semver('1.2.')`, /^strconv.ParseUint: parsing "": invalid syntax/],
    [`semver('1.2-beta', true)`, /^short version cannot contain PreRelease\/Build meta data/],
  ])("%s fails with blang/semver's message", (expression, message) => {
    expect(() => evaluateCel(expression)).toThrow(message);
  });
});
