import type { Analyzer } from '../package.js';
import { apkAnalyzer } from './apk.js';
import { cargoAuditableAnalyzer } from './cargo-auditable.js';
import { cargoLockAnalyzer } from './cargo-lock.js';
import { composerInstalledAnalyzer, composerLockAnalyzer } from './composer.js';
import { conanLockAnalyzer } from './conan-lock.js';
import { dpkgAnalyzer } from './dpkg.js';
import { goBinaryAnalyzer } from './go-binary.js';
import { javaAnalyzer } from './java.js';
import { mixLockAnalyzer } from './mix-lock.js';
import { nodeBinaryAnalyzer } from './node-binary.js';
import { npmAnalyzer } from './npm.js';
import { npmApplicationAnalyzer } from './npm-application.js';
import { npmLockAnalyzer } from './npm-lock.js';
import { dotnetDepsAnalyzer, nugetLockAnalyzer } from './nuget.js';
import { pipfileLockAnalyzer } from './pipfile-lock.js';
import { pnpmLockAnalyzer } from './pnpm-lock.js';
import { podfileLockAnalyzer } from './podfile-lock.js';
import { poetryLockAnalyzer } from './poetry-lock.js';
import { pubspecLockAnalyzer } from './pubspec-lock.js';
import { pythonAnalyzer } from './python.js';
import { requirementsAnalyzer } from './requirements.js';
import { rpmAnalyzer } from './rpm.js';
import { rpmBdbAnalyzer } from './rpm-bdb.js';
import { rpmNdbAnalyzer } from './rpm-ndb.js';
import { rubyGemsAnalyzer } from './rubygems.js';
import { swiftResolvedAnalyzer } from './swift-resolved.js';
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
  cargoAuditableAnalyzer,
  nodeBinaryAnalyzer,
  npmLockAnalyzer,
  yarnLockAnalyzer,
  pnpmLockAnalyzer,
  poetryLockAnalyzer,
  pipfileLockAnalyzer,
  requirementsAnalyzer,
  cargoLockAnalyzer,
  composerLockAnalyzer,
  composerInstalledAnalyzer,
  dotnetDepsAnalyzer,
  nugetLockAnalyzer,
  pubspecLockAnalyzer,
  podfileLockAnalyzer,
  swiftResolvedAnalyzer,
  mixLockAnalyzer,
  conanLockAnalyzer,
];
