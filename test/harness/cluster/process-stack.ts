import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import type { KubeObject } from '../../../core/kube/types.js';
import { type BuiltHostRoot, buildHostRoot } from '../host/build-host-root.js';
import { type RunningS3, s3CliFlags } from '../s3/start-s3rver.js';
import { DEMO_NODES, demoObjects } from './demo-cluster.js';
import type { RealServers } from './real-servers.js';
import type { StackNode } from './start-stack.js';

/** One seco service binary run from this worktree's dist/ (npm run build first), as a cluster runs it. */
export interface ServiceProcess {
  child: ChildProcessWithoutNullStreams;
  /** The port of its HTTP listener (aggregator: WebSocket and probes; agent: probes). */
  port: number;
  /** Its stderr so far (the service log), over every run of it. */
  log(): string;
  alive(): boolean;
  /** SIGTERM (graceful), or the signal given; resolves when it has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /**
   * Stops it with `signal` (SIGKILL: as a node losing it) and starts it again with the same flags on the
   * same port, as a restarted pod behind its Service; resolves when it listens again.
   */
  restart(signal?: NodeJS.Signals): Promise<void>;
}

export interface ProcessStackOptions {
  natsUrl: string;
  s3: RunningS3;
  objects: readonly KubeObject[];
  nodes: StackNode[];
  /** Extra flags for the aggregator (`--job-timeout`, `--agent-stale`, …). */
  aggregatorFlags?: string[];
  /** Extra flags for every agent (`--job-idle`, `--insecure-registry`, …). */
  agentFlags?: string[];
}

export interface ProcessStack {
  token: string;
  aggregator: ServiceProcess;
  agents: Map<string, ServiceProcess>;
  /** `ws://127.0.0.1:PORT/ws` of the aggregator. */
  url: string;
  /** Stops the aggregator (SIGTERM, as a rollout does) and starts it again on the same port. */
  restartAggregator(): Promise<void>;
  stop(): Promise<void>;
}

interface Run {
  child: ChildProcessWithoutNullStreams;
  port: number;
  exited: Promise<void>;
}

/** Spawns `bin/<name>.js` and waits for its `listening PORT` line on stdout. */
async function spawnRun(name: string, args: string[], logs: { text: string }): Promise<Run> {
  const child = spawn(process.execPath, [`bin/${name}.js`, ...args], { env: { ...process.env } });
  let stdout = '';
  child.stderr.on('data', (data: Buffer) => (logs.text += data.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start within 20 s:\n${logs.text}`)),
      20_000,
    );
    child.stdout.on('data', (data: Buffer) => {
      stdout += data.toString('utf8');
      const match = /listening (\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before listening:\n${logs.text}`));
    });
  });
  return { child, port, exited };
}

async function spawnService(name: string, args: string[]): Promise<ServiceProcess> {
  const logs = { text: '' };
  let run = await spawnRun(name, args, logs);
  const alive = () => run.child.exitCode === null && run.child.signalCode === null;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (!alive()) return;
    run.child.kill(signal);
    const killer = setTimeout(() => run.child.kill('SIGKILL'), 10_000);
    await run.exited;
    clearTimeout(killer);
  };
  const service: ServiceProcess = {
    child: run.child,
    port: run.port,
    log: () => logs.text,
    alive,
    stop,
    async restart(signal = 'SIGKILL') {
      await stop(signal);
      const listen = args.indexOf('--listen');
      const again = [...args];
      if (listen >= 0) again[listen + 1] = `127.0.0.1:${run.port}`;
      run = await spawnRun(name, again, logs);
      service.child = run.child;
    },
  };
  return service;
}

/**
 * seco's cluster side as real processes on real servers: `seco-aggregator` (reading the cluster from a
 * YAML file, static token) and one `seco-agent` per node (fixture host roots, runtime watcher off), each
 * with its probe listener on a free port. What a test kills here dies as it would in a cluster.
 */
export async function startProcessStack(options: ProcessStackOptions): Promise<ProcessStack> {
  const dir = mkdtempSync(join(tmpdir(), 'seco-procs-'));
  const token = 'test-token-0123456789';
  writeFileSync(join(dir, 'tokens'), `${token}\n`);
  writeFileSync(
    join(dir, 'cluster.yaml'),
    options.objects.map((o) => dump(o, { noRefs: true })).join('---\n'),
  );
  const hosts: BuiltHostRoot[] = [];
  const agents = new Map<string, ServiceProcess>();
  const stopAll = async () => {
    await Promise.all([...agents.values()].map((a) => a.stop()));
    await aggregator?.stop();
    for (const host of hosts) host.remove();
    rmSync(dir, { recursive: true, force: true });
  };
  let aggregator: ServiceProcess | undefined;
  const aggregatorArgs = aggregatorArguments(options, dir);
  try {
    for (const node of options.nodes) {
      const host = buildHostRoot(node.fixture);
      hosts.push(host);
      const agent = await spawnService('seco-agent', [
        '--node',
        node.name,
        '--host-root',
        host.hostRoot,
        '--proc-root',
        host.procRoot,
        '--nats',
        options.natsUrl,
        ...s3CliFlags(options.s3),
        '--cache-dir',
        join(dir, `vulndb-${node.name}`),
        '--runtime',
        'false',
        '--listen',
        '127.0.0.1:0',
        ...(options.agentFlags ?? []),
      ]);
      agents.set(node.name, agent);
    }
    aggregator = await spawnService('seco-aggregator', ['--listen', '127.0.0.1:0', ...aggregatorArgs]);
  } catch (error) {
    await stopAll();
    throw error;
  }
  const stack: ProcessStack = {
    token,
    aggregator,
    agents,
    url: `ws://127.0.0.1:${aggregator.port}/ws`,
    async restartAggregator() {
      // On the same port, as a Deployment's pod comes back behind its Service.
      await stack.aggregator.restart('SIGTERM');
    },
    stop: stopAll,
  };
  return stack;
}

/** Everything the aggregator is started with but where it listens. */
function aggregatorArguments(options: ProcessStackOptions, dir: string): string[] {
  return [
    '--metrics-listen',
    '127.0.0.1:0',
    '--nats',
    options.natsUrl,
    ...s3CliFlags(options.s3),
    '--kube-from',
    join(dir, 'cluster.yaml'),
    '--auth-token-file',
    join(dir, 'tokens'),
    '--replica-id',
    'replica-a',
    '--continuous',
    'false',
    ...(options.aggregatorFlags ?? []),
  ];
}

/** The demo app on the two demo nodes as processes on the suite's servers, stopped after the test. */
export async function startDemoProcessStack(
  servers: RealServers,
  options: Pick<ProcessStackOptions, 'aggregatorFlags' | 'agentFlags'> = {},
): Promise<ProcessStack> {
  return servers.use(
    await startProcessStack({
      natsUrl: servers.nats.url,
      s3: servers.s3,
      objects: demoObjects(),
      nodes: DEMO_NODES,
      ...options,
    }),
  );
}

/** GET a probe of a service: its status code and body. */
export async function probe(
  port: number,
  path: '/healthz' | '/readyz',
): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(3000) });
  return { status: response.status, body: await response.text() };
}
