import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * A throw-away self-signed serving certificate for 127.0.0.1/localhost, made with the openssl CLI once
 * per process. TLS is not optional for kubectl: client-go never sends a bearer token to a plain
 * http:// server (kubernetes/kubectl#744), so the harness serves https and its kubeconfigs say
 * `insecure-skip-tls-verify: true`. Node clients may instead trust `cert` as their CA.
 */
export interface ServingCert {
  key: string;
  cert: string;
}

let pending: Promise<ServingCert> | undefined;

async function generate(): Promise<ServingCert> {
  const dir = mkdtempSync(join(tmpdir(), 'seco-kube-tls-'));
  try {
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=seco-kube-api-harness',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ]);
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } catch (error) {
    throw new Error(
      `could not make the harness's TLS certificate with openssl (apt-get install -y openssl): ${(error as Error).message}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function servingCert(): Promise<ServingCert> {
  pending ??= generate();
  return pending;
}
