/** Edit distance (Damerau's adjacent swap counted as one edit: `scna` is one step from `scan`). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...Array<number>(b.length).fill(0),
  ]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidates close enough to `typed` to be what was meant, closest first: within a third of its
 * length in edits (at least one), or starting with it (`--file` for `--filename`) — the rule git and
 * cobra follow in spirit.
 */
export function closest(typed: string, candidates: readonly string[]): string[] {
  const limit = Math.max(1, Math.floor(typed.length / 3));
  return candidates
    .map((c) => ({ c, d: c.startsWith(typed) && typed.length >= 2 ? 0.5 : editDistance(typed, c) }))
    .filter(({ d }) => d <= limit)
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .map(({ c }) => c);
}
