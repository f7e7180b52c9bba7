// The services seco's image runs, and the entry point of the image's bundle (tools/release/image/
// service-bundle.ts) and of bin/seco.js. The imports stay dynamic: esbuild splits each service into
// its own chunk, so starting one never loads the other.
import { launchService, type ServiceTable } from '../../core/service/launcher.js';

export const SERVICES: ServiceTable = {
  aggregator: {
    summary: 'the coordinator: scans, jobs, feedback rules, WebSocket API (a Deployment)',
    load: () => import('../../aggregator/main.js'),
  },
  agent: {
    summary: 'the node daemon: image, host and runtime scans of its node (a DaemonSet)',
    load: () => import('../../agent/main.js'),
  },
  tools: {
    summary: "the tools runner: third-party tools' jobs through the secure executor (the tools image)",
    load: () => import('../../agent/tools-runner-main.js'),
  },
  'runtime-watcher': {
    summary: "the agent's runtime sensor process (the agent starts it; not run by hand)",
    load: () => import('../../agent/runtime-watcher-main.js'),
  },
};

await launchService(SERVICES);
