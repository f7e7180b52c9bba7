import CvssCalculator from 'ae-cvss-calculator';
import type { Severity } from '../model/index.js';
import type { OsvAffected, OsvRecord } from './osv/osv-record.js';

export interface ScoredSeverity {
  severity: Severity;
  cvss?: { version: '2.0' | '3.0' | '3.1' | '4.0'; vector: string; score: number };
}

type CvssVersion = NonNullable<ScoredSeverity['cvss']>['version'];

// Preferred when a record carries several: the newest CVSS version the calculator can score.
const ORDER: Record<string, number> = { CVSS_V4: 0, CVSS_V3: 1, CVSS_V2: 2 };

/** CVSS v3/v4 qualitative rating scale (FIRST CVSS v3.1 spec §5; v4.0 §6); v2 uses the same bands here. */
export function ratingOf(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}

/** A record's severity from its CVSS vectors, else from the database's own word, else `medium` (unrated). */
export function severityOf(record: OsvRecord, affected?: OsvAffected): ScoredSeverity {
  const vectors = [...(affected?.severity ?? []), ...(record.severity ?? [])].sort(
    (a, b) => (ORDER[a.type] ?? 9) - (ORDER[b.type] ?? 9),
  );
  for (const entry of vectors) {
    const scored = scoreVector(entry.score);
    if (scored) return { severity: ratingOf(scored.score), cvss: scored };
  }
  const word =
    textualSeverity(affected?.database_specific) ??
    textualSeverity(affected?.ecosystem_specific) ??
    textualSeverity(record.database_specific);
  return { severity: word ?? 'medium' };
}

function scoreVector(vector: string): ScoredSeverity['cvss'] | undefined {
  try {
    const parsed = CvssCalculator.fromVector(vector);
    if (!parsed) return undefined;
    const score = parsed.calculateScores().base;
    if (typeof score !== 'number' || Number.isNaN(score)) return undefined;
    const version: CvssVersion = vector.startsWith('CVSS:4.0')
      ? '4.0'
      : vector.startsWith('CVSS:3.1')
        ? '3.1'
        : vector.startsWith('CVSS:3.0')
          ? '3.0'
          : '2.0';
    return { version, vector, score };
  } catch {
    return undefined;
  }
}

// Words databases use: GHSA (LOW/MODERATE/HIGH/CRITICAL), Debian urgency, Ubuntu priority, Red Hat impact.
const WORDS: Record<string, Severity> = {
  critical: 'critical',
  important: 'high',
  high: 'high',
  moderate: 'medium',
  medium: 'medium',
  low: 'low',
  negligible: 'info',
  unimportant: 'info',
  'not yet assigned': 'medium',
};

function textualSeverity(bag: Record<string, unknown> | undefined): Severity | undefined {
  if (!bag) return undefined;
  for (const key of ['severity', 'urgency', 'priority', 'impact']) {
    const value = bag[key];
    if (typeof value === 'string') {
      const mapped = WORDS[value.toLowerCase().replace(/\*+$/, '').trim()];
      if (mapped) return mapped;
    }
  }
  return undefined;
}
