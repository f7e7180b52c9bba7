import { describe, expect, it } from '@jest/globals';
import { OUTPUT_FORMATS } from '../../../core/report/render/formats.js';
import { RENDERERS, rendererFor } from '../../../core/report/render/index.js';

describe('output formats (the names --output offers without loading the renderers)', () => {
  it('has one renderer per name, in the same order', () => {
    expect(RENDERERS.map((r) => r.name)).toEqual([...OUTPUT_FORMATS]);
    for (const name of OUTPUT_FORMATS) expect(rendererFor(name).name).toBe(name);
  });

  it('names the formats when asked for an unknown one', () => {
    expect(() => rendererFor('xml')).toThrow(
      'unknown output format "xml": expected one of table, json, yaml, sarif',
    );
  });
});
