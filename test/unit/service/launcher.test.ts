import { describe, expect, it } from '@jest/globals';
import { decideLaunch, launcherUsage, type ServiceTable } from '../../../core/service/launcher.js';

const services: ServiceTable = {
  aggregator: { summary: 'the coordinator', load: async () => undefined },
  agent: { summary: 'the node daemon', load: async () => undefined },
};

describe('service launcher', () => {
  it('picks the service named first and passes the rest on as its flags', () => {
    const d = decideLaunch(['agent', '--node', 'a', '--help'], services);
    expect(d.kind).toBe('service');
    if (d.kind === 'service') {
      expect(d.name).toBe('agent');
      expect(d.argv).toEqual(['--node', 'a', '--help']);
    }
  });

  it('answers --help with the list of services', () => {
    expect(decideLaunch(['--help'], services)).toEqual({ kind: 'help' });
    const usage = launcherUsage(services);
    expect(usage).toContain('aggregator  the coordinator');
    expect(usage).toContain('agent       the node daemon');
  });

  it('refuses an unknown service, naming it and the known ones', () => {
    expect(decideLaunch(['scanner'], services)).toEqual({
      kind: 'error',
      message: 'unknown service "scanner" (known: aggregator, agent)',
    });
    expect(decideLaunch(['toString'], services).kind).toBe('error');
    expect(decideLaunch([], services)).toEqual({ kind: 'error', message: 'no service named' });
  });
});
