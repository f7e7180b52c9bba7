import type { Finding, ProcessNode, Reference, Severity } from '../../core/model/index.js';
import type { NodeStatus } from '../../core/protocol/index.js';
import { readableEvidence } from './evidence-text.js';
import type { RowTarget } from './screens/screen-model.js';
import { findingWhere } from './screens/screen-model.js';
import type { WatchSnapshot } from './watch-store.js';
import { wordWrap } from './word-wrap.js';

/** One line of a details pane: a label column (on the first line of a field) and text. */
export interface DetailLine {
  label?: string;
  text: string;
  severity?: Severity;
  bold?: boolean;
}

const LABEL = 13;

function field(lines: DetailLine[], label: string, value: string | undefined, width: number): void {
  if (!value) return;
  wordWrap(value, width - LABEL).forEach((text, i) => {
    lines.push(i === 0 ? { label, text } : { text: `${' '.repeat(LABEL)}${text}` });
  });
}

function referenceLine(ref: Reference): string {
  return `${ref.kind.toUpperCase()} ${ref.id}${ref.url && ref.url !== ref.id ? ` ${ref.url}` : ''}`;
}

function processLabel(p: ProcessNode): string {
  const what = p.cmdline || p.exe || p.name || '?';
  const facts = [p.pid !== undefined ? `pid ${p.pid}` : '', p.uid !== undefined ? `uid ${p.uid}` : '']
    .filter(Boolean)
    .join(', ');
  return facts ? `${what} (${facts})` : what;
}

/** The oldest ancestor first, each child one step in under its parent. */
export function processTreeLines(finding: Finding): string[] {
  const p = finding.process;
  if (!p) return [];
  const chain = [...(p.ancestors ?? [])].reverse().concat(p);
  return chain.map((node, depth) => {
    const text = processLabel(node);
    const mark = node === p ? '  ← this event' : '';
    return depth === 0 ? `${text}${mark}` : `${'   '.repeat(depth - 1)}└─ ${text}${mark}`;
  });
}

/** A finding or runtime event in full: where, what was seen, what to do, references, process tree. */
export function findingLines(
  finding: Finding,
  width: number,
  seen?: { count?: number; receivedAt?: string },
): DetailLine[] {
  const f = finding;
  const r = f.resource;
  const lines: DetailLine[] = [
    { text: `${f.severity.toUpperCase()}  ${f.title}`, severity: f.severity, bold: true },
  ];
  field(lines, 'rule', `${f.ruleId} (${f.scanner})`, width);
  field(lines, 'where', `${findingWhere(f)}${r.kind ? ` (${r.kind})` : ''}`, width);
  field(lines, 'node', r.node, width);
  field(lines, 'image', r.image, width);
  field(lines, 'path', f.path, width);
  if (f.package) field(lines, 'package', `${f.package.name} ${f.package.version}`, width);
  field(
    lines,
    'fixed in',
    f.package?.fixedVersion ?? (f.package ? 'no fixed version yet' : undefined),
    width,
  );
  if (f.cvss) field(lines, 'cvss', `${f.cvss.score ?? ''} ${f.cvss.vector ?? ''}`.trim(), width);
  field(lines, 'evidence', readableEvidence(f), width);
  // Runtime findings carry the rule's description as their title too: say it once.
  if (f.description && f.description !== f.title) field(lines, 'description', f.description, width);
  field(lines, 'remediation', f.remediation, width);
  const count = seen?.count ?? 1;
  field(lines, 'seen', `${count > 1 ? `${count}× — ` : ''}first ${f.firstSeen}, last ${f.lastSeen}`, width);
  if (f.status !== 'open') field(lines, 'status', f.status, width);
  const tree = processTreeLines(f);
  if (tree.length) {
    lines.push({ text: 'process tree', bold: true });
    for (const line of tree) for (const part of wordWrap(line, width - 2)) lines.push({ text: `  ${part}` });
  }
  if (f.references.length) {
    lines.push({ text: 'references', bold: true });
    for (const ref of f.references)
      for (const part of wordWrap(referenceLine(ref), width - 2)) lines.push({ text: `  ${part}` });
  }
  return lines;
}

function nodeLines(node: NodeStatus | undefined, name: string, width: number): DetailLine[] {
  if (!node) return [{ text: `node ${name}: no longer listed` }];
  const lines: DetailLine[] = [{ text: `node ${node.node}`, bold: true }];
  field(
    lines,
    'agent',
    node.online ? 'online' : node.lastSeen ? 'offline (no recent heartbeat)' : 'none',
    width,
  );
  field(lines, 'version', node.agentVersion, width);
  field(lines, 'started', node.startedAt, width);
  field(lines, 'heartbeat', node.lastSeen, width);
  field(lines, 'sensor', node.sensor ?? 'not said (older agent)', width);
  field(lines, 'queued jobs', String(node.queuedJobs), width);
  const e = node.events;
  field(
    lines,
    'events (1h)',
    `critical ${e.critical ?? 0}, high ${e.high ?? 0}, medium ${e.medium ?? 0}, low ${e.low ?? 0}, info ${e.info ?? 0}`,
    width,
  );
  return lines;
}

/** The details pane of the selected row. */
export function detailLines(target: RowTarget, snapshot: WatchSnapshot, width: number): DetailLine[] {
  if (target.kind === 'finding') return findingLines(target.finding, width, target);
  if (target.kind === 'node')
    return nodeLines(
      snapshot.nodes.find((n) => n.node === target.node),
      target.node,
      width,
    );
  return [{ text: `scan ${target.scanId}` }];
}
