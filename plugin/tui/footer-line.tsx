import { Text } from 'ink';
import { useColour } from './colour.js';
import { printable } from './printable.js';
import type { UiState } from './ui-state.js';

/** The bottom line: the prompt being typed, else a notice, else the main keys. */
export function FooterLine({ ui }: { ui: UiState }) {
  const colour = useColour();
  if (ui.prompt)
    return (
      <Text wrap="truncate">
        <Text bold color={colour ? 'cyan' : undefined}>
          {ui.prompt.kind === 'command' ? ':' : '/'}
        </Text>
        {printable(ui.prompt.text)}
        <Text inverse> </Text>
      </Text>
    );
  if (ui.notice)
    return (
      <Text wrap="truncate" color={colour ? 'yellow' : undefined}>
        {' '}
        {printable(ui.notice)}
      </Text>
    );
  const enter = ui.detail ? '' : ui.screen === 'scans' ? '⏎ findings  ' : '⏎ details  ';
  return (
    <Text dimColor wrap="truncate">
      {` ? help  : screen  / filter  j/k ↑/↓  g/G  ${enter}${ui.detail || ui.scanFocus ? 'esc back  ' : ''}s severity  q quit`}
    </Text>
  );
}
