import type { KernelMemo } from './ebpf-sensor.js';
import type { PodContainer } from './pod-index.js';
import type { EventContext } from './rule-input.js';

/** What rules saw of a cgroup's container when its execs were judged: its pod (by content) and its image's
 * files (by object: one lookup's answer is one object while it is believed). */
interface Judged {
  containerId?: string;
  facts: string;
}

const MAX_CGROUPS = 16_384;
const POD_REFRESH_MS = 5000;

export interface KernelQuietMemoOptions {
  memo: KernelMemo;
  /** The pod of a container as the watcher knows it now (no list is made for it). */
  pod: (containerId: string) => PodContainer | undefined;
  /** Lists the pods again: a kept container without a pod yet (the kubelet writes its id late) gets one. */
  refreshPods?: () => Promise<void>;
  imageFiles?: (image: string) => Promise<ReadonlySet<string> | undefined>;
  /** A number per object, stable while the object lives (the watcher's). */
  identity: (o: object | undefined) => number;
  /** How often the containers whose execs the kernel keeps are looked at again (default 2 s). */
  recheckMs?: number;
  onLog?: (line: string) => void;
}

/**
 * Drives the kernel's no-match memo (bpf/sensor.bpf.c `quiet_execs`): an exec the rules judged to match
 * nothing goes in, so its repeats never leave the kernel. The kernel's key covers the record and the parent;
 * what it cannot see — the container's pod and its image's files, the rule set — is covered by epochs: when
 * they change, that cgroup's keys (or all) change, and its execs are judged again. Because a kept exec never
 * reaches user space to show a change, the kept cgroups are looked at again every `recheckMs`.
 */
export class KernelQuietMemo {
  private readonly judged = new Map<bigint, Judged>();
  private timer?: NodeJS.Timeout;
  private checking = false;
  private lastPodRefresh = 0;

  constructor(private readonly o: KernelQuietMemoOptions) {
    this.timer = setInterval(() => void this.recheck(), o.recheckMs ?? 2000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** An exec judged to match nothing, with everything its kernel key stands for (kernel-events.ts). */
  remember(e: EventContext): void {
    const m = e.kernelMemo;
    if (!m) return;
    const facts = this.facts(e.pod, e.imageFiles);
    const before = this.judged.get(m.cgroupId);
    if (before && before.facts !== facts) {
      // Judged with other facts than the keys already kept: those go, this one was made under them.
      this.o.memo.rejudgeCgroup(m.cgroupId);
      before.facts = facts;
      return;
    }
    if (!before) {
      if (this.judged.size >= MAX_CGROUPS) this.rejudgeAll(); // untracked keys must not outlive their facts
      this.judged.set(m.cgroupId, { containerId: e.container?.id, facts });
    }
    this.o.memo.quiet(m.key);
  }

  /** The rule set changed: every kept exec is judged again. */
  rejudgeAll(): void {
    this.judged.clear();
    this.o.memo.rejudgeAll();
  }

  /** Kept cgroups whose pod or image files changed since their execs were judged: judged again. */
  async recheck(): Promise<number> {
    if (this.checking) return 0;
    this.checking = true;
    let changed = 0;
    try {
      // Its execs no longer reach user space to make the watcher look for its pod: the memo looks, at most
      // every 5 s while some kept container has none (a container outside Kubernetes never will).
      const podless = [...this.judged.values()].some((j) => j.containerId && !this.o.pod(j.containerId));
      if (podless && this.o.refreshPods && Date.now() - this.lastPodRefresh >= POD_REFRESH_MS) {
        this.lastPodRefresh = Date.now();
        await this.o.refreshPods();
      }
      for (const [cgroupId, j] of [...this.judged]) {
        const pod = j.containerId ? this.o.pod(j.containerId) : undefined;
        const files =
          pod && this.o.imageFiles ? await this.o.imageFiles(pod.imageId || pod.image) : undefined;
        const facts = this.facts(pod, files);
        if (facts === j.facts) continue;
        this.o.memo.rejudgeCgroup(cgroupId);
        j.facts = facts;
        changed++;
      }
    } catch (error) {
      this.o.onLog?.(`runtime watcher: kernel memo recheck: ${(error as Error).message}`);
    } finally {
      this.checking = false;
    }
    return changed;
  }

  private facts(pod: PodContainer | undefined, files: ReadonlySet<string> | undefined): string {
    return `${pod ? JSON.stringify(pod) : '-'}\u0000${this.o.identity(files)}`;
  }
}
