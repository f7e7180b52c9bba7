/** The kinds of agent job, as the job message names them. */
export type JobKind = 'host' | 'image' | 'runtime' | 'tools';
export const JOB_KINDS: readonly JobKind[] = ['host', 'image', 'runtime', 'tools'];

/**
 * Overall deadline of one job per kind, in seconds: a large image over a slow link may take many
 * minutes; a host scan or runtime snapshot reads local files and takes seconds; third-party tools (a full
 * lynis audit) take minutes. The agent ends its own
 * job there; the aggregator times a started job out there too (plus a grace), for an agent that is stuck.
 */
export const DEFAULT_DEADLINE_S: Record<JobKind, number> = {
  image: 900,
  host: 300,
  runtime: 300,
  tools: 1800,
};

/**
 * `600` (every kind) or `image=600,host=120` (the kinds named; the others keep their default), in seconds.
 * Refuses anything else, naming the flag and the part it could not read.
 */
export function perKindSeconds(
  flag: string,
  value: string | undefined,
  defaults: Record<JobKind, number>,
): Record<JobKind, number> {
  const result = { ...defaults };
  if (value === undefined || value.trim() === '') return result;
  const seconds = (text: string) => {
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0 || n > 86_400)
      throw new Error(`--${flag}: ${JSON.stringify(text)} is not a number of seconds in (0, 86400]`);
    return n;
  };
  if (!value.includes('=')) {
    const all = seconds(value.trim());
    for (const kind of JOB_KINDS) result[kind] = all;
    return result;
  }
  for (const part of value.split(',')) {
    const [kind, text] = part.split('=').map((s) => s.trim());
    if (!JOB_KINDS.includes(kind as JobKind) || text === undefined)
      throw new Error(
        `--${flag}: ${JSON.stringify(part)} is not KIND=SECONDS (kinds: ${JOB_KINDS.join(', ')})`,
      );
    result[kind as JobKind] = seconds(text);
  }
  return result;
}

/** `image=900,host=300,runtime=300`: how a flag's help shows per-kind defaults. */
export function perKindText(values: Record<string, number>): string {
  return Object.entries(values)
    .map(([kind, n]) => `${kind}=${n}`)
    .join(',');
}
