// seco's eBPF runtime sensor (CO-RE). Attaches where this kind of kernel allows without tracefs, kprobes,
// fentry or the BPF LSM (STACK.md, 2026-12-06): tp_btf/sched_process_exec and _exit, raw_tp/sys_enter and
// sys_exit. Everything is filtered here so an idle node costs almost nothing in user space:
//   - `syscalls` (array by syscall number) says which syscalls a loaded rule needs; others return at once;
//   - processes outside containers are dropped unless `config.include_host` (a container is a process whose
//     deepest cgroup sits below one of `container_roots`: kubepods, kubepods.slice, docker, machine.slice);
//   - opens are reported only under a prefix of `path_prefixes` (an LPM trie over path bytes), for reads,
//     writes or both, as the rule set compiled them (core/runtime/kernel-filter.ts).
// Records go to the `events` ring buffer; a full buffer is counted in `drops`, never silent.
#include "vmlinux.h"
#if defined(__TARGET_ARCH_arm64)
// libbpf reads arm64 syscall arguments through `struct user_pt_regs`. One vmlinux.h (from the build machine's
// BTF, x86 here) serves both architectures: the types the program reads are arch-neutral and CO-RE relocates
// their fields by name; only this one is arm64's own, so it is declared here as a CO-RE flavour (the
// `___seco` suffix is ignored when relocating: it matches the kernel's `user_pt_regs`, and never clashes with
// an arm64 vmlinux.h that declares the real one). arch/arm64/include/uapi/asm/ptrace.h.
struct user_pt_regs___seco {
  __u64 regs[31];
  __u64 sp;
  __u64 pc;
  __u64 pstate;
};
#define user_pt_regs user_pt_regs___seco
#endif
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "sensor.h"
#include "siphash.h"

char LICENSE[] SEC("license") = "GPL";

#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10
#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define O_ACCMODE 00000003
#define O_CREAT 00000100
#define O_TRUNC 00001000
#define NSFS_MAGIC 0x6e736673 // include/uapi/linux/magic.h
#define DATA_MASK (SENSOR_DATA_CAP - 1)
#define STR_MASK (SENSOR_STR_MAX - 1)

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4 << 20); // resized by the loader before load
} events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, u32);
  __type(value, u64);
} drops SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, u32);
  __type(value, struct sensor_config);
} sensor_config SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, SENSOR_MAX_SYSCALL);
  __type(key, u32);
  __type(value, u32);
} syscalls SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 64);
  __type(key, u64);
  __type(value, u8);
} container_roots SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_LPM_TRIE);
  __uint(max_entries, 1024);
  __type(key, struct prefix_key);
  __type(value, u32);
  __uint(map_flags, BPF_F_NO_PREALLOC);
} path_prefixes SEC(".maps");

// cgroups whose path was already sent once: later records carry only the id.
struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 16384);
  __type(key, u64);
  __type(value, u8);
} known_cgroups SEC(".maps");

// The kernel's process table: every watched exec writes its process here (quiet or not), every exit deletes it.
// User space reads it for a process whose exec never left the kernel (src/ebpf_sensor.c `lookupProcess`).
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 32768);
  __type(key, u32);
  __type(value, struct proc_entry);
  __uint(map_flags, BPF_F_NO_PREALLOC);
} procs SEC(".maps");

// A process's previous exec when it exec'd again (a shell running its last command in place): a child or an
// event of that earlier image may still be on its way to user space, and names it by its exec_ns.
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 8192);
  __type(key, u32);
  __type(value, struct proc_entry);
  __uint(map_flags, BPF_F_NO_PREALLOC);
} procs_prev SEC(".maps");

// The no-match memo: keys of execs the rule engine judged to match nothing, inserted by user space only
// (core/runtime/watcher.ts). An exec whose key is here is not sent, nor is its exit.
struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 16384);
  __type(key, u64);
  __type(value, u8);
} quiet_execs SEC(".maps");

// Per cgroup, bumped by user space when what rules see of that container changes (its pod, its image's
// files): the cgroup's memo keys change with it, so its execs are judged again. Not an LRU map: an evicted
// epoch would read 0 again and bring back keys judged under the old facts. When it is full, user space bumps
// the rule-set epoch instead (src/ebpf_sensor.c `rejudge_cgroup`).
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16384);
  __type(key, u64);
  __type(value, u32);
  __uint(map_flags, BPF_F_NO_PREALLOC);
} cgroup_epoch SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, Q_COUNTERS);
  __type(key, u32);
  __type(value, u64);
} quiet_hits SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, u32);
  __type(value, struct proc_entry);
} proc_scratch SEC(".maps");

// A syscall seen at entry whose record is completed at exit (open, connect, accept, listen).
struct pending {
  u32 kind, sub;
  u64 arg[4];
  unsigned char addr[28];
};

struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 16384);
  __type(key, u32);
  __type(value, struct pending);
} pending SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, u32);
  __type(value, struct sensor_event);
} scratch SEC(".maps");

struct kernfs_node___old {
  struct kernfs_node *parent;
};

static __always_inline struct kernfs_node *kn_parent(struct kernfs_node *kn) {
  if (bpf_core_field_exists(kn->__parent)) return BPF_CORE_READ(kn, __parent);
  return BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
}

