import { describe, expect, it } from '@jest/globals';
import { load } from 'js-yaml';
import { MANIFEST_SCHEMA } from '../../../../core/config/input/manifest-schema.js';

// Every implicit scalar form of YAML 1.1 as js-yaml's DEFAULT_SCHEMA reads it, and near misses.
const SCALARS = [
  'plain',
  '',
  '~',
  'null',
  'Null',
  'true',
  'False',
  'yes',
  '0',
  '-17',
  '+12_000',
  '0x1F',
  '0o17',
  '0b101',
  '1.5',
  '-1.5e3',
  '+.5',
  '.5',
  '6.8523015e+5',
  '1e3',
  '.inf',
  '-.Inf',
  '+.INF',
  '.nan',
  '.NaN',
  '1_000.5',
  '.',
  '+',
  'e3',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '2001-12-14 21:59:43.10 -5',
  '2001-12-15T02:59:43.1Z',
  '2002-1-1T1:00:00',
  '2001-12-1',
  '2001-12-14x',
  '20011214',
  '1.2.3',
  '8080',
];

describe('MANIFEST_SCHEMA', () => {
  it.each(SCALARS)('reads the plain scalar %j as the default schema does', (scalar) => {
    const text = `value: ${scalar}\n${scalar === '' ? 'x' : scalar}: key\n`;
    expect(load(text, { schema: MANIFEST_SCHEMA })).toStrictEqual(load(text));
  });

  it('keeps merge keys, explicit tags and quoted scalars as the default schema does', () => {
    const text = [
      'base: &b {a: 1, when: 2001-12-14}',
      'merged: {<<: *b, c: 2}',
      'tagged: !!float "3"',
      'stamp: !!timestamp 2002-12-14',
      'blob: !!binary aGVsbG8=',
      'set: !!set {a, b}',
      'pairs: !!pairs [a: 1, b: 2]',
      'quoted: ["1.5", "2001-12-14", "true"]',
    ].join('\n');
    expect(load(text, { schema: MANIFEST_SCHEMA })).toStrictEqual(load(text));
  });

  it('refuses what the default schema refuses', () => {
    expect(() => load('x: !!float abc', { schema: MANIFEST_SCHEMA })).toThrow(/cannot resolve/);
    expect(() => load('x: !!timestamp 2001-13', { schema: MANIFEST_SCHEMA })).toThrow(/cannot resolve/);
  });
});
