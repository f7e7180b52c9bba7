import { describe, expect, it } from '@jest/globals';
import { parseImage } from '../../../../core/config/checks/image-reference.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseImage', () => {
  it('splits repository, tag and digest as the runtime reads them', () => {
    expect(parseImage('nginx')).toEqual({ repository: 'nginx' });
    expect(parseImage('nginx:1.25')).toEqual({ repository: 'nginx', tag: '1.25' });
    expect(parseImage('localhost:5000/app')).toEqual({ repository: 'localhost:5000/app' });
    expect(parseImage(`localhost:5000/app:2@${DIGEST}`)).toEqual({
      repository: 'localhost:5000/app',
      tag: '2',
      digest: DIGEST,
    });
    // Not a digest by the OCI grammar: no digest part.
    expect(parseImage('app@latest')).toEqual({ repository: 'app' });
  });

  it('shares one frozen result per image text, and stays right past its table size', () => {
    const first = parseImage('registry.example.com/shop/web:1.4.2');
    expect(parseImage('registry.example.com/shop/web:1.4.2')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    for (let i = 0; i < 10_000; i++)
      expect(parseImage(`app-${i}:v${i}`)).toEqual({ repository: `app-${i}`, tag: `v${i}` });
    expect(parseImage('registry.example.com/shop/web:1.4.2')).toEqual(first);
  });
});
