import { maskSecretsIn } from '../mask/index.js';
import {
  type Finding,
  fingerprint,
  type Reference,
  type ResourceRef,
  type Severity,
} from '../model/index.js';
import type { ToolTarget } from './tool-adapter.js';

export interface ToolFindingInput {
  tool: string;
  /** The tool's own id for the problem (its test id, rule name, port): `tool:<tool>/<id>`. */
  id: string;
  title: string;
  severity: Severity;
  resource: ResourceRef;
  evidence?: string;
  description?: string;
  remediation?: string;
  references?: Reference[];
  package?: Finding['package'];
  /** What else tells two findings of one rule on one resource apart (a file in an image, a port). */
  subject?: string;
  now: Date;
}

/** MITRE ATT&CK T1014 (Rootkit): what the rootkit checkers' findings are about. */
export const ROOTKIT_TECHNIQUE: Reference = {
  kind: 'mitre',
  id: 'T1014',
  url: 'https://attack.mitre.org/techniques/T1014/',
};

/** A finding from a third-party tool: scanner `tool:<name>`, rule id `tool:<name>/<id>`, evidence masked. */
export function toolFinding(input: ToolFindingInput): Finding {
  const ruleId = `tool:${input.tool}/${input.id}`;
  const seen = input.now.toISOString();
  return {
    id: fingerprint(
      input.subject ? `${ruleId}\u0000${input.subject}` : ruleId,
      input.resource,
      input.package,
    ),
    scanner: `tool:${input.tool}`,
    ruleId,
    title: input.title.slice(0, 500) || ruleId,
    severity: input.severity,
    resource: input.resource,
    ...(input.evidence ? { evidence: maskSecretsIn(input.evidence).slice(0, 4000) } : {}),
    ...(input.description ? { description: input.description } : {}),
    ...(input.remediation ? { remediation: input.remediation } : {}),
    references: input.references ?? [],
    ...(input.package ? { package: input.package } : {}),
    firstSeen: seen,
    lastSeen: seen,
    status: 'open',
  };
}

/** The resource a target's findings are about. */
export function targetResource(target: ToolTarget, file?: string): ResourceRef {
  const cluster = target.cluster ? { cluster: target.cluster } : {};
  switch (target.place) {
    case 'host':
      return { ...cluster, kind: 'Node', name: target.node, node: target.node, ...(file ? { file } : {}) };
    case 'image':
      return {
        ...cluster,
        kind: 'Image',
        name: target.image,
        image: target.image,
        ...(file ? { file } : {}),
      };
    case 'service':
      return { ...cluster, kind: target.kind, namespace: target.namespace, name: target.name };
  }
}
