import { describe, expect, it } from '@jest/globals';
import { feedbackForEvent, feedbackForFinding } from '../../../core/feedback/feedback.js';
import { builtinRulesDir, loadFeedbackRules, parseRuleFile } from '../../../core/feedback/feedback-rules.js';
import type { Finding } from '../../../core/model/index.js';

const finding = (over: Partial<Finding>): Finding => ({
  id: '0123456789abcdef',
  scanner: 'runtime',
  ruleId: 'shell-in-container',
  title: 'Shell in a container',
  severity: 'high',
  resource: {
    namespace: 'shop',
    kind: 'Pod',
    name: 'web-1',
    container: 'web',
    node: 'node-a',
    image: 'registry/web@sha256:abc',
  },
  references: [],
  firstSeen: '2026-11-24T00:00:00.000Z',
  lastSeen: '2026-11-24T00:00:00.000Z',
  status: 'open',
  ...over,
});

describe('feedback rules', () => {
  it('a high runtime alert queues an image rescan and a host rescan, once each', async () => {
    const rules = await loadFeedbackRules([builtinRulesDir()]);
    expect(feedbackForFinding(rules, finding({}))).toEqual([
      {
        kind: 'image',
        image: 'registry/web@sha256:abc',
        node: 'node-a',
        rule: 'runtime-alert-rescans-image-and-node',
      },
      { kind: 'host', node: 'node-a', rule: 'runtime-alert-rescans-image-and-node' },
    ]);
  });

  it('queues nothing for findings no rule matches, or that lack the fields a rule reads', async () => {
    const rules = await loadFeedbackRules([builtinRulesDir()]);
    expect(feedbackForFinding(rules, finding({ scanner: 'config', severity: 'critical' }))).toEqual([]);
    expect(feedbackForFinding(rules, finding({ severity: 'low' }))).toEqual([]);
    expect(feedbackForFinding(rules, finding({ resource: { kind: 'Pod', name: 'x' } }))).toEqual([]);
  });

  it('scans a newly seen image digest', async () => {
    const rules = await loadFeedbackRules([builtinRulesDir()]);
    expect(
      feedbackForEvent(rules, { type: 'image.seen', image: 'registry/new@sha256:def', node: 'node-b' }),
    ).toEqual([
      {
        kind: 'image',
        image: 'registry/new@sha256:def',
        node: 'node-b',
        rule: 'new-image-digest-is-scanned',
      },
    ]);
  });

  it('lets users override a built-in rule by id and add their own', async () => {
    const rules = await loadFeedbackRules([builtinRulesDir(), 'test/fixtures/feedback/user']);
    expect(feedbackForFinding(rules, finding({ severity: 'high' }))).toEqual([]);
    expect(feedbackForFinding(rules, finding({ severity: 'critical' })).map((j) => j.kind)).toEqual([
      'image',
    ]);
    expect(feedbackForEvent(rules, { type: 'service.exposed', node: 'node-c' })).toEqual([
      { kind: 'host', node: 'node-c', rule: 'exposed-service-rescans-node' },
    ]);
  });

  it('evaluates conditions over nested fields, and over the whole finding when a rule reads it that way', () => {
    const [byPackage, byIndex] = parseRuleFile(
      'user.yaml',
      `rules:
  - id: openssl-rescans-host
    description: a vulnerable openssl queues a host scan
    on: finding
    condition: has(finding.package) && finding.package.name == "openssl"
    actions: [{ job: host }]
  - id: by-index
    description: reads the finding by index
    on: finding
    condition: finding["ruleId"] == "CVE-1"
    actions: [{ job: host }]
`,
    );
    const vulnerable = finding({
      scanner: 'image',
      ruleId: 'CVE-1',
      package: { name: 'openssl', version: '3.0.1' },
    });
    expect(byPackage!.matches(vulnerable as never)).toBe(true);
    expect(byPackage!.matches(finding({ package: { name: 'zlib', version: '1' } }) as never)).toBe(false);
    expect(byIndex!.matches(vulnerable as never)).toBe(true);
  });

  it('names the file and rule of a condition that is not valid CEL', async () => {
    await expect(loadFeedbackRules(['test/fixtures/feedback/broken'])).rejects.toThrow(
      /test\/fixtures\/feedback\/broken\/bad-cel\.yaml: rule broken-condition: invalid CEL condition/,
    );
    expect(() => parseRuleFile('x.yaml', 'rules:\n  - id: Bad Id\n')).toThrow(/^x\.yaml: rules\.0\.id/);
  });
});
