#!/usr/bin/env node
// Runs a benchmark script on one core (taskset -c 0) when taskset exists, so figures are per core.
import { spawnSync } from 'node:child_process';

const script = process.argv[2];
const hasTaskset = spawnSync('taskset', ['--version']).status === 0;
const [command, args] = hasTaskset
  ? ['taskset', ['-c', '0', process.execPath, script]]
  : [process.execPath, [script]];
const result = spawnSync(command, args, { stdio: 'inherit' });
process.exit(result.status ?? 1);
