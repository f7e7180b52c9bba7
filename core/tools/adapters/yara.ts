import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathUnder, SafeArg } from '../../exec/safe-arg.js';
import type { Finding, Severity } from '../../model/index.js';
import { parseSeverity } from '../../model/index.js';
import { imagePathOf } from '../image-filesystem.js';
import type { ImageTarget, ToolAdapter } from '../tool-adapter.js';
import { targetResource, toolFinding } from '../tool-finding.js';
import { singleRunOutput, versionFlag } from '../tool-run-output.js';

const MAX_RULES_BYTES = 16 * 2 ** 20;

/** The rule files named, a directory standing for its `*.yar`/`*.yara` files (not recursive, sorted). */
async function ruleFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const entries = await readdir(path, { withFileTypes: true }).catch(() => undefined);
    if (!entries) files.push(path);
    else
      for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name)))
        if (entry.isFile() && /\.(yar|yara)$/.test(entry.name)) files.push(join(path, entry.name));
  }
  return files;
}

/**
 * YARA on an image's filesystem, with user-supplied rules as data (`--yara-rules FILE`, or the rules
 * kept in the object store for agents). The rule text is read, refused if it uses `include` (which
 * would make YARA read any file the run can see), and written into the run's scratch directory; the
 * command line names only that copy and the image root. `RULE [meta] PATH` lines (`--print-meta`)
 * become findings; a rule's `severity` meta (critical…info) is its severity, else high.
 */
export const yara: ToolAdapter<ImageTarget> = {
  name: 'yara',
  place: 'image',
  binary: { name: 'yara', paths: ['/usr/bin/yara'] },
  description: 'YARA rules (user-supplied) against image files',
  version: versionFlag('--version', /(\d+\.\d+(?:\.\d+)?)/),
  async commands(target, inputs) {
    const files = await ruleFiles(inputs.yaraRules ?? []);
    if (files.length === 0)
      throw new Error('yara needs rules: give --yara-rules FILE (YARA rules are data you supply)');
    const rules: SafeArg[] = [];
    for (const [i, file] of files.entries()) {
      const text = await readFile(file, 'utf8').catch((error: Error) => {
        throw new Error(`YARA rules ${file}: ${error.message}`);
      });
      if (text.length > MAX_RULES_BYTES) throw new Error(`YARA rules ${file}: over ${MAX_RULES_BYTES} bytes`);
      if (/^\s*include\s/m.test(text))
        throw new Error(`YARA rules ${file}: include is not allowed (rules must be self-contained)`);
      const copy = join(inputs.scratch, `rules-${i}.yar`);
      await writeFile(copy, text, { mode: 0o600 });
      rules.push(pathUnder(copy, [inputs.scratch]));
    }
    return [
      {
        args: [
          SafeArg.literal('--recursive'),
          SafeArg.literal('--print-meta'),
          SafeArg.literal('--no-warnings'),
          SafeArg.literal('--no-follow-symlinks'),
          ...rules,
          pathUnder(target.root, [target.root]),
        ],
        env: {},
        timeoutMs: 30 * 60_000,
      },
    ];
  },
  parse(results, target, _inputs, now) {
    return singleRunOutput('yara', results, [0], (stdout) => parseYara(stdout, target, now));
  },
};

/** `RULE [k="v",…] PATH` lines; the meta list is optional (a rule without metadata prints none). */
export function parseYara(text: string, target: ImageTarget, now: Date): Finding[] {
  const findings: Finding[] = [];
  for (const line of text.split('\n')) {
    const hit = /^([A-Za-z_][A-Za-z0-9_]{0,127}) (?:\[(.*?)\] )?(\/.*)$/.exec(line.trimEnd());
    if (!hit) continue;
    const [, rule = '', metaText = '', path = ''] = hit;
    const meta = Object.fromEntries(
      [...metaText.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(?:"((?:[^"\\]|\\.)*)"|(\S+?))(?:,|$)/g)].map((m) => [
        m[1]!,
        m[2] ?? m[3] ?? '',
      ]),
    );
    const file = imagePathOf(target.root, path);
    findings.push(
      toolFinding({
        tool: 'yara',
        id: rule,
        title: meta.description ? `${meta.description} (${file})` : `YARA rule ${rule} matches ${file}`,
        severity: severityOf(meta.severity),
        resource: targetResource(target, file),
        evidence: `${file}: rule ${rule}${metaText ? ` [${metaText}]` : ''}`,
        subject: file,
        ...(meta.reference ? { references: [{ kind: 'url' as const, id: rule, url: meta.reference }] } : {}),
        now,
      }),
    );
  }
  return findings;
}

function severityOf(value: string | undefined): Severity {
  try {
    return value ? parseSeverity(value.toLowerCase()) : 'high';
  } catch {
    return 'high';
  }
}
