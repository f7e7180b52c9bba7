import type { ServerResponse } from 'node:http';

/**
 * Answers of seco's aggregated API in the Kubernetes API's shapes: JSON bodies, and errors as
 * metav1.Status objects with the reasons kubectl knows (NotFound, Forbidden, ...), so `kubectl get`
 * prints them as it would the API server's own.
 */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export const apiErrors = {
  unauthorized: (why: string) => new ApiError(401, 'Unauthorized', `Unauthorized: ${why}`),
  forbidden: (user: string, verb: string, resource: string, namespace?: string, name?: string) =>
    new ApiError(
      403,
      'Forbidden',
      `${resource}.seco.dev${name ? ` "${name}"` : ''} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "seco.dev"${namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope'}`,
    ),
  notFound: (resource: string, name: string) =>
    new ApiError(404, 'NotFound', `${resource}.seco.dev "${name}" not found`),
  pathNotFound: (path: string) =>
    new ApiError(404, 'NotFound', `the server could not find the requested resource (${path})`),
  methodNotAllowed: (verb: string, resource: string) =>
    new ApiError(405, 'MethodNotAllowed', `${verb} is not supported on ${resource}.seco.dev`),
  badRequest: (message: string) => new ApiError(400, 'BadRequest', message),
  invalid: (message: string) => new ApiError(422, 'Invalid', message),
  unavailable: (message: string) => new ApiError(503, 'ServiceUnavailable', message),
};

export function sendObject(response: ServerResponse, code: number, body: unknown): void {
  if (response.headersSent) return;
  const text = JSON.stringify(body);
  response.writeHead(code, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

export function statusBody(error: ApiError): unknown {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: error.message,
    reason: error.reason,
    code: error.code,
  };
}

export function sendError(response: ServerResponse, error: unknown): void {
  const known =
    error instanceof ApiError
      ? error
      : new ApiError(
          500,
          'InternalError',
          `Internal error: ${(error as Error).message ?? String(error)}`.slice(0, 4000),
        );
  sendObject(response, known.code, statusBody(known));
}
