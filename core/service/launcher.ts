/**
 * seco's service launcher: the container image's ENTRYPOINT. The first argument picks the service
 * (`aggregator …flags`, `agent …flags`); the rest, and the SECO_* environment, go to that service unchanged.
 * The service table is given by the caller (core imports no service: DESIGN.md), each service loaded only
 * when picked, so an agent never parses the aggregator's code.
 */
export interface ServiceEntry {
  summary: string;
  /** Imports the service's main module, which starts it. */
  load: () => Promise<unknown>;
}

export type ServiceTable = Readonly<Record<string, ServiceEntry>>;

export function launcherUsage(services: ServiceTable): string {
  const width = Math.max(...Object.keys(services).map((n) => n.length));
  const lines = Object.entries(services).map(([name, s]) => `  ${name.padEnd(width)}  ${s.summary}`);
  return [
    'usage: seco <service> [flags]',
    '',
    'services:',
    ...lines,
    '',
    "`seco <service> --help` lists the service's flags; each has a SECO_* environment equivalent.",
    '',
  ].join('\n');
}

export type LaunchDecision =
  | { kind: 'help' }
  | { kind: 'error'; message: string }
  | { kind: 'service'; name: string; entry: ServiceEntry; argv: string[] };

/** What the launcher does with `args` (process.argv without node and the script). */
export function decideLaunch(args: readonly string[], services: ServiceTable): LaunchDecision {
  const [first, ...rest] = args;
  if (first === undefined) return { kind: 'error', message: 'no service named' };
  if (first === '--help' || first === '-h' || first === 'help') return { kind: 'help' };
  const entry = Object.hasOwn(services, first) ? services[first] : undefined;
  if (!entry) {
    const shown = JSON.stringify(first.length > 64 ? `${first.slice(0, 64)}…` : first);
    return {
      kind: 'error',
      message: `unknown service ${shown} (known: ${Object.keys(services).join(', ')})`,
    };
  }
  return { kind: 'service', name: first, entry, argv: rest };
}

/**
 * Runs the picked service. The service reads `process.argv.slice(2)` as its flags, so the service name is
 * taken out of process.argv first: `seco agent --node a` sees exactly what `seco-agent --node a` saw.
 */
export async function launchService(services: ServiceTable): Promise<void> {
  const decision = decideLaunch(process.argv.slice(2), services);
  if (decision.kind === 'help') {
    process.stdout.write(launcherUsage(services));
    return;
  }
  if (decision.kind === 'error') {
    process.stderr.write(`seco: ${decision.message}\n\n${launcherUsage(services)}`);
    process.exitCode = 2;
    return;
  }
  process.argv.splice(2, 1);
  process.title = `seco-${decision.name}`;
  await decision.entry.load();
}
