import type { Finding } from '../core/model/index.js';
import type { Access, Caller } from './access.js';

/**
 * Who may see a finding is who may see the object it is about (docs/api-access.md, "Who sees what"):
 * a finding in a namespace needs `list findings.seco.dev` there; a node's own finding (a CIS host check,
 * a node-level runtime alert, no namespace) needs `get` on that Node; anything else about the cluster as
 * a whole needs `list findings.seco.dev` at the cluster scope. So a feedback scan that an alert in
 * namespace `shop` started shows its host findings only to those who may see the node, not to every
 * reader of `shop`. Decisions are cached by Access, so a report of thousands of findings asks a few times.
 */
export async function visibleFindings(
  access: Access,
  caller: Caller,
  findings: readonly Finding[],
): Promise<Finding[]> {
  if (caller.source === 'static-token') return [...findings];
  const decided = new Map<string, Promise<boolean>>();
  const may = (key: string, ask: () => Promise<boolean>) => {
    let answer = decided.get(key);
    if (!answer) {
      answer = ask().catch(() => false);
      decided.set(key, answer);
    }
    return answer;
  };
  const visible: Finding[] = [];
  for (const finding of findings) {
    const { namespace, node } = finding.resource;
    const allowed = namespace
      ? await may(`ns:${namespace}`, () => access.mayRead(caller, namespace))
      : node
        ? await may(`node:${node}`, () => access.maySeeNode(caller, node))
        : await may('cluster', () => access.mayRead(caller, undefined));
    if (allowed) visible.push(finding);
  }
  return visible;
}
