import type { Finding } from '../../core/model/index.js';

/**
 * Runtime rule outputs fill unknown fields with `<NA>`, as Falco does (core/runtime/rule-engine.ts), so a
 * process outside any pod reads `shell in container <NA>/<NA> (<NA>): bash`. On screen the placeholder
 * group becomes what is known about where it ran (the container id, else the node), and a lone `<NA>`
 * becomes `?`. The stored finding keeps the rule's exact output.
 */
export function readableEvidence(finding: Finding): string | undefined {
  const evidence = finding.evidence;
  if (!evidence?.includes('<NA>')) return evidence;
  const r = finding.resource;
  const where =
    r.kind === 'Container' && r.name
      ? `container ${r.name}`
      : r.kind === 'Node' || !r.name
        ? `host of ${r.node ?? 'the node'}`
        : `${r.kind ?? 'resource'} ${r.name}`;
  return evidence
    .replace(/<NA>\/<NA>(?: \(<NA>\))?/g, where)
    .replace(/ \(<NA>\)/g, '')
    .replace(/<NA>/g, '?');
}
