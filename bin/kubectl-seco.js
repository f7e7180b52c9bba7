#!/usr/bin/env node
// kubectl finds this file as `kubectl-seco` on PATH and runs it for `kubectl seco …`.
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
