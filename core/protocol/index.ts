export * from './aggregator-status.js';
export * from './bus-messages.js';
export * from './client-messages.js';
export * from './decode.js';
export * from './event-id.js';
export * from './finding-batches.js';
export * from './job-ticket.js';
export * from './limits.js';
