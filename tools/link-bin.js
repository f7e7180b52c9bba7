#!/usr/bin/env node
// npm links the bins of dependencies into node_modules/.bin, but not the project's own. Linking it
// there makes `npx kubectl-seco …` run this checkout after `npm install`, as the README promises.
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';

const binDir = join('node_modules', '.bin');
const link = join(binDir, 'kubectl-seco');
mkdirSync(binDir, { recursive: true });
rmSync(link, { force: true });
symlinkSync(relative(binDir, join('bin', 'kubectl-seco.js')), link);
