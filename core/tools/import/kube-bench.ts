import { type Finding, fingerprint, type ResourceRef } from '../../model/index.js';
import { type Imported, type Importer, isObject, list, text } from './importer.js';
import { hostControl } from './same-control.js';

/**
 * kube-bench's JSON (`kube-bench --json`): `{"Controls": [...], "Totals": {...}}`, or older releases'
 * bare array of controls; each control has `tests[].results[]` with `test_number`, `test_desc`,
 * `status` (PASS, FAIL, WARN, INFO), `remediation`, `actual_value`, `scored`. A PASS or INFO is no
 * finding; FAIL is medium (high when scored), WARN (a manual check) low. kube-bench does not name the
 * node it ran on: give it with `--node`, else the findings name the file. A recommendation seco also
 * checks (by CIS number) takes seco's host check id for its fingerprint.
 */
export const kubeBench: Importer = {
  tool: 'kube-bench',
  recognises: (json) => {
    const controls = isObject(json) ? json.Controls : json;
    return (
      Array.isArray(controls) &&
      controls.length > 0 &&
      isObject(controls[0]) &&
      'tests' in controls[0] &&
      ('node_type' in controls[0] || 'text' in controls[0])
    );
  },
  read(json, { source, now, node: givenNode }) {
    const controls = list(isObject(json) ? json.Controls : json);
    const out: Imported = { findings: [], problems: [] };
    const seen = now.toISOString();
    const node = givenNode ?? source.replace(/^.*\//, '');
    const resource: ResourceRef = { kind: 'Node', name: node, node };
    for (const control of controls) {
      if (!isObject(control)) continue;
      const version = text(control.version, 50);
      for (const group of list(control.tests)) {
        for (const [i, r] of list(isObject(group) ? group.results : undefined).entries()) {
          const number = isObject(r) ? text(r.test_number, 20) : undefined;
          if (!isObject(r) || !number) {
            out.problems.push(
              `${source}: a result without test_number (${text(isObject(group) ? group.section : '') ?? '?'}[${i}])`,
            );
            continue;
          }
          if (r.status !== 'FAIL' && r.status !== 'WARN') continue;
          const ruleId = hostControl(number) ?? `tool:kube-bench/${number}`;
          const actual = text(r.actual_value, 1000);
          const finding: Finding = {
            id: fingerprint(ruleId, resource),
            scanner: 'tool:kube-bench',
            ruleId,
            title: `${number} ${text(r.test_desc, 500) ?? ''}`.trim(),
            severity: r.status === 'WARN' ? 'low' : r.scored === true ? 'high' : 'medium',
            resource,
            evidence: `kube-bench ${r.status}${actual ? `: ${actual}` : ''}${text(r.expected_result) ? ` (expected ${text(r.expected_result, 300)})` : ''}`,
            ...(text(r.remediation) ? { remediation: text(r.remediation)! } : {}),
            references: [
              {
                kind: 'cis',
                id: `${version ? `${version} ` : ''}${number}`,
                url: 'https://www.cisecurity.org/benchmark/kubernetes',
              },
            ],
            firstSeen: seen,
            lastSeen: seen,
            status: 'open',
          };
          out.findings.push(finding);
        }
      }
    }
    return out;
  },
};