// The deepest cgroup of the task across the v2 hierarchy and every v1 controller: on a hybrid machine
// (this one) containers show only in the v1 controllers, on a v2 machine only in dfl_cgrp.
static __always_inline struct cgroup *task_cgroup(struct task_struct *t) {
  struct css_set *cs = BPF_CORE_READ(t, cgroups);
  struct cgroup *best = BPF_CORE_READ(cs, dfl_cgrp);
  int best_level = BPF_CORE_READ(best, level);
#pragma unroll
  for (int i = 0; i < 12; i++) {
    struct cgroup_subsys_state *css = NULL;
    bpf_core_read(&css, sizeof(css), &cs->subsys[i]);
    if (!css) continue;
    struct cgroup *cg = BPF_CORE_READ(css, cgroup);
    int level = BPF_CORE_READ(cg, level);
    if (level > best_level) {
      best = cg;
      best_level = level;
    }
  }
  return best;
}

static __always_inline int below_container_root(struct cgroup *cg) {
  struct kernfs_node *kn = BPF_CORE_READ(cg, kn);
  for (int i = 0; i < 8 && kn; i++) {
    u64 id = BPF_CORE_READ(kn, id);
    if (bpf_map_lookup_elem(&container_roots, &id)) return 1;
    kn = kn_parent(kn);
  }
  return 0;
}

// Whether the current task is watched: not the watcher itself, and in a container unless asked for the host.
static __always_inline int watched(struct task_struct *t, struct cgroup **cg, int *in_container) {
  u32 zero = 0;
  struct sensor_config *c = bpf_map_lookup_elem(&sensor_config, &zero);
  if (!c) return 0;
  if (BPF_CORE_READ(t, tgid) == c->self_pid) return 0;
  *cg = task_cgroup(t);
  *in_container = below_container_root(*cg);
  return *in_container || c->include_host;
}

// The parent chain from the kernel: pids and names of up to four ancestors, in every record but an exit's
// (the scratch record is per CPU: a slot not written here would carry another process's chain). The names
// are zeroed first: a string read leaves the rest of its slot as the last record on this CPU had it, and
// the memo key (and ebpf-record.ts `key`) read whole slots.
static __always_inline void fill_ancestors(struct sensor_event *e, struct task_struct *t) {
  __builtin_memset(e->anc_comm, 0, sizeof(e->anc_comm));
  struct task_struct *a = BPF_CORE_READ(t, real_parent);
#pragma unroll
  for (int i = 0; i < SENSOR_ANCESTORS; i++) {
    e->anc_pid[i] = a ? BPF_CORE_READ(a, tgid) : 0;
    if (a) BPF_CORE_READ_STR_INTO(&e->anc_comm[i], a, comm);
    a = a ? BPF_CORE_READ(a, real_parent) : NULL;
  }
}

static __always_inline struct sensor_event *start_event(struct task_struct *t, struct cgroup *cg,
                                                        int in_container, u32 kind) {
  u32 zero = 0;
  struct sensor_event *e = bpf_map_lookup_elem(&scratch, &zero);
  if (!e) return NULL;
  u64 id = bpf_get_current_pid_tgid();
  u64 ug = bpf_get_current_uid_gid();
  e->kind = kind;
  e->flags = in_container ? F_IN_CONTAINER : 0;
  e->pid = id >> 32;
  e->tid = (u32)id;
  e->ppid = BPF_CORE_READ(t, real_parent, tgid);
  e->uid = (u32)ug;
  e->gid = ug >> 32;
  e->sub = 0;
  e->time_ns = bpf_ktime_get_boot_ns();
  e->cgroup = BPF_CORE_READ(cg, kn, id);
  e->ret = 0;
  e->parent_cgroup = 0;
  e->exec_ns = 0;
  e->parent_exec_ns = 0;
  e->quiet_key = 0;
  __builtin_memset(e->arg, 0, sizeof(e->arg));
  __builtin_memset(e->addr, 0, sizeof(e->addr));
  __builtin_memset(e->laddr, 0, sizeof(e->laddr));
  __builtin_memset(e->str_len, 0, sizeof(e->str_len));
  bpf_get_current_comm(e->comm, sizeof(e->comm));
  if (kind == K_EXIT) __builtin_memset(e->anc_pid, 0, sizeof(e->anc_pid)); // an exit needs only its process
  else fill_ancestors(e, t);
  return e;
}

// Appends a string read from `src` (user or kernel memory) at *off; returns its length without the NUL.
static __always_inline u32 append_str(struct sensor_event *e, u32 *off, const void *src, int user) {
  u32 o = *off & DATA_MASK;
  long n = user ? bpf_probe_read_user_str(&e->data[o], SENSOR_STR_MAX, src)
                : bpf_probe_read_kernel_str(&e->data[o], SENSOR_STR_MAX, src);
  if (n <= 1) return 0; // unreadable or empty: nothing kept, the next string goes here
  *off = o + (u32)n;     // the NUL stays as a separator
  return (u32)(n - 1);
}

// Walking a path up to the root is a loop of unknown length with two kinds of step (a component, or a
// mount crossing): as bpf_loop() callbacks the verifier checks each step once instead of every unrolled path.
struct walk_state {
  struct dentry *dentry;
  struct vfsmount *vfsmnt;
  struct mount *mnt;
  struct dentry *root_dentry;
  struct vfsmount *root_mnt;
  const unsigned char *names[SENSOR_PATH_COMPONENTS];
  u32 n, cut, off;
};

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, u32);
  __type(value, struct walk_state);
} walks SEC(".maps");

