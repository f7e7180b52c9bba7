import { readFile, stat } from 'node:fs/promises';
import { type Finding, type InputProblem, REPORT_SCHEMA_VERSION, Report } from '../../model/index.js';
import { buildReport } from '../../report/build-report.js';
import type { ImportContext } from './importer.js';
import { IMPORTERS } from './importers.js';
import { dedupeFindings } from './same-problem.js';

const MAX_FILE_BYTES = 512 * 2 ** 20;

export interface ImportOptions {
  now?: Date;
  node?: string;
  cluster?: string;
  /** Reads a file (default: the filesystem); `-` is stdin for the command. */
  read?: (file: string) => Promise<Buffer>;
}

/**
 * Reads other scanners' JSON reports (and seco's own reports) and makes one seco report of them: each
 * file's format recognised from its content, findings in seco's model, duplicates across tools and
 * against seco's own findings merged (same-problem.ts). A file that cannot be read or recognised is
 * a problem in the report; the others are still imported.
 */
export async function importFiles(files: readonly string[], options: ImportOptions = {}): Promise<Report> {
  const startedAt = options.now ?? new Date();
  const problems: InputProblem[] = [];
  const own: Finding[] = [];
  const imported: Finding[] = [];
  const read = options.read ?? readReportFile;
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse((await read(file)).toString('utf8'));
    } catch (error) {
      problems.push({
        kind: 'error',
        source: file,
        message: `not readable JSON: ${(error as Error).message.slice(0, 300)}`,
      });
      continue;
    }
    if (
      typeof json === 'object' &&
      json !== null &&
      (json as { schemaVersion?: unknown }).schemaVersion === REPORT_SCHEMA_VERSION
    ) {
      const parsed = Report.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        problems.push({
          kind: 'error',
          source: file,
          message: `not a valid seco report: ${issue?.path.join('.')}: ${issue?.message}`,
        });
      } else own.push(...parsed.data.findings);
      continue;
    }
    const importer = IMPORTERS.find((i) => i.recognises(json));
    if (!importer) {
      problems.push({
        kind: 'error',
        source: file,
        message: `not a format seco imports (known: seco report, ${IMPORTERS.map((i) => i.tool).join(', ')})`,
      });
      continue;
    }
    const context: ImportContext = {
      source: file,
      now: startedAt,
      ...(options.node ? { node: options.node } : {}),
      ...(options.cluster ? { cluster: options.cluster } : {}),
    };
    try {
      const result = importer.read(json, context);
      imported.push(...result.findings);
      for (const message of result.problems) problems.push({ kind: 'warning', source: file, message });
    } catch (error) {
      problems.push({
        kind: 'error',
        source: file,
        message: `${importer.tool} report could not be read: ${(error as Error).message}`,
      });
    }
  }
  const { findings } = dedupeFindings([...own, ...imported]);
  return buildReport({
    target: { kind: 'files', name: files.join(', ') },
    startedAt,
    finishedAt: new Date(),
    findings,
    resources: [],
    problems,
    skippedKinds: {},
  });
}

/** A report file, refused when it is not a regular file or over 512 MiB. */
export async function readReportFile(file: string): Promise<Buffer> {
  const info = await stat(file);
  if (!info.isFile()) throw new Error('not a regular file');
  if (info.size > MAX_FILE_BYTES) throw new Error(`over ${MAX_FILE_BYTES} bytes`);
  return readFile(file);
}
