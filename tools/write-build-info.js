#!/usr/bin/env node
// Writes dist/build-info.json (version from package.json, the git commit) after `tsc`: what
// core/build/build-info.ts reads in unbundled builds. SECO_BUILD_COMMIT overrides git (CI, tarballs).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const commit = process.env.SECO_BUILD_COMMIT || gitCommit();
mkdirSync('dist', { recursive: true });
writeFileSync('dist/build-info.json', `${JSON.stringify({ version, commit })}\n`);
