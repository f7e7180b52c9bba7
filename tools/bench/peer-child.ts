import { createRequire } from 'node:module';

// The peer (snyk-docker-plugin, the engine of `snyk container test`) on the same docker-archive,
// in its own process for a clean peak RSS. It is a CommonJS dev dependency, loaded as such.
const require = createRequire(import.meta.url);
const plugin = require('snyk-docker-plugin') as {
  scan(options: { path: string }): Promise<{ scanResults: unknown[] }>;
};
const archive = process.argv[2]!;
const start = process.hrtime.bigint();
const result = await plugin.scan({ path: `docker-archive:${archive}` });
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
process.stdout.write(
  JSON.stringify({
    seconds,
    packages: result.scanResults.length,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
