export * from './admission-policy.js';
export * from './compliance.js';
export * from './finding.js';
export * from './finding-scope.js';
export * from './fingerprint.js';
export * from './report.js';
export * from './severity.js';
