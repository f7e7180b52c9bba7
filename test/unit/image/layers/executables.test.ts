import { describe, expect, it } from '@jest/globals';
import { executablesAnalyzer } from '../../../../core/image/layers/executables.js';
import { walkImage } from '../../../../core/image/layers/walk-image.js';
import { walkLayers } from '../../../../core/image/layers/walk-layers.js';
import { layerOf, tarOf } from './tar-layer.js';

describe('executables analyzer', () => {
  it('names files with any execute bit, honouring whiteouts, without reading them', async () => {
    const bottom = await tarOf([
      { name: 'bin/sh', mode: 0o755 },
      { name: 'bin/gone', mode: 0o755 },
      { name: 'srv/group-exec', mode: 0o610 },
      { name: 'etc/passwd', mode: 0o644 },
    ]);
    const top = await tarOf([{ name: 'bin/.wh.gone' }]);
    const result = await walkLayers([layerOf('l1', bottom), layerOf('l2', top)], []);
    expect(result.executables).toEqual({ paths: ['/bin/sh', '/srv/group-exec'], capped: false });
  });

  it('stops at the cap and says the list is incomplete', async () => {
    const layer = await tarOf([
      { name: 'a', mode: 0o755 },
      { name: 'b', mode: 0o755 },
      { name: 'c', mode: 0o755 },
    ]);
    const analyzer = executablesAnalyzer(2);
    const outcome = await walkImage([layerOf('l1', layer)], [analyzer]);
    expect(outcome.outputs.map((o) => o.path)).toEqual(['a', 'b']);
    expect(analyzer.capped()).toBe(true);
  });
});
