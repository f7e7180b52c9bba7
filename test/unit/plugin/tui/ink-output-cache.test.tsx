import { describe, expect, it } from '@jest/globals';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { installed } from '../../../../plugin/tui/ink-output-cache.js';

const tick = () => new Promise((r) => setTimeout(r, 20));

describe("Ink's line cache kept across frames", () => {
  it('is installed for the Ink this package pins', () => {
    expect(installed).toBe(true);
  });

  it('draws each frame as it is, lines seen before or not', async () => {
    const frame = (lines: string[]) => (
      <>
        {lines.map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list of lines
          <Text key={i} color={i === 1 ? 'red' : undefined}>
            {line}
          </Text>
        ))}
      </>
    );
    const { lastFrame, rerender } = render(frame(['one', 'two', 'three']));
    const first = lastFrame();
    expect(first).toContain('one\n');
    rerender(frame(['one', 'zwei', 'three']));
    await tick();
    expect(lastFrame()).toContain('zwei');
    expect(lastFrame()).not.toContain('two');
    rerender(frame(['one', 'two', 'three']));
    await tick();
    expect(lastFrame()).toBe(first);
    // More distinct lines than the cache keeps: it starts again, and frames stay right.
    for (let i = 0; i < 700; i += 50) {
      rerender(frame(Array.from({ length: 50 }, (_, j) => `line ${i + j}`)));
      await tick();
      expect(lastFrame()?.split('\n')[49]).toBe(`line ${i + 49}`);
    }
  });
});