static long walk_up(u64 i, void *ctx) {
  u32 zero = 0;
  struct walk_state *w = bpf_map_lookup_elem(&walks, &zero);
  if (!w) return 1;
  if (w->dentry == w->root_dentry && w->vfsmnt == w->root_mnt) {
    w->cut = 0;
    return 1;
  }
  // Locals, not w->field, inside BPF_CORE_READ: walk_state is ours, not the kernel's, and has no relocation.
  struct dentry *dentry = w->dentry;
  struct vfsmount *vfsmnt = w->vfsmnt;
  struct mount *mnt = w->mnt;
  if (dentry == BPF_CORE_READ(vfsmnt, mnt_root)) {
    struct mount *parent = BPF_CORE_READ(mnt, mnt_parent);
    if (parent == mnt) { // the top of the mount tree, or an internal mount (a memfd, a socket)
      w->cut = 0;
      return 1;
    }
    w->dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
    w->mnt = parent;
    w->vfsmnt = (struct vfsmount *)((void *)parent + bpf_core_field_offset(struct mount, mnt));
    return 0;
  }
  if (w->n >= SENSOR_PATH_COMPONENTS) return 1;
  struct dentry *up = BPF_CORE_READ(dentry, d_parent);
  w->names[w->n & (SENSOR_PATH_COMPONENTS - 1)] = BPF_CORE_READ(dentry, d_name.name);
  w->n++;
  if (up == dentry) {
    w->cut = 0;
    return 1;
  }
  w->dentry = up;
  return 0;
}

static long append_name(u64 i, void *ctx) {
  u32 zero = 0;
  struct walk_state *w = bpf_map_lookup_elem(&walks, &zero);
  struct sensor_event *e = bpf_map_lookup_elem(&scratch, &zero);
  if (!w || !e || i >= w->n) return 1;
  u32 idx = (w->n - 1 - (u32)i) & (SENSOR_PATH_COMPONENTS - 1);
  u32 o = w->off & DATA_MASK;
  e->data[o] = '/';
  o = (o + 1) & DATA_MASK;
  long len = bpf_probe_read_kernel_str(&e->data[o], 256, w->names[idx]);
  if (len > 1) o += (u32)(len - 1);
  w->off = o;
  return 0;
}

// The path of (dentry, vfsmount) as the task sees it, crossing mounts up to its root, like d_path().
static __always_inline u32 append_path(struct sensor_event *e, u32 *off, struct path *p, struct task_struct *t) {
  u32 zero = 0;
  struct walk_state *w = bpf_map_lookup_elem(&walks, &zero);
  if (!w) return 0;
  w->dentry = BPF_CORE_READ(p, dentry);
  w->vfsmnt = BPF_CORE_READ(p, mnt);
  w->mnt = (struct mount *)((void *)BPF_CORE_READ(p, mnt) - bpf_core_field_offset(struct mount, mnt));
  w->root_dentry = BPF_CORE_READ(t, fs, root.dentry);
  w->root_mnt = BPF_CORE_READ(t, fs, root.mnt);
  w->n = 0;
  w->cut = 1;
  bpf_loop(SENSOR_PATH_COMPONENTS + 16, walk_up, NULL, 0);
  if (w->cut) e->flags |= F_PATH_CUT;
  u32 start = *off & DATA_MASK;
  w->off = start;
  if (w->n == 0) {
    e->data[start] = '/';
    w->off = start + 1;
  } else {
    bpf_loop(w->n, append_name, NULL, 0);
  }
  u32 o = w->off & DATA_MASK;
  e->data[o] = 0;
  *off = o + 1;
  return o - start;
}

// `quiet`: the record does not wake the reader; it goes to user space with the next record that does, or when
// the reader looks on its own (every hold, src/ebpf_sensor.c). For execs and exits, every process's, not
// what a rule filter let through: each wake-up was a thread switch and most of an idle node's cost
// (docs/benchmarks.md, Runtime sensors). Once an eighth of the ring waits unread (a loop of forks that exit
// without exec), quiet records wake the reader too. The others force the wake-up: by default the kernel wakes
// the reader only when it has read everything before the new record, never true once a quiet record waits.
static __always_inline void submit_flags(struct sensor_event *e, u32 off, u64 quiet) {
  u32 size = SENSOR_HEADER_SIZE + (off & (SENSOR_DATA_CAP * 2 - 1));
  if (size > sizeof(*e)) size = sizeof(*e);
  e->size = size;
  if (quiet && bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= bpf_ringbuf_query(&events, BPF_RB_RING_SIZE) / 8)
    quiet = 0;
  if (bpf_ringbuf_output(&events, e, size, quiet ? BPF_RB_NO_WAKEUP : BPF_RB_FORCE_WAKEUP) != 0) {
    u32 zero = 0;
    u64 *d = bpf_map_lookup_elem(&drops, &zero);
    if (d) (*d)++;
  }
}

static __always_inline void submit(struct sensor_event *e, u32 off) { submit_flags(e, off, 0); }

// The cgroup path, leaf first, the first time this cgroup is reported (user space caches it by id).
static __always_inline void append_cgroup_once(struct sensor_event *e, u32 *off, struct cgroup *cg) {
  u64 id = e->cgroup;
  if (bpf_map_lookup_elem(&known_cgroups, &id)) return;
  struct kernfs_node *kn = BPF_CORE_READ(cg, kn);
  u32 start = *off & DATA_MASK;
  u32 o = start;
  for (int i = 0; i < 5; i++) {
    if (!kn) break;
    const char *name = BPF_CORE_READ(kn, name);
    o &= DATA_MASK;
    long len = bpf_probe_read_kernel_str(&e->data[o], 128, name);
    if (len <= 1) break;
    o = (o + (u32)len - 1) & DATA_MASK; // the NUL becomes the separator
    e->data[o] = '/';
    o++;
    kn = kn_parent(kn);
  }
  if (o == start) return;
  u32 last = (o - 1) & DATA_MASK;
  e->data[last] = 0;
  o = last + 1;
  e->str_len[STR_CGROUP] = (u16)(last - start);
  *off = o;
  e->flags |= F_CGROUP_NAMES;
  u8 one = 1;
  bpf_map_update_elem(&known_cgroups, &id, &one, BPF_ANY);
}

