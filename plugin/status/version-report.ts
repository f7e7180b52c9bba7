import type { BuildInfo } from '../../core/build/build-info.js';

/** `kubectl seco version -o json|yaml`, shaped as kubectl's: `{clientVersion, serverVersion?}`. */
export interface VersionReport {
  clientVersion: BuildInfo & { platform: string; nodeVersion: string };
  /** The aggregator replica that answered; absent with --client or when none did. */
  serverVersion?: BuildInfo & { replica: string };
}

const short = (commit: string) => (/^[0-9a-f]{40}$/.test(commit) ? commit.slice(0, 12) : commit);

/** kubectl's text form: `Client Version: …` and, when known, `Server Version: …`. */
export function renderVersionText(report: VersionReport): string {
  const { clientVersion: client, serverVersion: server } = report;
  const lines = [
    `Client Version: ${client.version} (commit ${short(client.commit)}, ${client.platform}, node ${client.nodeVersion})`,
  ];
  if (server)
    lines.push(
      `Server Version: ${server.version} (commit ${short(server.commit)}, replica ${server.replica})`,
    );
  return `${lines.join('\n')}\n`;
}

/** Text, or kubectl's JSON (two-space indent) or YAML. */
export async function renderVersion(report: VersionReport, output?: string): Promise<string> {
  if (output === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  if (output === 'yaml') {
    const { stringify } = await import('yaml');
    return stringify(report);
  }
  return renderVersionText(report);
}
