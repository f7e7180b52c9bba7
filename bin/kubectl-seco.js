#!/usr/bin/env node
// kubectl finds this file as `kubectl-seco` on PATH and runs it for `kubectl seco …`.
import { main } from '../dist/plugin/cli/main.js';

await main(new URL('..', import.meta.url));
