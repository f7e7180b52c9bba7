import { describe, expect, it } from '@jest/globals';
import { COMMANDS } from '../../../plugin/commands/index.js';
import { commandPath, commandTree } from '../../../plugin/completion/command-tree.js';
import { completeWords } from '../../../plugin/completion/complete-words.js';
import { COMPLETION_SCRIPTS } from '../../../plugin/completion/index.js';
import { COMPLETION_SHELLS } from '../../../plugin/completion/shells.js';

// The command classes as oclif loads them: id and the static parts completion reads.
const loadable = Object.entries(COMMANDS).map(([id, command]) => ({
  id,
  hidden: command.hidden ?? false,
  summary: command.summary,
  description: command.description,
  flags: command.flags ?? {},
})) as never;
const tree = commandTree(loadable, new Map([['db', 'The local vulnerability database']]));

describe('completion from the command table', () => {
  it('has a script for every shell the argument offers', () => {
    expect(Object.keys(COMPLETION_SCRIPTS)).toEqual([...COMPLETION_SHELLS]);
  });

  it('lists visible commands and topics, not the hidden __complete', () => {
    expect(tree.get('')?.children.map((c) => c.word)).toContain('scan');
    expect(tree.get('')?.children.map((c) => c.word)).not.toContain('__complete');
    expect(tree.get('db')?.children.map((c) => c.word)).toEqual(['import', 'status']);
  });

  it('finds the command past flags and their values', () => {
    expect(commandPath(tree, ['scan', '-f', 'image', 'image'])).toBe('scan image');
    expect(commandPath(tree, ['-o', 'json', 'scan'])).toBe('scan');
  });

  it('answers in Cobra __complete format: files for arguments, none for flags', () => {
    expect(completeWords(tree, ['scan', '--sev'])).toBe(
      '--severity\tshow only these severities (comma-separated), e.g. critical,high\n:4\n',
    );
    expect(completeWords(tree, ['scan', '-f', ''])).toBe(':0\n');
    expect(completeWords(tree, ['version', ''])).toBe(':0\n');
  });
});
