import type { Detection } from './detection.js';

/** One detection as a terminal line: time, severity, rule, where, what (the rule's output). */
export function detectionLine(d: Detection): string {
  const where = d.pod
    ? `${d.pod.namespace}/${d.pod.name}${d.container?.name ? `/${d.container.name}` : ''}`
    : d.container
      ? `container ${d.container.id.slice(0, 12)}`
      : `node ${d.node}`;
  const repeats = d.repeats ? ` (+${d.repeats} held back)` : '';
  return `${d.time.slice(11, 23)}  ${d.severity.toUpperCase().padEnd(8)} ${d.ruleId}  ${where}  ${d.output}${repeats}`;
}
