#!/usr/bin/env node
// seco's service launcher (`seco aggregator …` / `seco agent …`), from dist/; the image runs the bundled
// build of the same entry (tools/release/service-entry.ts).
await import('../dist/tools/release/service-entry.js');
