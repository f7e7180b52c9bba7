import type { LabelSelector } from './label-selector.js';

type Requirement = NonNullable<LabelSelector['matchExpressions']>[number];

// kubectl -l grammar, one requirement per comma-separated part.
const FORMS: Array<[RegExp, (m: RegExpExecArray) => Requirement]> = [
  [/^([\w./-]+)\s*==?\s*([\w.-]*)$/, (m) => ({ key: m[1], operator: 'In', values: [m[2]] })],
  [/^([\w./-]+)\s*!=\s*([\w.-]*)$/, (m) => ({ key: m[1], operator: 'NotIn', values: [m[2]] })],
  [
    /^([\w./-]+)\s+(in|notin)\s*\(([^)]*)\)$/,
    (m) => ({
      key: m[1],
      operator: m[2] === 'in' ? 'In' : 'NotIn',
      values: m[3]!.split(',').map((v) => v.trim()),
    }),
  ],
  [/^!([\w./-]+)$/, (m) => ({ key: m[1], operator: 'DoesNotExist' })],
  [/^([\w./-]+)$/, (m) => ({ key: m[1], operator: 'Exists' })],
];

/**
 * Parses a label selector string as kubectl -l takes it: `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 * `a notin (x)`, `a`, `!a`, comma-separated. Throws on anything else, naming the selector.
 */
export function parseSelectorString(text: string): LabelSelector {
  const matchExpressions: Requirement[] = [];
  // Split on commas that are not inside parentheses.
  for (const raw of text.match(/([^,(]+(\([^)]*\))?)+/g) ?? []) {
    const part = raw.trim();
    if (part === '') continue;
    const form = FORMS.map(([regex, build]) => [regex.exec(part), build] as const).find(([m]) => m !== null);
    if (!form) throw new Error(`invalid label selector ${JSON.stringify(text)} at ${JSON.stringify(part)}`);
    matchExpressions.push(form[1](form[0]!));
  }
  return { matchExpressions };
}
