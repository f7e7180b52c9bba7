import type { Config } from '@oclif/core';
import { type CompletionNode, commandTree } from './command-tree.js';

/** The loaded command table (what help lists, too) as the completion tree. */
export function loadedCommandTree(config: Config): Map<string, CompletionNode> {
  const topics = new Map(config.topics.map((t) => [t.name.replaceAll(':', ' '), t.description ?? '']));
  return commandTree(config.commands, topics);
}