static __always_inline struct file *fd_file(struct task_struct *t, long fd) {
  if (fd < 0) return NULL;
  struct file **fds = BPF_CORE_READ(t, files, fdt, fd);
  unsigned int max = BPF_CORE_READ(t, files, fdt, max_fds);
  if ((unsigned long)fd >= max) return NULL;
  struct file *f = NULL;
  bpf_core_read(&f, sizeof(f), &fds[fd]);
  return f;
}

// Fills a sockaddr_in / sockaddr_in6 from a socket's remote (peer) or local end.
static __always_inline int socket_addr(struct file *f, unsigned char *out, int local) {
  umode_t mode = BPF_CORE_READ(f, f_inode, i_mode);
  if ((mode & S_IFMT) != S_IFSOCK) return -1;
  struct socket *sock = BPF_CORE_READ(f, private_data);
  struct sock *sk = BPF_CORE_READ(sock, sk);
  u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
  __builtin_memcpy(out, &family, 2);
  if (family == AF_INET) {
    u16 port = local ? bpf_htons(BPF_CORE_READ(sk, __sk_common.skc_num)) : BPF_CORE_READ(sk, __sk_common.skc_dport);
    u32 a = local ? BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr) : BPF_CORE_READ(sk, __sk_common.skc_daddr);
    __builtin_memcpy(out + 2, &port, 2);
    __builtin_memcpy(out + 4, &a, 4);
  } else if (family == AF_INET6) {
    u16 port = local ? bpf_htons(BPF_CORE_READ(sk, __sk_common.skc_num)) : BPF_CORE_READ(sk, __sk_common.skc_dport);
    __builtin_memcpy(out + 2, &port, 2);
    if (local) BPF_CORE_READ_INTO(out + 8, sk, __sk_common.skc_v6_rcv_saddr);
    else BPF_CORE_READ_INTO(out + 8, sk, __sk_common.skc_v6_daddr);
  }
  return family;
}

// The record's data area, words [0, ceil(end / 8)), bytes from `end` on masked (they are an earlier record's).
struct sip_data {
  struct sip s;
  u32 end;
};

static long sip_data_word(u64 i, void *ctx) {
  struct sip_data *d = ctx;
  u32 zero = 0;
  struct sensor_event *e = bpf_map_lookup_elem(&scratch, &zero);
  if (!e) return 1;
  u32 at = ((u32)i << 3) & (DATA_MASK & ~7u);
  if (at >= d->end) return 1;
  u64 m = *(u64 *)&e->data[at];
  u32 keep = d->end - at;
  if (keep < 8) m &= (1ULL << (keep * 8)) - 1;
  sip_word(&d->s, m);
  return 0;
}

static __always_inline void sip_data(struct sip_data *d, u32 end) {
  d->end = end & DATA_MASK;
  bpf_loop((d->end + 7) / 8, sip_data_word, d, 0);
}

// The table entry of a task's process, if it is that process's (not an earlier one's under a reused pid).
static __always_inline struct proc_entry *known_proc(struct task_struct *t) {
  if (!t) return NULL;
  struct task_struct *leader = BPF_CORE_READ(t, group_leader);
  u32 pid = BPF_CORE_READ(t, tgid);
  struct proc_entry *pr = bpf_map_lookup_elem(&procs, &pid);
  if (!pr || pr->start_ns != BPF_CORE_READ(leader, start_time)) return NULL;
  return pr;
}

// Which exec of which process a record comes from (sensor.h `exec_ns`), for user space's process table.
// Both processes are then known to user space (PROC_SEEN): their exits go out.
static __always_inline void fill_exec_ids(struct sensor_event *e, struct task_struct *t) {
  struct proc_entry *pr = known_proc(t);
  e->exec_ns = pr ? pr->exec_ns : 0;
  if (pr) pr->flags |= PROC_SEEN;
  pr = known_proc(BPF_CORE_READ(t, real_parent));
  e->parent_exec_ns = pr ? pr->exec_ns : 0;
  if (pr) pr->flags |= PROC_SEEN;
}

static __always_inline void count_quiet(u32 which) {
  u64 *n = bpf_map_lookup_elem(&quiet_hits, &which);
  if (n) (*n)++;
}

// Copies `len` bytes of the record's data from `at` into a table entry's string (cut at `cap` - 1 bytes).
#define COPY_STRING(dst, cap, at, len, cut)                                                                  \
  do {                                                                                                       \
    u32 n_ = (len);                                                                                          \
    if (n_ > (cap) - 1) {                                                                                    \
      n_ = (cap) - 1;                                                                                        \
      cut = 1;                                                                                               \
    }                                                                                                        \
    n_ &= (cap) - 1;                                                                                         \
    if (n_) bpf_probe_read_kernel(dst, n_, &e->data[(at) & DATA_MASK]);                                      \
    dst[n_ & ((cap) - 1)] = 0;                                                                               \
  } while (0)

