import type { Analyzer } from '../package.js';
import { apkAnalyzer } from './apk.js';
import { dpkgAnalyzer } from './dpkg.js';
import { goBinaryAnalyzer } from './go-binary.js';
import { javaAnalyzer } from './java.js';
import { npmAnalyzer } from './npm.js';
import { pythonAnalyzer } from './python.js';
import { rpmAnalyzer } from './rpm.js';
import { rubyGemsAnalyzer } from './rubygems.js';

/** Every package analyzer; adding an ecosystem is one file and one line here. */
export const ANALYZERS: readonly Analyzer[] = [
  dpkgAnalyzer,
  apkAnalyzer,
  rpmAnalyzer,
  npmAnalyzer,
  pythonAnalyzer,
  rubyGemsAnalyzer,
  javaAnalyzer,
  goBinaryAnalyzer,
];
