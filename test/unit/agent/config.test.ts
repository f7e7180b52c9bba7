import { describe, expect, it } from '@jest/globals';
import { agentConfig } from '../../../agent/config.js';
import { DEFAULT_JOB_LIMITS } from '../../../agent/job-limits.js';

describe('agentConfig', () => {
  it('takes flags over SECO_* environment variables over defaults', () => {
    const config = agentConfig(['--node', 'node-a', '--s3-access-key', 'flag-key'], {
      SECO_NODE: 'ignored',
      SECO_S3_ACCESS_KEY: 'env-key',
      SECO_S3_SECRET_KEY: 'env-secret',
      SECO_NATS: 'nats://10.0.0.1:4222',
    });
    expect(config).toEqual({
      node: 'node-a',
      hostRoot: '/host',
      procRoot: '/host/proc',
      nats: 'nats://10.0.0.1:4222',
      trust: {},
      s3: {
        endpoint: 'http://seco-minio:9000',
        bucket: 'seco',
        accessKey: 'flag-key',
        secretKey: 'env-secret',
      },
      cacheDir: '/var/cache/seco',
      insecureRegistries: [],
      runtimeRules: [],
      runtime: true,
      runtimeSensor: 'auto',
      cgroupRoot: '/sys/fs/cgroup',
      cluster: undefined,
      limits: DEFAULT_JOB_LIMITS,
      lanes: { image: 1, node: 1 },
      heartbeatMs: 10_000,
    });
  });

  it('holds no store keys unless given both, and reads the NATS creds and CA files', () => {
    expect(agentConfig(['--node', 'n'], {}).s3).toBeUndefined();
    expect(() => agentConfig(['--node', 'n', '--s3-access-key', 'k'], {})).toThrow(/go together/);
    expect(() => agentConfig(['--node', 'n', '--nats-creds', '/nonexistent/agent.creds'], {})).toThrow(
      /--nats-creds \/nonexistent\/agent.creds/,
    );
  });

  it('takes job limits per kind, lanes, the heartbeat interval and a probe address', () => {
    const env = { SECO_S3_ACCESS_KEY: 'k', SECO_S3_SECRET_KEY: 's' };
    const config = agentConfig(
      [
        '--node',
        'n',
        '--job-deadline',
        'image=600,host=60',
        '--job-idle',
        '30',
        '--lanes',
        'image=2',
        '--heartbeat',
        '2',
        '--listen',
        ':8081',
      ],
      env,
    );
    expect(config.limits).toEqual({
      image: { deadlineMs: 600_000, idleMs: 30_000 },
      host: { deadlineMs: 60_000, idleMs: 30_000 },
      runtime: { deadlineMs: 300_000, idleMs: 30_000 },
      tools: { deadlineMs: 1_800_000, idleMs: 30_000 },
    });
    expect(config.lanes).toEqual({ image: 2, node: 1 });
    expect(config.heartbeatMs).toBe(2000);
    expect(config.listen).toEqual({ host: '0.0.0.0', port: 8081 });
    expect(() => agentConfig(['--node', 'n', '--job-deadline', 'disk=5'], env)).toThrow(
      '--job-deadline: "disk=5" is not KIND=SECONDS (kinds: host, image, runtime, tools)',
    );
    expect(() => agentConfig(['--node', 'n', '--job-idle', '0'], env)).toThrow(
      '--job-idle: "0" is not a number of seconds in (0, 86400]',
    );
    expect(() => agentConfig(['--node', 'n', '--lanes', 'image=0'], env)).toThrow(/--lanes: "image=0"/);
    expect(() => agentConfig(['--node', 'n', '--listen', 'nowhere'], env)).toThrow(
      '--listen "nowhere": expected HOST:PORT',
    );
  });

  it('takes runtime rule directories and can turn the watcher off', () => {
    const config = agentConfig(
      ['--node', 'n', '--runtime', 'false', '--runtime-rules', '/etc/seco/rules,/opt/r'],
      {
        SECO_S3_ACCESS_KEY: 'k',
        SECO_S3_SECRET_KEY: 's',
      },
    );
    expect(config.runtime).toBe(false);
    expect(config.runtimeRules).toEqual(['/etc/seco/rules', '/opt/r']);
    expect(() =>
      agentConfig(['--node', 'n', '--runtime', 'maybe'], {
        SECO_S3_ACCESS_KEY: 'k',
        SECO_S3_SECRET_KEY: 's',
      }),
    ).toThrow('--runtime "maybe": expected true or false');
  });

  it('splits SECO_INSECURE_REGISTRIES on commas and takes --cache-dir', () => {
    const config = agentConfig(['--node', 'n', '--cache-dir', '/tmp/c'], {
      SECO_S3_ACCESS_KEY: 'k',
      SECO_S3_SECRET_KEY: 's',
      SECO_INSECURE_REGISTRIES: 'registry.local:5000, 10.0.0.9 ,',
    });
    expect(config.cacheDir).toBe('/tmp/c');
    expect(config.insecureRegistries).toEqual(['registry.local:5000', '10.0.0.9']);
  });

  it('names a missing required value and refuses unknown flags', () => {
    expect(() => agentConfig([], {})).toThrow('missing --node (or SECO_NODE)');
    expect(() => agentConfig(['--bogus', 'x'], {})).toThrow(/bogus/);
  });
  test('refuses an unknown runtime sensor, naming the flag', () => {
    expect(() =>
      agentConfig(
        ['--node', 'n', '--runtime-sensor', 'kprobe', '--s3-access-key', 'k', '--s3-secret-key', 's'],
        {},
      ),
    ).toThrow(/--runtime-sensor: "kprobe" is not one of auto, ebpf, netlink, poll/);
  });
});
