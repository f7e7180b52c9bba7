export * from './finding.js';
export * from './fingerprint.js';
export * from './report.js';
export * from './severity.js';
export * from './admission-policy.js';
