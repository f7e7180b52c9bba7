#!/usr/bin/env node
// The node agent (agent/main.ts), as shipped in the DaemonSet's image.
await import('../dist/agent/main.js');
