import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { requireTool } from './required-tool.js';

const run = promisify(execFile);

/**
 * Pushes an OCI layout's tag to a plain-HTTP registry with skopeo. Asynchronous, so a token server in
 * the same process as the test can answer skopeo's token requests while it runs.
 */
export async function pushImage(
  layout: string,
  tag: string,
  destination: string,
  creds?: { username: string; password: string },
  options: { allPlatforms?: boolean } = {},
): Promise<void> {
  requireTool('skopeo', 'skopeo');
  const auth = creds ? ['--dest-creds', `${creds.username}:${creds.password}`] : [];
  try {
    await run(
      'skopeo',
      [
        'copy',
        '--quiet',
        '--dest-tls-verify=false',
        ...auth,
        // A multi-platform index is copied whole only when asked (else skopeo copies this host's image).
        ...(options.allPlatforms ? ['--all'] : []),
        `oci:${layout}:${tag}`,
        `docker://${destination}`,
      ],
      { timeout: 60_000 },
    );
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`skopeo copy to ${destination} failed: ${stderr.trim() || (error as Error).message}`);
  }
}