// Writes the exec's process into `procs`: quiet or not, a later event of it or of a child can name it. 0 when
// the table had no room: then the exec is not kept quiet either (user space would never learn the process).
static __always_inline int remember_exec(struct sensor_event *e, struct task_struct *p, u64 facts, u32 args_at,
                                         u32 cwd_at, int quiet) {
  u32 zero = 0;
  struct proc_entry *pr = bpf_map_lookup_elem(&proc_scratch, &zero);
  if (!pr) return 0;
  int cut = (e->flags & F_ARGS_CUT) != 0;
  pr->exec_ns = e->time_ns;
  pr->start_ns = BPF_CORE_READ(p, start_time);
  pr->facts = facts;
  pr->cgroup = e->cgroup;
  pr->ppid = e->ppid;
  pr->uid = e->uid;
  pr->gid = e->gid;
  pr->pad = 0;
  pr->stdio[0] = e->arg[0];
  pr->stdio[1] = e->arg[1];
  pr->stdio[2] = e->arg[2];
  pr->ns_pid = (u32)e->arg[3];
  pr->pad2 = 0;
  __builtin_memcpy(pr->comm, e->comm, sizeof(pr->comm));
  COPY_STRING(pr->exe, PROC_EXE, 0, e->str_len[STR_PATH], cut);
  COPY_STRING(pr->args, PROC_ARGS, args_at, e->str_len[STR_ARGS], cut);
  COPY_STRING(pr->cwd, PROC_CWD, cwd_at, e->str_len[STR_CWD], cut);
  pr->exe_len = e->str_len[STR_PATH] < PROC_EXE ? e->str_len[STR_PATH] : PROC_EXE - 1;
  pr->args_len = e->str_len[STR_ARGS] < PROC_ARGS ? e->str_len[STR_ARGS] : PROC_ARGS - 1;
  pr->cwd_len = e->str_len[STR_CWD] < PROC_CWD ? e->str_len[STR_CWD] : PROC_CWD - 1;
  pr->flags = (quiet ? PROC_QUIET : PROC_SEEN) | (cut ? PROC_CUT : 0);
  u32 pid = e->pid;
  struct proc_entry *before = bpf_map_lookup_elem(&procs, &pid);
  if (before && before->start_ns == pr->start_ns) {
    pr->flags |= before->flags & PROC_SEEN;
    bpf_map_update_elem(&procs_prev, &pid, before, BPF_ANY);
  } else {
    bpf_map_delete_elem(&procs_prev, &pid);
  }
  return bpf_map_update_elem(&procs, &pid, pr, BPF_ANY) == 0;
}

