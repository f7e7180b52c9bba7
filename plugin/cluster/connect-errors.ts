import { spellOutCodes } from '../../core/errors/system-error-message.js';
import { AggregatorError } from './aggregator-client.js';
import type { AggregatorFlagValues } from './aggregator-flags.js';
import { AGGREGATOR_WS_PATH } from './aggregator-url.js';

// Ways to give the aggregator a token (SECO_TOKEN is --token's variable; --token-file reads one from a file).
const TOKEN_HINT = 'give one it accepts with --token TOKEN, --token-file FILE or the SECO_TOKEN variable';

/**
 * A failed connection to the aggregator, said so that the reader knows what to do next: which flag or
 * variable sets the token, that the WebSocket is at /ws, which RBAC the service proxy needs. The
 * original message stays first; system error codes are spelled out.
 */
export function explainConnectError(error: Error, flags: AggregatorFlagValues): Error {
  const message = spellOutCodes(error.message);
  const direct = flags['aggregator-url'] !== undefined;
  const code = error instanceof AggregatorError ? error.code : undefined;
  const status = /\bHTTP (\d{3})\b/.exec(message)?.[1];
  let hint: string | undefined;
  if (code === 'unauthorized' || status === '401') {
    hint = direct
      ? `the aggregator needs a bearer token: ${TOKEN_HINT}`
      : 'the API server did not accept your kubeconfig credentials (check --kubeconfig and --context, or `kubectl auth whoami`); to reach the aggregator directly use --aggregator-url with --token, --token-file or SECO_TOKEN';
  } else if (status === '403' && !direct) {
    hint =
      'your user may not use seco through the API server: scans need RBAC "create" on scans.seco.dev (role seco-scanner) and results "list" on findings.seco.dev (seco-viewer) in the namespace';
  } else if (status === '404') {
    hint = direct
      ? `the aggregator serves its WebSocket at ${AGGREGATOR_WS_PATH}: --aggregator-url ws://HOST:PORT${AGGREGATOR_WS_PATH}`
      : 'is seco installed (its APIService v1alpha1.seco.dev)? `kubectl seco status` says, `kubectl get apiservice v1alpha1.seco.dev` too';
  }
  const explained = new Error(hint ? `${message}\n${hint}` : message);
  return error instanceof AggregatorError ? new AggregatorError(error.code, explained.message) : explained;
}
