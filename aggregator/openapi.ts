/**
 * The scan API's OpenAPI 3.0 document, served at `GET /v1/openapi.json` (scan-api.ts implements it;
 * test/integration/aggregator/scan-api.test.ts validates it and checks the answers against it).
 */
import { SCANNER_NAMES } from '../core/protocol/index.js';

const severity = { type: 'string', enum: ['critical', 'high', 'medium', 'low', 'info'] };
const error = {
  description: 'what went wrong',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};

export const SCAN_API_OPENAPI = {
  openapi: '3.0.3',
  info: {
    title: 'seco scan API',
    version: '1',
    description:
      'Start seco cluster scans and fetch their reports over plain HTTP, for CI systems that cannot run the kubectl plugin. Authenticated like the WebSocket API: a bearer token (a static token, or a Kubernetes token checked by TokenReview); a caller may scan and read a namespace if they may list its pods.',
  },
  servers: [{ url: '/' }],
  security: [{ bearer: [] }],
  paths: {
    '/v1/scans': {
      post: {
        operationId: 'startScan',
        summary: 'Start a scan of a workload, or of the pods a selector picks',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ScanRequest' } } },
        },
        responses: {
          '202': {
            description: 'accepted: the scan is resolving its target',
            headers: { Location: { schema: { type: 'string' }, description: 'the scan’s URL' } },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ScanAccepted' } } },
          },
          '400': error,
          '401': error,
          '403': error,
          '413': error,
        },
      },
    },
    '/v1/scans/{id}': {
      get: {
        operationId: 'getScan',
        summary: 'A scan’s state, progress, and (when done) its summary and verdict',
        parameters: [{ $ref: '#/components/parameters/ScanId' }],
        responses: {
          '200': {
            description: 'the scan',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Scan' } } },
          },
          '401': error,
          '403': error,
          '404': error,
        },
      },
    },
    '/v1/scans/{id}/report': {
      get: {
        operationId: 'getScanReport',
        summary: 'The scan’s merged report in any output format',
        parameters: [
          { $ref: '#/components/parameters/ScanId' },
          {
            name: 'format',
            in: 'query',
            required: false,
            schema: { type: 'string', enum: ['json', 'yaml', 'sarif', 'table'], default: 'json' },
          },
        ],
        responses: {
          '200': {
            description: 'the report (seco.report/v1 as JSON or YAML, SARIF 2.1.0, or the text table)',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['schemaVersion', 'scanId', 'summary', 'findings'],
                  properties: {
                    schemaVersion: { type: 'string', enum: ['seco.report/v1'] },
                    scanId: { type: 'string' },
                    summary: { $ref: '#/components/schemas/Summary' },
                    findings: { type: 'array', items: { type: 'object' } },
                  },
                },
              },
              'application/yaml': { schema: { type: 'string' } },
              'application/sarif+json': { schema: { type: 'object' } },
              'text/plain': { schema: { type: 'string' } },
            },
          },
          '400': error,
          '401': error,
          '403': error,
          '404': error,
          '409': error,
        },
      },
    },
    '/v1/openapi.json': {
      get: {
        operationId: 'getOpenApi',
        summary: 'This document',
        security: [],
        responses: {
          '200': {
            description: 'the OpenAPI document',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
        },
      },
    },
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    parameters: {
      ScanId: {
        name: 'id',
        in: 'path',
        required: true,
        schema: { type: 'string', pattern: '^[0-9a-z]{1,64}$' },
      },
    },
    schemas: {
      ScanRequest: {
        type: 'object',
        additionalProperties: false,
        required: ['target'],
        properties: {
          target: { $ref: '#/components/schemas/ScanTarget' },
          scanners: {
            type: 'array',
            minItems: 1,
            maxItems: SCANNER_NAMES.length,
            items: { type: 'string', enum: [...SCANNER_NAMES] },
          },
          failOn: severity,
        },
      },
      ScanTarget: {
        type: 'object',
        description:
          'a workload by name (any kind, or the given kind), pods by label selector, or allNamespaces',
        properties: {
          namespace: { type: 'string', maxLength: 253 },
          allNamespaces: { type: 'boolean' },
          kind: {
            type: 'string',
            enum: ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'ReplicaSet'],
          },
          name: { type: 'string', maxLength: 253 },
          selector: { type: 'string', maxLength: 1024 },
        },
      },
      ScanAccepted: {
        type: 'object',
        required: ['id', 'state', 'links'],
        properties: {
          id: { type: 'string' },
          state: { type: 'string', enum: ['resolving'] },
          links: { $ref: '#/components/schemas/Links' },
        },
      },
      Scan: {
        type: 'object',
        required: ['id', 'state', 'target', 'links'],
        properties: {
          id: { type: 'string' },
          state: { type: 'string', enum: ['resolving', 'running', 'finishing', 'done', 'failed'] },
          target: { type: 'string' },
          scanners: { type: 'array', items: { type: 'string' } },
          startedAt: { type: 'string', format: 'date-time' },
          finishedAt: { type: 'string', format: 'date-time' },
          progress: {
            type: 'object',
            required: ['jobs', 'settled'],
            properties: {
              jobs: { type: 'integer' },
              settled: { type: 'integer' },
              total: { type: 'integer' },
              acked: { type: 'integer' },
              failed: { type: 'integer' },
              timedOut: { type: 'integer' },
            },
          },
          summary: { $ref: '#/components/schemas/Summary' },
          problems: {
            type: 'integer',
            description: 'problems in the report (failed or timed-out jobs, unreadable inputs)',
          },
          failOn: severity,
          verdict: {
            type: 'string',
            enum: ['passed', 'failed', 'incomplete'],
            description: 'as the plugin’s exit code: incomplete (2), failed at failOn (1), passed (0)',
          },
          error: { type: 'string' },
          links: { $ref: '#/components/schemas/Links' },
        },
      },
      Summary: {
        type: 'object',
        required: ['critical', 'high', 'medium', 'low', 'info', 'suppressed'],
        properties: Object.fromEntries(
          ['critical', 'high', 'medium', 'low', 'info', 'suppressed'].map((k) => [
            k,
            { type: 'integer', minimum: 0 },
          ]),
        ),
      },
      Links: {
        type: 'object',
        required: ['self', 'report'],
        properties: { self: { type: 'string' }, report: { type: 'string' } },
      },
      Error: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
    },
  },
} as const;