// The exec's no-match memo key: everything of the record that a rule can read (core/runtime/rule-input.ts),
// none of what differs between two runs of the same command (pids, time): the data area (exe, argv, cwd, the
// path given to execve), ids, cgroups, fds 0-2 and a stdin socket's ends, whether it is a namespace's init,
// name, ancestors' names; the parent's facts from the table; the cgroup's and the rule set's epochs. `facts`
// is the part a child's key takes from this process (the watcher's parent fields: name, exe, cmdline, uid).
static __always_inline u64 exec_key(struct sensor_event *e, const struct sensor_config *c, u32 facts_end,
                                    u32 end, u64 parent_facts, u64 *facts) {
  struct sip_data d;
  sip_init(&d.s, c);
  sip_data(&d, facts_end);
  sip_bytes(&d.s, e->comm, 2);
  sip_word(&d.s, (u64)e->uid << 1 | ((e->flags & F_ARGS_CUT) != 0));
  *facts = sip_final(&d.s, facts_end);
  sip_init(&d.s, c);
  sip_word(&d.s, *facts);
  sip_word(&d.s, parent_facts);
  sip_data(&d, end);
  u64 w[9] = {};
  __builtin_memcpy(w, e->addr, 68); // addr, laddr, str_len: offsets 104-171 (sensor.h)
  sip_bytes(&d.s, w, 9);
  u64 anc[8];
  __builtin_memcpy(anc, e->anc_comm, sizeof(anc));
  sip_bytes(&d.s, anc, 8);
  sip_word(&d.s, e->flags | (u64)e->gid << 32);
  sip_word(&d.s, e->cgroup);
  sip_word(&d.s, e->parent_cgroup);
  sip_word(&d.s, e->arg[0]);
  sip_word(&d.s, e->arg[1]);
  sip_word(&d.s, e->arg[2]);
  sip_word(&d.s, (e->arg[3] == 1) | (e->pid == 1) << 1);
  u64 cg = e->cgroup;
  u32 *epoch = bpf_map_lookup_elem(&cgroup_epoch, &cg);
  sip_word(&d.s, (epoch ? *epoch : 0) | (u64)c->epoch << 32);
  return sip_final(&d.s, end);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm) {
  struct cgroup *cg;
  int in_container;
  if (!watched(p, &cg, &in_container)) return 0;
  struct sensor_event *e = start_event(p, cg, in_container, K_EXEC);
  if (!e) return 0;
  u32 off = 0;
  struct file *exe = BPF_CORE_READ(bprm, file);
  struct path exe_path = BPF_CORE_READ(exe, f_path);
  e->str_len[STR_PATH] = append_path(e, &off, &exe_path, p);
  if (BPF_CORE_READ(exe, f_inode, __i_nlink) == 0) e->flags |= F_EXE_DELETED;
  char head[8] = {};
  bpf_probe_read_kernel_str(head, sizeof(head), BPF_CORE_READ(exe, f_path.dentry, d_name.name));
  if (head[0] == 'm' && head[1] == 'e' && head[2] == 'm' && head[3] == 'f' && head[4] == 'd' && head[5] == ':')
    e->flags |= F_EXE_MEMFD;
  // argv: the new image's arguments, NUL-separated, as the kernel copied them onto its stack.
  unsigned long start = BPF_CORE_READ(p, mm, arg_start);
  unsigned long end = BPF_CORE_READ(p, mm, arg_end);
  unsigned long len = end > start ? end - start : 0;
  if (len > SENSOR_STR_MAX - 1) {
    len = SENSOR_STR_MAX - 1;
    e->flags |= F_ARGS_CUT;
  }
  u32 o = off & DATA_MASK;
  u32 args_at = o;
  if (len > 0 && bpf_probe_read_user(&e->data[o], len & STR_MASK, (void *)start) == 0) {
    e->str_len[STR_ARGS] = (u16)len;
    off = o + (u32)(len & STR_MASK);
    e->data[off & DATA_MASK] = 0;
    off++;
  }
  u32 facts_end = off, cwd_at = off;
  struct path pwd = BPF_CORE_READ(p, fs, pwd);
  e->str_len[STR_CWD] = append_path(e, &off, &pwd, p);
  e->str_len[STR_FILENAME] = append_str(e, &off, BPF_CORE_READ(bprm, filename), 0);
  // What fds 0-2 are: a terminal, a pipe, a TCP socket (the shape of a reverse shell), read here, not raced.
  for (int i = 0; i < 3; i++) {
    struct file *f = fd_file(p, i);
    u64 d = 0;
    if (f) {
      umode_t mode = BPF_CORE_READ(f, f_inode, i_mode);
      d = mode & S_IFMT;
      if (d == S_IFSOCK) {
        struct socket *sock = BPF_CORE_READ(f, private_data);
        d |= (u64)BPF_CORE_READ(sock, sk, __sk_common.skc_family) << 32;
        if (i == 0) { // a shell on a TCP socket: its peer is the address a reverse shell calls home to
          socket_addr(f, e->addr, 0);
          socket_addr(f, e->laddr, 1);
        }
      }
      else d |= (u64)(BPF_CORE_READ(f, f_inode, i_rdev) >> 20) << 48;
    }
    e->arg[i] = d;
  }
  struct pid *tp = BPF_CORE_READ(p, thread_pid);
  unsigned int level = BPF_CORE_READ(tp, level);
  struct upid up = {};
  bpf_core_read(&up, sizeof(up), &tp->numbers[level & 7]);
  e->arg[3] = up.nr;
  struct task_struct *parent = BPF_CORE_READ(p, real_parent);
  e->parent_cgroup = parent ? BPF_CORE_READ(task_cgroup(parent), kn, id) : 0;
  // The no-match memo: an exec user space already judged to match nothing, with the same everything a rule
  // reads, stays here (counted); so does its exit. Its process goes into the table either way.
  u32 zero = 0;
  struct sensor_config *c = bpf_map_lookup_elem(&sensor_config, &zero);
  if (!c) return 0;
  struct proc_entry *pe = known_proc(parent);
  u64 parent_facts = pe ? pe->facts : 0;
  e->exec_ns = e->time_ns;
  e->parent_exec_ns = pe ? pe->exec_ns : 0;
  u64 facts = 0;
  u64 key = exec_key(e, c, facts_end, off, parent_facts, &facts);
  e->quiet_key = key;
  int quiet = bpf_map_lookup_elem(&quiet_execs, &key) != NULL;
  // Not in the table (full): it goes out, so that user space knows the process.
  if (!remember_exec(e, p, facts, args_at, cwd_at, quiet)) quiet = 0;
  if (!quiet && pe) pe->flags |= PROC_SEEN; // user space may look the parent up: it must hear of its exit
  if (quiet) {
    count_quiet(Q_EXECS);
    return 0;
  }
  append_cgroup_once(e, &off, cg);
  submit_flags(e, off, 1); // quiet: the reader reads execs within its hold (src/ebpf_sensor.c `reader`)
  return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit, struct task_struct *p) {
  if (BPF_CORE_READ(p, pid) != BPF_CORE_READ(p, tgid)) return 0; // a thread, not the process
  u32 pid = BPF_CORE_READ(p, tgid);
  struct proc_entry *pr = known_proc(p);
  u64 exec_ns = pr ? pr->exec_ns : 0;
  int quiet = pr && !(pr->flags & PROC_SEEN);
  if (pr && !quiet) {
    // User space may still be reading records that name it (a short process's open is read after it ended):
    // the entry stays until user space has read this exit and forgets it.
    pr->flags |= PROC_EXITED;
  } else {
    bpf_map_delete_elem(&procs, &pid);
    bpf_map_delete_elem(&procs_prev, &pid);
  }
  if (quiet) { // user space never heard of this process: nothing to end
    count_quiet(Q_EXITS);
    return 0;
  }
  struct cgroup *cg;
  int in_container;
  if (!watched(p, &cg, &in_container)) return 0;
  struct sensor_event *e = start_event(p, cg, in_container, K_EXIT);
  if (!e) return 0;
  e->exec_ns = exec_ns;
  e->arg[0] = BPF_CORE_READ(p, exit_code);
  submit_flags(e, 0, 1);
  return 0;
}

