import { Text } from 'ink';

/**
 * Empty lines that fill what a list, the help or the details leave of their height: the footer stays on
 * the terminal's last line and every frame is as tall as the last, so each covers the one before.
 */
export function BlankLines({ count }: { count: number }) {
  return (
    <>
      {Array.from({ length: Math.max(0, count) }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: blank lines have no identity
        <Text key={`blank-${i}`}> </Text>
      ))}
    </>
  );
}
