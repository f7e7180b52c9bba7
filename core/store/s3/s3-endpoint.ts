/** Where the minio client connects: the parts of an `http(s)://host[:port]` endpoint URL. */
export interface S3Endpoint {
  host: string;
  port: number;
  useSSL: boolean;
}

/**
 * Parses an S3 endpoint URL (Minio `http://minio.seco:9000`, AWS `https://s3.eu-west-1.amazonaws.com`, Ceph
 * RGW). Only a scheme, host and port: a path, query or credentials in the URL would be silently dropped by
 * the client, so they are refused, naming the endpoint.
 */
export function parseS3Endpoint(endpoint: string): S3Endpoint {
  const fail = (why: string): never => {
    throw new Error(`invalid S3 endpoint ${JSON.stringify(endpoint)}: ${why}`);
  };
  if (typeof endpoint !== 'string' || endpoint.trim() === '') return fail('empty');
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    return fail('not a URL (expected http(s)://host[:port])');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    fail(`scheme ${url.protocol} is not http or https`);
  if (url.username || url.password) fail('credentials belong in the access and secret keys, not the URL');
  if (url.pathname !== '/' || url.search || url.hash)
    fail('no path, query or fragment: the bucket is set apart');
  const useSSL = url.protocol === 'https:';
  // URL keeps IPv6 brackets in hostname; the client wants the bare address.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port: url.port ? Number(url.port) : useSSL ? 443 : 80, useSSL };
}