static __always_inline long syscall_nr(struct pt_regs *regs) {
#if defined(__TARGET_ARCH_x86)
  return BPF_CORE_READ(regs, orig_ax);
#elif defined(__TARGET_ARCH_arm64)
  return BPF_CORE_READ((struct user_pt_regs *)regs, regs[8]);
#else
#error "seco sensor: x86 or arm64"
#endif
}

static __always_inline u32 syscall_entry(long nr) {
  if (nr < 0 || nr >= SENSOR_MAX_SYSCALL) return 0;
  u32 key = (u32)nr;
  u32 *v = bpf_map_lookup_elem(&syscalls, &key);
  return v ? *v : 0;
}

static __always_inline int setid_to_root(struct pt_regs *regs, u32 sub, struct sensor_event *e) {
  e->arg[0] = PT_REGS_PARM1_CORE_SYSCALL(regs);
  e->arg[1] = sub >= S_SETID_RE ? PT_REGS_PARM2_CORE_SYSCALL(regs) : (u32)-1;
  e->arg[2] = sub == S_SETID_RES ? PT_REGS_PARM3_CORE_SYSCALL(regs) : (u32)-1;
  return (u32)e->arg[0] == 0 || (u32)e->arg[1] == 0 || (u32)e->arg[2] == 0;
}

// Syscalls reported at entry: everything they say is in their arguments.
static __always_inline void enter_now(struct task_struct *t, struct cgroup *cg, int in_c, u32 kind, u32 sub,
                                      struct pt_regs *regs) {
  struct sensor_event *e = start_event(t, cg, in_c, kind);
  if (!e) return;
  e->sub = sub;
  u32 off = 0;
  switch (kind) {
  case K_DUP: {
    long oldfd = PT_REGS_PARM1_CORE_SYSCALL(regs);
    long newfd = PT_REGS_PARM2_CORE_SYSCALL(regs);
    if (newfd < 0 || newfd > 2) return; // only stdio onto a socket is the shape of a reverse shell
    struct file *f = fd_file(t, oldfd);
    if (!f) return;
    int family = socket_addr(f, e->addr, 0);
    if (family != AF_INET && family != AF_INET6) return; // node and runc hand children unix socketpairs
    socket_addr(f, e->laddr, 1);
    e->arg[0] = oldfd;
    e->arg[1] = newfd;
    break;
  }
  case K_MEMFD:
    e->str_len[STR_PATH] = append_str(e, &off, (void *)PT_REGS_PARM1_CORE_SYSCALL(regs), 1);
    e->arg[0] = PT_REGS_PARM2_CORE_SYSCALL(regs);
    break;
  case K_PTRACE:
    e->arg[0] = PT_REGS_PARM1_CORE_SYSCALL(regs);
    e->arg[1] = PT_REGS_PARM2_CORE_SYSCALL(regs);
    break;
  case K_SETUID:
  case K_SETGID:
    if (!setid_to_root(regs, sub, e)) return;
    break;
  case K_MOUNT:
    e->str_len[STR_PATH] = append_str(e, &off, (void *)PT_REGS_PARM1_CORE_SYSCALL(regs), 1);
    e->str_len[STR_ARGS] = append_str(e, &off, (void *)PT_REGS_PARM2_CORE_SYSCALL(regs), 1);
    e->str_len[STR_EXTRA] = append_str(e, &off, (void *)PT_REGS_PARM3_CORE_SYSCALL(regs), 1);
    e->arg[0] = PT_REGS_PARM4_CORE_SYSCALL(regs);
    break;
  case K_UNSHARE:
    e->arg[0] = PT_REGS_PARM1_CORE_SYSCALL(regs);
    break;
  case K_SETNS: {
    long fd = PT_REGS_PARM1_CORE_SYSCALL(regs);
    e->arg[0] = fd;
    e->arg[1] = PT_REGS_PARM2_CORE_SYSCALL(regs);
    struct file *f = fd_file(t, fd);
    if (!f) break;
    struct inode *inode = BPF_CORE_READ(f, f_inode);
    if (BPF_CORE_READ(inode, i_sb, s_magic) == NSFS_MAGIC) {
      // A namespace file has no path of its own (d_path shows ns_dname()'s "mnt:[4026531841]"): its type
      // and inode number are what say which namespace, as /proc/<pid>/ns/<type> links do (fs/nsfs.c).
      struct ns_common *ns = BPF_CORE_READ(inode, i_private);
      e->arg[2] = BPF_CORE_READ(inode, i_ino);
      e->str_len[STR_EXTRA] = append_str(e, &off, BPF_CORE_READ(ns, ops, name), 0);
    } else { // a pidfd (setns on a process), or whatever else the caller passed
      struct path p = BPF_CORE_READ(f, f_path);
      e->str_len[STR_PATH] = append_path(e, &off, &p, t);
    }
    break;
  }
  case K_MODULE:
    if (sub == S_FINIT_MODULE) {
      long fd = PT_REGS_PARM1_CORE_SYSCALL(regs);
      e->arg[0] = fd;
      struct file *f = fd_file(t, fd);
      if (f) {
        struct path p = BPF_CORE_READ(f, f_path);
        e->str_len[STR_PATH] = append_path(e, &off, &p, t);
      }
    } else {
      e->arg[1] = PT_REGS_PARM2_CORE_SYSCALL(regs);
    }
    break;
  case K_BPF: {
    long cmd = PT_REGS_PARM1_CORE_SYSCALL(regs);
    // Loading or attaching code, creating maps or BTF: not the lookups a legitimate tool does in a loop.
    if (cmd != 0 && cmd != 5 && cmd != 8 && cmd != 17 && cmd != 18 && cmd != 28) return;
    e->arg[0] = cmd;
    break;
  }
  default:
    return;
  }
  fill_exec_ids(e, t);
  append_cgroup_once(e, &off, cg);
  submit(e, off);
}

