export * from './aggregator-status.js';
export * from './bus-messages.js';
export * from './client-messages.js';
export * from './cluster-view-messages.js';
export * from './decode.js';
export * from './event-id.js';
export * from './finding-batches.js';
export * from './limits.js';
