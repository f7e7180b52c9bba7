#!/usr/bin/env node
// The coordinator service (aggregator/main.ts), as shipped in the aggregator Deployment's image.
await import('../dist/aggregator/main.js');
