import type { Finding } from '../../model/index.js';

/** What one imported file gave. */
export interface Imported {
  findings: Finding[];
  /** Entries that could not be read (the rest of the file still was). */
  problems: string[];
  /** What was scanned, as the tool says (an image, a cluster, a node). */
  target?: string;
}

/**
 * One other scanner's JSON (STYLE.md: one file per format, one registry line). `recognises` decides
 * from the parsed content alone — never the file name — so `kubectl seco import` needs no flag.
 */
export interface Importer {
  tool: string;
  recognises(json: unknown): boolean;
  read(json: unknown, context: ImportContext): Imported;
}

export interface ImportContext {
  /** The file, for problems and as a last resort for naming what was scanned. */
  source: string;
  now: Date;
  /** The node a node-level report (kube-bench) is about, when the report does not say. */
  node?: string;
  cluster?: string;
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const text = (v: unknown, max = 4000): string | undefined =>
  typeof v === 'string' && v !== '' ? v.slice(0, max) : undefined;
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
