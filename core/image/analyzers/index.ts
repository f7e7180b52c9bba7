import type { Analyzer } from '../package.js';
import { apkAnalyzer } from './apk.js';
import { dpkgAnalyzer } from './dpkg.js';
import { goBinaryAnalyzer } from './go-binary.js';
import { javaAnalyzer } from './java.js';
import { nodeBinaryAnalyzer } from './node-binary.js';
import { npmAnalyzer } from './npm.js';
import { npmApplicationAnalyzer } from './npm-application.js';
import { npmLockAnalyzer } from './npm-lock.js';
import { pipfileLockAnalyzer } from './pipfile-lock.js';
import { pnpmLockAnalyzer } from './pnpm-lock.js';
import { poetryLockAnalyzer } from './poetry-lock.js';
import { pythonAnalyzer } from './python.js';
import { requirementsAnalyzer } from './requirements.js';
import { rpmAnalyzer } from './rpm.js';
import { rpmBdbAnalyzer } from './rpm-bdb.js';
import { rpmNdbAnalyzer } from './rpm-ndb.js';
import { rubyGemsAnalyzer } from './rubygems.js';
import { yarnLockAnalyzer } from './yarn-lock.js';

/** Every package analyzer; adding an ecosystem is one file and one line here. */
export const ANALYZERS: readonly Analyzer[] = [
  dpkgAnalyzer,
  apkAnalyzer,
  rpmAnalyzer,
  rpmBdbAnalyzer,
  rpmNdbAnalyzer,
  npmAnalyzer,
  npmApplicationAnalyzer,
  pythonAnalyzer,
  rubyGemsAnalyzer,
  javaAnalyzer,
  goBinaryAnalyzer,
  nodeBinaryAnalyzer,
  npmLockAnalyzer,
  yarnLockAnalyzer,
  pnpmLockAnalyzer,
  poetryLockAnalyzer,
  pipfileLockAnalyzer,
  requirementsAnalyzer,
];
