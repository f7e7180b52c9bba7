// Loader of seco's eBPF sensor (bpf/sensor.bpf.c) as a Node addon, linked with libbpf.
//
// open(options, callback) loads the CO-RE object, fills the filter maps the rule set compiled to
// (core/runtime/kernel-filter.ts), attaches, and starts a reader thread on the ring buffer. The thread copies
// records into batches (one Buffer per poll round, records back to back, each starting with its u32 size)
// and hands them to JavaScript through a thread-safe function whose queue is bounded: when JavaScript falls
// behind, the thread waits, the ring buffer fills, and the kernel counts drops (map `drops`) — never silent.
// An open identical to one already in the batch (same process, cgroup, flags and path: a loop re-reading a
// file) is not copied again but counted on it (`repeats`), so a flood costs JavaScript one event per
// distinct open per batch. Parsing stays in TypeScript (core/runtime/ebpf-record.ts).
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <malloc.h>
#include <node_api.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "../bpf/sensor.h"

#define BATCH_CAP (256 << 10)
#define QUEUE_BATCHES 16
#define FOLD_SLOTS 32  // distinct opens remembered per batch for folding

typedef struct {
  struct bpf_object *obj;
  struct bpf_link *links[8];
  int nlinks;
  struct ring_buffer *rb;
  int drops_fd;
  pthread_t thread;
  napi_threadsafe_function tsfn;
  volatile int closed;
  char *batch;
  size_t batch_len;
  size_t fold_at[FOLD_SLOTS];  // offsets of the latest distinct open records in the batch
  unsigned fold_n;
  int in_flight;               // batches handed to JavaScript and not yet called back (atomic)
  int hold_ms;                 // a batch waits this long for more records before it goes to JavaScript
  double batch_since;          // CLOCK_BOOTTIME ms of the batch's first record's event (its time_ns)
  int urgent;                  // the batch holds a record the kernel's rule filters let through (not exec/exit)
  struct sensor_config config; // as written to the kernel: epoch bumps rewrite it whole
  int config_fd, procs_fd, prev_fd, quiet_fd, epochs_fd, hits_fd;
} sensor_t;

typedef struct {
  char *data;
  size_t len;
  double boot_to_epoch_ms;
} batch_t;

// Syscall numbers per architecture (arch/x86/entry/syscalls/syscall_64.tbl; include/uapi/asm-generic/unistd.h).
typedef struct {
  int nr;
  int kind;
  int sub;
} syscall_entry_t;

static const syscall_entry_t SYSCALLS[] = {
#if defined(__x86_64__)
  {2, K_OPEN, S_OPEN}, {257, K_OPEN, S_OPENAT}, {437, K_OPEN, S_OPENAT2}, {85, K_OPEN, S_CREAT},
  {42, K_CONNECT, 0}, {43, K_ACCEPT, S_ACCEPT}, {288, K_ACCEPT, S_ACCEPT4}, {50, K_LISTEN, 0},
  {33, K_DUP, S_DUP2}, {292, K_DUP, S_DUP3}, {319, K_MEMFD, 0}, {101, K_PTRACE, 0},
  {105, K_SETUID, S_SETID_ONE}, {113, K_SETUID, S_SETID_RE}, {117, K_SETUID, S_SETID_RES},
  {106, K_SETGID, S_SETID_ONE}, {114, K_SETGID, S_SETID_RE}, {119, K_SETGID, S_SETID_RES},
  {165, K_MOUNT, 0}, {272, K_UNSHARE, 0}, {308, K_SETNS, 0},
  {175, K_MODULE, S_INIT_MODULE}, {313, K_MODULE, S_FINIT_MODULE}, {321, K_BPF, 0},
#elif defined(__aarch64__)
  {56, K_OPEN, S_OPENAT}, {437, K_OPEN, S_OPENAT2},
  {203, K_CONNECT, 0}, {202, K_ACCEPT, S_ACCEPT}, {242, K_ACCEPT, S_ACCEPT4}, {201, K_LISTEN, 0},
  {24, K_DUP, S_DUP3}, {279, K_MEMFD, 0}, {117, K_PTRACE, 0},
  {146, K_SETUID, S_SETID_ONE}, {145, K_SETUID, S_SETID_RE}, {147, K_SETUID, S_SETID_RES},
  {144, K_SETGID, S_SETID_ONE}, {143, K_SETGID, S_SETID_RE}, {149, K_SETGID, S_SETID_RES},
  {40, K_MOUNT, 0}, {97, K_UNSHARE, 0}, {268, K_SETNS, 0},
  {105, K_MODULE, S_INIT_MODULE}, {273, K_MODULE, S_FINIT_MODULE}, {280, K_BPF, 0},
#endif
};

