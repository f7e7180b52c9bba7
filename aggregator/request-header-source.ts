import type { KubeView } from '../core/kube/kube-view.js';
import { type RequestHeaderConfig, requestHeaderConfigFrom } from './request-header-auth.js';

export const AUTHENTICATION_CONFIGMAP = {
  namespace: 'kube-system',
  name: 'extension-apiserver-authentication',
};

/**
 * Where the aggregated API's trust in front-proxy headers comes from: kube-system's
 * extension-apiserver-authentication ConfigMap, which kube-apiserver keeps current (its CA rotates),
 * re-read every minute — or a fixed configuration (`--requestheader-client-ca-file`). Until it is read,
 * no front-proxy request is believed.
 */
export class RequestHeaderSource {
  private config?: RequestHeaderConfig;
  private timer?: NodeJS.Timeout;
  private readonly listeners: Array<(config: RequestHeaderConfig) => void> = [];

  private constructor(
    private readonly load: (() => Promise<RequestHeaderConfig>) | undefined,
    fixed: RequestHeaderConfig | undefined,
    private readonly log: (line: string) => void,
  ) {
    this.config = fixed;
  }

  static fixed(config: RequestHeaderConfig): RequestHeaderSource {
    return new RequestHeaderSource(undefined, config, () => undefined);
  }

  static fromCluster(kube: KubeView, log: (line: string) => void): RequestHeaderSource {
    const { namespace, name } = AUTHENTICATION_CONFIGMAP;
    return new RequestHeaderSource(
      async () => {
        const map = await kube.get('ConfigMap', namespace, name);
        if (!map) throw new Error(`ConfigMap ${namespace}/${name} not found`);
        return requestHeaderConfigFrom(map.data as Record<string, unknown> | undefined);
      },
      undefined,
      log,
    );
  }

  current(): RequestHeaderConfig | undefined {
    return this.config;
  }

  onChange(listener: (config: RequestHeaderConfig) => void): void {
    this.listeners.push(listener);
  }

  /** Reads it now (an error is logged, not thrown: the API answers 401 until it is read) and every minute. */
  async start(everyMs = 60_000): Promise<void> {
    if (!this.load) return;
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async refresh(): Promise<void> {
    try {
      const next = await this.load!();
      if (JSON.stringify(next) === JSON.stringify(this.config)) return;
      this.config = next;
      for (const listener of this.listeners) listener(next);
    } catch (error) {
      this.log(`aggregated API: front-proxy trust not loaded: ${(error as Error).message}`);
    }
  }
}
