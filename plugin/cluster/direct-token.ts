import { readFileSync } from 'node:fs';
import type { AggregatorFlagValues } from './aggregator-flags.js';

/**
 * The static token for `--aggregator-url` (direct access to a local stack): `--token` / `SECO_TOKEN`
 * (kept, as kubectl keeps `--token`), or better `--token-file` / `SECO_TOKEN_FILE`, which keeps it out
 * of `ps` and shell history. Through the API server no token is used at all: the API server says who
 * the user is (docs/api-access.md).
 */
export function directToken(flags: Pick<AggregatorFlagValues, 'token' | 'token-file'>): string | undefined {
  if (flags.token !== undefined && flags['token-file'] !== undefined)
    throw new Error('give --token or --token-file, not both');
  if (flags['token-file'] === undefined) return flags.token;
  let text: string;
  try {
    text = readFileSync(flags['token-file'], 'utf8').trim();
  } catch (error) {
    throw new Error(
      `--token-file ${flags['token-file']}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  if (text === '' || /\s/.test(text))
    throw new Error(`--token-file ${flags['token-file']}: expected one token`);
  return text;
}