// libbpf's messages (the verifier's log on a refused program) end up in the error thrown to JavaScript.
static char last_log[2048];

static int on_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args) {
  if (level == LIBBPF_DEBUG) return 0;
  char *text = NULL;
  if (vasprintf(&text, fmt, args) < 0) return 0;
  if (getenv("SECO_BPF_DEBUG")) fputs(text, stderr);  // the whole verifier log, for whoever changes the program
  // Keep the tail: the verifier says why it refused at the end of its log.
  size_t half = sizeof last_log / 2, have = strlen(last_log), add = strlen(text);
  const char *tail = add >= half ? text + add - (half - 1) : text;
  add = strlen(tail);
  if (have + add >= sizeof last_log) {
    memmove(last_log, last_log + (have - (half - 1)), half);
    have = half - 1;
  }
  memcpy(last_log + have, tail, add + 1);
  free(text);
  return 0;
}

static double clock_ms(clockid_t id) {
  struct timespec t;
  clock_gettime(id, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void flush(sensor_t *s) {
  if (!s->batch_len) return;
  batch_t *b = malloc(sizeof *b);
  if (!b) return;
  b->data = s->batch;
  b->len = s->batch_len;
  b->boot_to_epoch_ms = clock_ms(CLOCK_REALTIME) - clock_ms(CLOCK_BOOTTIME);
  s->batch = NULL;
  s->batch_len = 0;
  s->fold_n = 0;
  s->urgent = 0;
  // Blocking: a full queue holds the reader here and the kernel side counts what overflows.
  __atomic_add_fetch(&s->in_flight, 1, __ATOMIC_SEQ_CST);
  if (napi_call_threadsafe_function(s->tsfn, b, napi_tsfn_blocking) != napi_ok) {
    __atomic_sub_fetch(&s->in_flight, 1, __ATOMIC_SEQ_CST);
    free(b->data);
    free(b);
  }
}

// The same open as one already in this batch: counted on that one (sensor.h `repeats`) instead of copied.
static int fold_open(sensor_t *s, const struct sensor_event *e, size_t size) {
  if (e->kind != K_OPEN) return 0;
  for (unsigned i = 0; i < s->fold_n && i < FOLD_SLOTS; i++) {
    struct sensor_event *b = (struct sensor_event *)(s->batch + s->fold_at[i]);
    if (b->pid != e->pid || b->cgroup != e->cgroup || b->arg[0] != e->arg[0] ||
        b->str_len[STR_PATH] != e->str_len[STR_PATH] || b->sub != e->sub)
      continue;
    if (memcmp(b->data, e->data, e->str_len[STR_PATH])) continue;
    b->repeats++;
    return 1;
  }
  (void)size;
  return 0;
}

static int on_record(void *ctx, void *data, size_t size) {
  sensor_t *s = ctx;
  if (size < SENSOR_HEADER_SIZE || size > BATCH_CAP) return 0;
  const struct sensor_event *e = data;
  if (e->str_len[STR_PATH] > size - SENSOR_HEADER_SIZE) return 0;  // not what sensor.bpf.c writes
  if (s->batch && fold_open(s, e, size)) return 0;
  if (s->batch_len + size > BATCH_CAP) flush(s);
  if (!s->batch && !(s->batch = malloc(BATCH_CAP))) return 0;
  if (!s->batch_len) s->batch_since = (double)e->time_ns / 1e6;  // the hold counts from the syscall
  if (e->kind != K_EXEC && e->kind != K_EXIT) s->urgent = 1;
  memcpy(s->batch + s->batch_len, data, size);
  // The record's own size field says where the next one starts; make it the copied length.
  uint32_t n = (uint32_t)size;
  memcpy(s->batch + s->batch_len, &n, 4);
  ((struct sensor_event *)(s->batch + s->batch_len))->repeats = 0;
  if (e->kind == K_OPEN) s->fold_at[s->fold_n++ % FOLD_SLOTS] = s->batch_len;
  s->batch_len += size;
  return 0;
}

// Execs and exits are every process's, not what a rule filter let through: a batch of only those goes to
// JavaScript once its first record has waited `hold_ms` (or it is half full), not at each wake-up. On an idle
// node each exec used to cost one call into JavaScript (≈ 0.3 ms of a cold interpreter, more than the
// record's own work; docs/benchmarks.md, Runtime sensors); now the execs of a hold share one. The hold is
// bounded under the detection-latency target (issue 13: p95 ≤ 50 ms); any other record (an open under a
// watched prefix, a connect, …) goes at once, with whatever waits before it. While JavaScript still
// works on a batch, the reader keeps draining the ring into the next one instead of queueing many small
// batches: under a flood the queue then never fills (a full queue stops the reader and the ring overflows).
static void *reader(void *arg) {
  sensor_t *s = arg;
  while (!s->closed) {
    // Execs and exits are written without a wake-up (bpf/sensor.bpf.c `submit_flags`): the reader looks for
    // them every hold; anything else wakes it at once.
    int timeout = s->hold_ms > 0 ? s->hold_ms : 1;
    if (s->batch_len && s->urgent) {
      timeout = 2;
    } else if (s->batch_len) {
      int busy = __atomic_load_n(&s->in_flight, __ATOMIC_SEQ_CST) > 0;
      double left = s->batch_since + s->hold_ms - clock_ms(CLOCK_BOOTTIME);
      timeout = busy ? 2 : left < 1 ? 1 : (int)left;
    }
    int n = ring_buffer__poll(s->rb, timeout);
    if (n < 0 && n != -EINTR) break;
    // A timeout: records written without a wake-up (execs, exits) are read now.
    if (n == 0 && ring_buffer__consume(s->rb) < 0) break;
    if (!s->batch_len) continue;
    int due = s->urgent || clock_ms(CLOCK_BOOTTIME) - s->batch_since >= s->hold_ms;
    if ((due && __atomic_load_n(&s->in_flight, __ATOMIC_SEQ_CST) == 0) || s->batch_len > BATCH_CAP / 2) flush(s);
  }
  free(s->batch);
  s->batch = NULL;
  return NULL;
}

static void call_js(napi_env env, napi_value cb, void *context, void *data) {
  sensor_t *s = context;
  batch_t *b = data;
  if (env && cb) {
    napi_value buf, offset, global, result, argv[2];
    void *dest;
    if (napi_create_buffer_copy(env, b->len, b->data, &dest, &buf) == napi_ok) {
      napi_create_double(env, b->boot_to_epoch_ms, &offset);
      argv[0] = buf;
      argv[1] = offset;
      napi_get_global(env, &global);
      napi_call_function(env, global, cb, 2, argv, &result);
    }
  }
  free(b->data);
  free(b);
  __atomic_sub_fetch(&s->in_flight, 1, __ATOMIC_SEQ_CST);
}

static napi_value throw_msg(napi_env env, const char *what, int err) {
  char text[3072];
  snprintf(text, sizeof text, "%s: %s%s%s", what, strerror(err < 0 ? -err : err), last_log[0] ? "; libbpf: " : "",
           last_log);
  napi_throw_error(env, "ERR_EBPF_SENSOR", text);
  return NULL;
}

static napi_value get_prop(napi_env env, napi_value obj, const char *key) {
  napi_value v = NULL;
  napi_get_named_property(env, obj, key, &v);
  return v;
}

static double get_num(napi_env env, napi_value obj, const char *key, double fallback) {
  double d;
  napi_value v = get_prop(env, obj, key);
  return v && napi_get_value_double(env, v, &d) == napi_ok ? d : fallback;
}

static uint32_t array_len(napi_env env, napi_value arr) {
  uint32_t n = 0;
  bool is_array = false;
  if (arr && napi_is_array(env, arr, &is_array) == napi_ok && is_array) napi_get_array_length(env, arr, &n);
  return n;
}

static void destroy(sensor_t *s) {
  if (s->rb) ring_buffer__free(s->rb);
  for (int i = 0; i < s->nlinks; i++) bpf_link__destroy(s->links[i]);
  if (s->obj) bpf_object__close(s->obj);
  free(s);
}

static int fill_filters(napi_env env, sensor_t *s, napi_value o);

// The filter maps: wanted syscalls, container cgroup roots, path prefixes, the sensor's own config.
static int fill_maps(napi_env env, sensor_t *s, napi_value o) {
  int fd = bpf_object__find_map_fd_by_name(s->obj, "sensor_config");
  s->config.include_host = get_num(env, o, "includeHost", 0) != 0;
  s->config.self_pid = (unsigned int)get_num(env, o, "selfPid", 0);
  // The memo's SipHash key (bpf/sensor.bpf.c `exec_key`): secret, so no process can aim at a known key.
  if (getrandom(s->config.key, sizeof s->config.key, 0) != sizeof s->config.key) return -EIO;
  uint32_t zero = 0;
  if (bpf_map_update_elem(fd, &zero, &s->config, BPF_ANY)) return -errno;
  s->config_fd = fd;
  s->procs_fd = bpf_object__find_map_fd_by_name(s->obj, "procs");
  s->prev_fd = bpf_object__find_map_fd_by_name(s->obj, "procs_prev");
  s->quiet_fd = bpf_object__find_map_fd_by_name(s->obj, "quiet_execs");
  s->epochs_fd = bpf_object__find_map_fd_by_name(s->obj, "cgroup_epoch");
  s->hits_fd = bpf_object__find_map_fd_by_name(s->obj, "quiet_hits");

  napi_value roots = get_prop(env, o, "containerRoots");  // decimal strings: cgroup ids are 64-bit
  fd = bpf_object__find_map_fd_by_name(s->obj, "container_roots");
  for (uint32_t i = 0, n = array_len(env, roots); i < n && i < 64; i++) {
    napi_value v;
    char text[32];
    size_t len;
    napi_get_element(env, roots, i, &v);
    if (napi_get_value_string_utf8(env, v, text, sizeof text, &len) != napi_ok) continue;
    uint64_t id = strtoull(text, NULL, 10);
    uint8_t one = 1;
    if (bpf_map_update_elem(fd, &id, &one, BPF_ANY)) return -errno;
  }
  return fill_filters(env, s, o);
}

// The rule set's filters: wanted syscalls and path prefixes. Called again with another rule set, it adds (a
// wider filter only costs; a narrower one while running could hide what a rule still in use needs).
static int fill_filters(napi_env env, sensor_t *s, napi_value o) {
  int fd;
  int kinds = (int)get_num(env, o, "kinds", 0);  // bit per sensor_kind
  fd = bpf_object__find_map_fd_by_name(s->obj, "syscalls");
  for (size_t i = 0; i < sizeof SYSCALLS / sizeof SYSCALLS[0]; i++) {
    if (!(kinds & (1 << SYSCALLS[i].kind))) continue;
    uint32_t key = (uint32_t)SYSCALLS[i].nr, value = (uint32_t)(SYSCALLS[i].kind | SYSCALLS[i].sub << 8);
    if (bpf_map_update_elem(fd, &key, &value, BPF_ANY)) return -errno;
  }

  napi_value prefixes = get_prop(env, o, "prefixes");  // [{prefix, mode}]
  fd = bpf_object__find_map_fd_by_name(s->obj, "path_prefixes");
  for (uint32_t i = 0, n = array_len(env, prefixes); i < n && i < 1024; i++) {
    napi_value item, pv;
    napi_get_element(env, prefixes, i, &item);
    struct prefix_key key;
    memset(&key, 0, sizeof key);
    size_t len = 0;
    pv = get_prop(env, item, "prefix");
    char text[SENSOR_PREFIX_CAP + 1];
    if (!pv || napi_get_value_string_utf8(env, pv, text, sizeof text, &len) != napi_ok) continue;
    memcpy(key.data, text, len);
    key.prefixlen = (unsigned int)len * 8;
    uint32_t mode = (uint32_t)get_num(env, item, "mode", P_READ | P_WRITE);
    if (bpf_map_update_elem(fd, &key, &mode, BPF_ANY)) return -errno;
  }
  return 0;
}

static napi_value close_sensor(napi_env env, napi_callback_info info) {
  void *data;
  napi_get_cb_info(env, info, NULL, NULL, NULL, &data);
  sensor_t *s = data;
  if (s->closed) return NULL;
  s->closed = 1;
  pthread_join(s->thread, NULL);  // wakes within the poll timeout
  napi_release_threadsafe_function(s->tsfn, napi_tsfn_abort);
  if (s->rb) ring_buffer__free(s->rb);
  s->rb = NULL;
  for (int i = 0; i < s->nlinks; i++) bpf_link__destroy(s->links[i]);
  s->nlinks = 0;
  bpf_object__close(s->obj);
  s->obj = NULL;
  // s itself stays allocated (a few hundred bytes): drops() may still be called and answers 0.
  s->drops_fd = -1;
  return NULL;
}

// Records the kernel could not put in the ring buffer (it was full), summed over CPUs.
static napi_value read_drops(napi_env env, napi_callback_info info) {
  void *data;
  napi_get_cb_info(env, info, NULL, NULL, NULL, &data);
  sensor_t *s = data;
  double total = 0;
  if (s->drops_fd >= 0) {
    int cpus = libbpf_num_possible_cpus();
    uint64_t *values = calloc(cpus > 0 ? (size_t)cpus : 1, sizeof *values);
    uint32_t zero = 0;
    if (values && bpf_map_lookup_elem(s->drops_fd, &zero, values) == 0)
      for (int i = 0; i < cpus; i++) total += (double)values[i];
    free(values);
  }
  napi_value out;
  napi_create_double(env, total, &out);
  return out;
}

static sensor_t *this_sensor(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv) {
  void *data;
  napi_get_cb_info(env, info, argc, argv, NULL, &data);
  sensor_t *s = data;
  return s->obj ? s : NULL;
}

static int arg_u64(napi_env env, napi_value v, uint64_t *out) {
  bool lossless;
  return napi_get_value_bigint_uint64(env, v, out, &lossless) == napi_ok && lossless;
}

// refilter({kinds, prefixes}): another rule set's filters, added to what is watched.
static napi_value refilter(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  sensor_t *s = this_sensor(env, info, &argc, argv);
  int err;
  if (!s || argc < 1) return NULL;
  if ((err = fill_filters(env, s, argv[0]))) return throw_msg(env, "cannot widen the sensor's filter maps", err);
  return NULL;
}

// quietExec(key: bigint): an exec the rule engine judged to match nothing; its key's later execs stay in the
// kernel (bpf/sensor.bpf.c `quiet_execs`). The key is the one the kernel put in that exec's record.
static napi_value quiet_exec(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  sensor_t *s = this_sensor(env, info, &argc, argv);
  uint64_t key;
  if (!s || argc < 1 || !arg_u64(env, argv[0], &key)) return NULL;
  uint8_t one = 1;
  bpf_map_update_elem(s->quiet_fd, &key, &one, BPF_ANY);
  return NULL;
}

// rejudgeCgroup(cgroupId: bigint): what rules see of that container changed; its memo keys change with it.
static napi_value rejudge_cgroup(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  sensor_t *s = this_sensor(env, info, &argc, argv);
  uint64_t id;
  if (!s || argc < 1 || !arg_u64(env, argv[0], &id)) return NULL;
  uint32_t epoch = 0;
  bpf_map_lookup_elem(s->epochs_fd, &id, &epoch);
  epoch++;
  if (bpf_map_update_elem(s->epochs_fd, &id, &epoch, BPF_ANY) == 0) return NULL;
  // The epochs map is full (16,384 cgroups re-judged since load): every exec is judged again instead.
  s->config.epoch++;
  uint32_t zero = 0;
  bpf_map_update_elem(s->config_fd, &zero, &s->config, BPF_ANY);
  return NULL;
}

// rejudgeAll(): the rule set changed; every memo key changes (the old ones age out of the LRU map).
static napi_value rejudge_all(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  sensor_t *s = this_sensor(env, info, &argc, NULL);
  if (!s) return NULL;
  s->config.epoch++;
  uint32_t zero = 0;
  bpf_map_update_elem(s->config_fd, &zero, &s->config, BPF_ANY);
  return NULL;
}

static void set_str(napi_env env, napi_value obj, const char *key, const char *text, size_t len) {
  napi_value v;
  napi_create_string_utf8(env, text, strnlen(text, len), &v);
  napi_set_named_property(env, obj, key, v);
}

static void set_u64(napi_env env, napi_value obj, const char *key, uint64_t value) {
  napi_value v;
  napi_create_bigint_uint64(env, value, &v);
  napi_set_named_property(env, obj, key, v);
}

static void set_num(napi_env env, napi_value obj, const char *key, double value) {
  napi_value v;
  napi_create_double(env, value, &v);
  napi_set_named_property(env, obj, key, v);
}

// The (pid: number, execNs: bigint) arguments that name one exec of one process; NULL when they do not.
static sensor_t *exec_args(napi_env env, napi_callback_info info, uint32_t *pid, uint64_t *exec_ns) {
  size_t argc = 2;
  napi_value argv[2];
  sensor_t *s = this_sensor(env, info, &argc, argv);
  if (!s || argc < 2 || napi_get_value_uint32(env, argv[0], pid) != napi_ok || !arg_u64(env, argv[1], exec_ns))
    return NULL;
  return s;
}

// lookupProcess(pid: number, execNs: bigint): the kernel's table entry of that exec of that pid — its current
// one, or the one before if it exec'd again since — or null (a reused pid has neither).
static napi_value lookup_process(napi_env env, napi_callback_info info) {
  napi_value out;
  napi_get_null(env, &out);
  uint32_t pid;
  uint64_t exec_ns;
  struct proc_entry p;
  sensor_t *s = exec_args(env, info, &pid, &exec_ns);
  if (!s) return out;
  if ((bpf_map_lookup_elem(s->procs_fd, &pid, &p) || p.exec_ns != exec_ns) &&
      (bpf_map_lookup_elem(s->prev_fd, &pid, &p) || p.exec_ns != exec_ns))
    return out;
  napi_create_object(env, &out);
  set_u64(env, out, "execNs", p.exec_ns);
  set_u64(env, out, "cgroupId", p.cgroup);
  set_num(env, out, "pid", pid);
  set_num(env, out, "ppid", p.ppid);
  set_num(env, out, "uid", p.uid);
  set_num(env, out, "gid", p.gid);
  set_num(env, out, "flags", p.flags);
  set_num(env, out, "nsPid", p.ns_pid);
  napi_value stdio;
  napi_create_array_with_length(env, 3, &stdio);
  for (uint32_t i = 0; i < 3; i++) {
    napi_value v;
    napi_create_bigint_uint64(env, p.stdio[i], &v);
    napi_set_element(env, stdio, i, v);
  }
  napi_set_named_property(env, out, "stdio", stdio);
  set_str(env, out, "comm", p.comm, sizeof p.comm);
  set_str(env, out, "exe", p.exe, p.exe_len < PROC_EXE ? p.exe_len : PROC_EXE - 1);
  set_str(env, out, "cwd", p.cwd, p.cwd_len < PROC_CWD ? p.cwd_len : PROC_CWD - 1);
  napi_value args;
  void *dest;
  size_t n = p.args_len < PROC_ARGS ? p.args_len : PROC_ARGS - 1;
  napi_create_buffer_copy(env, n, p.args, &dest, &args);
  napi_set_named_property(env, out, "args", args);
  return out;
}

// forgetProcess(pid: number, execNs: bigint): user space read the exit of that exec of that pid: its entries
// go (bpf/sensor.bpf.c keeps an ended process's entries until then). A pid reused since is left alone.
static napi_value forget_process(napi_env env, napi_callback_info info) {
  uint32_t pid;
  uint64_t exec_ns;
  struct proc_entry p;
  sensor_t *s = exec_args(env, info, &pid, &exec_ns);
  if (!s) return NULL;
  if (bpf_map_lookup_elem(s->procs_fd, &pid, &p) || p.exec_ns != exec_ns) return NULL;
  bpf_map_delete_elem(s->procs_fd, &pid);
  bpf_map_delete_elem(s->prev_fd, &pid);
  return NULL;
}

// quietHits(): execs and exits the memo kept in the kernel since start, summed over CPUs.
static napi_value quiet_hits(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  napi_value out;
  napi_create_object(env, &out);
  sensor_t *s = this_sensor(env, info, &argc, NULL);
  const char *names[Q_COUNTERS] = {"execs", "exits"};
  int cpus = libbpf_num_possible_cpus();
  uint64_t *values = calloc(cpus > 0 ? (size_t)cpus : 1, sizeof *values);
  for (uint32_t k = 0; k < Q_COUNTERS; k++) {
    double total = 0;
    if (s && values && bpf_map_lookup_elem(s->hits_fd, &k, values) == 0)
      for (int i = 0; i < cpus; i++) total += (double)values[i];
    set_num(env, out, names[k], total);
  }
  free(values);
  return out;
}

// Adds a container cgroup root (a decimal cgroup id) after start: kubelet may create kubepods after us.
static napi_value add_container_root(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  void *data;
  napi_get_cb_info(env, info, &argc, argv, NULL, &data);
  sensor_t *s = data;
  char text[32];
  size_t len;
  if (argc < 1 || !s->obj || napi_get_value_string_utf8(env, argv[0], text, sizeof text, &len) != napi_ok) return NULL;
  uint64_t id = strtoull(text, NULL, 10);
  uint8_t one = 1;
  bpf_map_update_elem(bpf_object__find_map_fd_by_name(s->obj, "container_roots"), &id, &one, BPF_ANY);
  return NULL;
}

static napi_value open_sensor(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_valuetype t0, t1;
  if (argc < 2 || napi_typeof(env, argv[0], &t0) != napi_ok || t0 != napi_object ||
      napi_typeof(env, argv[1], &t1) != napi_ok || t1 != napi_function) {
    napi_throw_type_error(env, NULL, "open(options: object, callback: function)");
    return NULL;
  }
  char path[1024];
  size_t len = 0;
  napi_value pv = get_prop(env, argv[0], "objectPath");
  if (!pv || napi_get_value_string_utf8(env, pv, path, sizeof path, &len) != napi_ok || !len) {
    napi_throw_type_error(env, NULL, "options.objectPath: the path of sensor.bpf.o");
    return NULL;
  }
  last_log[0] = 0;
  libbpf_set_print(on_libbpf_print);
  sensor_t *s = calloc(1, sizeof *s);
  s->drops_fd = -1;
  s->obj = bpf_object__open_file(path, NULL);
  int err = libbpf_get_error(s->obj);
  if (err) {
    s->obj = NULL;
    destroy(s);
    return throw_msg(env, "cannot open the eBPF object", err);
  }
  struct bpf_map *events = bpf_object__find_map_by_name(s->obj, "events");
  unsigned int ring = (unsigned int)get_num(env, argv[0], "ringBytes", 4 << 20);
  if (events) bpf_map__set_max_entries(events, ring);
  double hold = get_num(env, argv[0], "holdMs", 25);
  s->hold_ms = hold < 0 ? 0 : hold > 1000 ? 1000 : (int)hold;
  if ((err = bpf_object__load(s->obj))) {
    destroy(s);
    return throw_msg(env, "the kernel refused the eBPF sensor", err);
  }
  if ((err = fill_maps(env, s, argv[0]))) {
    destroy(s);
    return throw_msg(env, "cannot fill the sensor's filter maps", err);
  }
  struct bpf_program *prog;
  bpf_object__for_each_program(prog, s->obj) {
    struct bpf_link *link = bpf_program__attach(prog);
    if ((err = libbpf_get_error(link)) || s->nlinks >= 8) {
      char what[160];
      snprintf(what, sizeof what, "cannot attach %s", bpf_program__section_name(prog));
      destroy(s);
      return throw_msg(env, what, err ? err : E2BIG);
    }
    s->links[s->nlinks++] = link;
  }
  s->drops_fd = bpf_object__find_map_fd_by_name(s->obj, "drops");
  s->rb = ring_buffer__new(bpf_map__fd(events), on_record, s, NULL);
  if (!s->rb) {
    err = errno;
    destroy(s);
    return throw_msg(env, "ring_buffer__new", err);
  }
  napi_value name;
  napi_create_string_utf8(env, "seco.ebpfSensor", NAPI_AUTO_LENGTH, &name);
  if (napi_create_threadsafe_function(env, argv[1], NULL, name, QUEUE_BATCHES, 1, NULL, NULL, s, call_js,
                                      &s->tsfn) != napi_ok) {
    destroy(s);
    napi_throw_error(env, NULL, "napi_create_threadsafe_function failed");
    return NULL;
  }
  if (pthread_create(&s->thread, NULL, reader, s) != 0) {
    napi_release_threadsafe_function(s->tsfn, napi_tsfn_abort);
    destroy(s);
    return throw_msg(env, "pthread_create", errno);
  }
  // Loading parsed the kernel's BTF (megabytes, freed by libbpf since): the freed pages go back to the system.
  malloc_trim(0);
  napi_value handle, fn;
  napi_create_object(env, &handle);
  napi_create_function(env, "close", NAPI_AUTO_LENGTH, close_sensor, s, &fn);
  napi_set_named_property(env, handle, "close", fn);
  napi_create_function(env, "drops", NAPI_AUTO_LENGTH, read_drops, s, &fn);
  napi_set_named_property(env, handle, "drops", fn);
  napi_create_function(env, "addContainerRoot", NAPI_AUTO_LENGTH, add_container_root, s, &fn);
  napi_set_named_property(env, handle, "addContainerRoot", fn);
  static const struct {
    const char *name;
    napi_callback cb;
  } MEMO[] = {{"quietExec", quiet_exec}, {"rejudgeCgroup", rejudge_cgroup}, {"rejudgeAll", rejudge_all},
              {"lookupProcess", lookup_process}, {"quietHits", quiet_hits}, {"refilter", refilter},
              {"forgetProcess", forget_process}};
  for (size_t i = 0; i < sizeof MEMO / sizeof MEMO[0]; i++) {
    napi_create_function(env, MEMO[i].name, NAPI_AUTO_LENGTH, MEMO[i].cb, s, &fn);
    napi_set_named_property(env, handle, MEMO[i].name, fn);
  }
  return handle;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "open", NAPI_AUTO_LENGTH, open_sensor, NULL, &fn);
  napi_set_named_property(env, exports, "open", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
