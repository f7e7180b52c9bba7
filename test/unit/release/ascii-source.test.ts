import { runInNewContext } from 'node:vm';
import { describe, expect, it } from '@jest/globals';
import { escapeNonAscii } from '../../../tools/release/ascii-source.js';

/** Evaluates a script returning an array of results, as the bundle's code would run. */
const run = (source: string): unknown => runInNewContext(source);

// Regular-expression literals of the kinds esbuild leaves unescaped, each with the inputs it is tried on.
const CASES = [
  String.raw`[/(\d+)(ns|µs|ms)/.exec("12µs")?.[2], /(\d+)(ns|µs|ms)/.test("12us")]`,
  `[/[\x1b\x9b][[()#;?]*m/.test("\x9b[31m"), /[\x1b\x9b]/.test("[")]`,
  '[/[😀-😂]/u.test("😁"), /[😀-😂]/u.test("\\ud83d"), /^.$/u.test("😀"), /^😀$/.test("😀")]',
  '[/é+/i.test("ÉÉ"), /[à-ÿ]/.test("ü"), /[à-ÿ]/.test("z")]',
];

describe('escapeNonAscii', () => {
  it('leaves pure ASCII untouched', () => {
    const s = 'const a = /[\\x9b]/; // plain\n';
    expect(escapeNonAscii(s)).toBe(s);
  });

  it('writes every non-ASCII code unit as a \\u escape, surrogate pairs included', () => {
    expect(escapeNonAscii('/µ/ /😀/u')).toBe('/\\u00b5/ /\\ud83d\\ude00/u');
    for (const c of CASES) expect(escapeNonAscii(c)).not.toMatch(/[\u0080-\uffff]/);
  });

  it('keeps what each regular-expression literal matches, with and without the u flag', () => {
    for (const c of CASES) expect(run(escapeNonAscii(c))).toEqual(run(c));
  });
});