SEC("raw_tp/sys_enter")
int on_sys_enter(struct bpf_raw_tracepoint_args *ctx) {
  u32 entry = syscall_entry(ctx->args[1]);
  if (!entry) return 0;
  struct task_struct *t = (struct task_struct *)bpf_get_current_task_btf();
  struct cgroup *cg;
  int in_c;
  if (!watched(t, &cg, &in_c)) return 0;
  struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
  u32 kind = entry & 0xff, sub = entry >> 8;
  if (kind != K_OPEN && kind != K_CONNECT && kind != K_ACCEPT && kind != K_LISTEN) {
    enter_now(t, cg, in_c, kind, sub, regs);
    return 0;
  }
  struct pending pend = {.kind = kind, .sub = sub};
  if (kind == K_OPEN) {
    if (sub == S_OPEN) pend.arg[0] = PT_REGS_PARM2_CORE_SYSCALL(regs);
    else if (sub == S_OPENAT) pend.arg[0] = PT_REGS_PARM3_CORE_SYSCALL(regs);
    else if (sub == S_CREAT) pend.arg[0] = O_CREAT | O_TRUNC | 1;
    else bpf_probe_read_user(&pend.arg[0], 8, (void *)PT_REGS_PARM3_CORE_SYSCALL(regs)); // open_how.flags
  } else if (kind == K_CONNECT) {
    pend.arg[0] = PT_REGS_PARM1_CORE_SYSCALL(regs);
    void *uaddr = (void *)PT_REGS_PARM2_CORE_SYSCALL(regs);
    u16 family = 0;
    bpf_probe_read_user(&family, 2, uaddr);
    if (family != AF_INET && family != AF_INET6) return 0; // local (unix) connects are not network
    bpf_probe_read_user(pend.addr, family == AF_INET ? 16 : 28, uaddr);
  } else {
    pend.arg[0] = PT_REGS_PARM1_CORE_SYSCALL(regs);
  }
  u32 tid = (u32)bpf_get_current_pid_tgid();
  bpf_map_update_elem(&pending, &tid, &pend, BPF_ANY);
  return 0;
}

static __always_inline int open_wanted(struct sensor_event *e, u32 path_len, u64 flags) {
  struct prefix_key key = {.prefixlen = SENSOR_PREFIX_CAP * 8};
  __builtin_memset(key.data, 0, sizeof(key.data));
  bpf_probe_read_kernel(key.data, path_len < SENSOR_PREFIX_CAP ? (path_len & (SENSOR_PREFIX_CAP - 1)) + 1 : SENSOR_PREFIX_CAP, e->data);
  u32 *mode = bpf_map_lookup_elem(&path_prefixes, &key);
  if (!mode) return 0;
  int writes = (flags & O_ACCMODE) != 0 || (flags & (O_CREAT | O_TRUNC)) != 0;
  return (*mode & (writes ? P_WRITE : P_READ)) != 0;
}

SEC("raw_tp/sys_exit")
int on_sys_exit(struct bpf_raw_tracepoint_args *ctx) {
  struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
  u32 entry = syscall_entry(syscall_nr(regs));
  u32 kind = entry & 0xff;
  if (kind != K_OPEN && kind != K_CONNECT && kind != K_ACCEPT && kind != K_LISTEN) return 0;
  u32 tid = (u32)bpf_get_current_pid_tgid();
  struct pending *pend = bpf_map_lookup_elem(&pending, &tid);
  if (!pend) return 0;
  struct pending p = *pend;
  bpf_map_delete_elem(&pending, &tid);
  long ret = ctx->args[1];
  struct task_struct *t = (struct task_struct *)bpf_get_current_task_btf();
  struct cgroup *cg;
  int in_c;
  if (!watched(t, &cg, &in_c)) return 0;
  if (kind != K_CONNECT && ret < 0) return 0;
  struct sensor_event *e = start_event(t, cg, in_c, kind);
  if (!e) return 0;
  e->sub = p.sub;
  e->ret = ret;
  u32 off = 0;
  if (kind == K_OPEN) {
    struct file *f = fd_file(t, ret);
    if (!f) return 0;
    struct path fp = BPF_CORE_READ(f, f_path);
    u32 len = append_path(e, &off, &fp, t);
    if (!open_wanted(e, len, p.arg[0])) return 0;
    e->str_len[STR_PATH] = (u16)len;
    e->arg[0] = p.arg[0];
  } else if (kind == K_CONNECT) {
    e->arg[0] = p.arg[0];
    __builtin_memcpy(e->addr, p.addr, sizeof(e->addr));
    struct file *f = fd_file(t, p.arg[0]);
    if (f) socket_addr(f, e->laddr, 1);
  } else {
    long fd = kind == K_ACCEPT ? ret : (long)p.arg[0];
    struct file *f = fd_file(t, fd);
    if (!f) return 0;
    int family = socket_addr(f, e->laddr, 1);
    if (family != AF_INET && family != AF_INET6) return 0;
    if (kind == K_ACCEPT) socket_addr(f, e->addr, 0);
    e->arg[0] = fd;
  }
  fill_exec_ids(e, t);
  append_cgroup_once(e, &off, cg);
  submit(e, off);
  return 0;
}
