// Loader of seco's eBPF sensor (bpf/sensor.bpf.c) as a Node addon, linked with libbpf.
//
// open(options, callback) loads the CO-RE object, fills the filter maps the rule set compiled to
// (core/runtime/kernel-filter.ts), attaches, and watches the ring buffer from Node's own event loop (a
// uv_poll on libbpf's epoll fd): when the kernel wakes it, the records are copied into one batch (records back
// to back, each starting with its u32 size) and handed to JavaScript at once. No reader thread: one wake-up
// per batch instead of two thread switches, which is most of what an idle node costs (docs/benchmarks.md,
// Runtime sensors). When JavaScript falls behind, the ring buffer fills and the kernel counts drops (map
// `drops`) — never silent. Parsing stays in TypeScript (core/runtime/ebpf-record.ts).
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <node_api.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "../bpf/sensor.h"

#define BATCH_CAP (256 << 10)

typedef struct {
  struct bpf_object *obj;
  struct bpf_link *links[8];
  int nlinks;
  struct ring_buffer *rb;
  int drops_fd;
  int closed;
  napi_env env;
  napi_ref callback;
  napi_async_context async;
  uv_poll_t *poll;  // freed by uv_close's callback
  char batch[BATCH_CAP];
  size_t batch_len;
} sensor_t;

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

// Hands the batch to JavaScript through napi_make_callback, so promise jobs the callback queues run after it
// and an exception it throws is Node's uncaught exception, as from any other event.
static void deliver(sensor_t *s) {
  if (!s->batch_len || s->closed) return;
  napi_env env = s->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value cb, buf, offset, resource, result, argv[2];
  void *dest;
  if (napi_get_reference_value(env, s->callback, &cb) == napi_ok && cb &&
      napi_create_buffer_copy(env, s->batch_len, s->batch, &dest, &buf) == napi_ok) {
    napi_create_double(env, clock_ms(CLOCK_REALTIME) - clock_ms(CLOCK_BOOTTIME), &offset);
    argv[0] = buf;
    argv[1] = offset;
    napi_create_object(env, &resource);
    napi_make_callback(env, s->async, resource, cb, 2, argv, &result);
  }
  s->batch_len = 0;
  napi_close_handle_scope(env, scope);
}

static int on_record(void *ctx, void *data, size_t size) {
  sensor_t *s = ctx;
  if (size < SENSOR_HEADER_SIZE || size > BATCH_CAP) return 0;
  if (s->batch_len + size > BATCH_CAP) deliver(s);
  memcpy(s->batch + s->batch_len, data, size);
  // The record's own size field says where the next one starts; make it the copied length.
  uint32_t n = (uint32_t)size;
  memcpy(s->batch + s->batch_len, &n, 4);
  s->batch_len += size;
  return 0;
}

// libbpf's epoll fd is readable: the kernel woke us. Everything written so far is read (quiet records too).
static void on_readable(uv_poll_t *poll, int status, int events) {
  (void)events;
  sensor_t *s = poll->data;
  if (status < 0 || s->closed || !s->rb) return;
  // Clears the epoll fd's readiness (level-triggered) without waiting, then reads every ring.
  ring_buffer__poll(s->rb, 0);
  ring_buffer__consume(s->rb);
  deliver(s);
}

static void free_poll(uv_handle_t *h) { free(h); }

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
  if (s->poll) {
    uv_poll_stop(s->poll);
    uv_close((uv_handle_t *)s->poll, free_poll);
  }
  if (s->callback) napi_delete_reference(s->env, s->callback);
  if (s->async) napi_async_destroy(s->env, s->async);
  if (s->rb) ring_buffer__free(s->rb);
  for (int i = 0; i < s->nlinks; i++) bpf_link__destroy(s->links[i]);
  if (s->obj) bpf_object__close(s->obj);
  free(s);
}

// The filter maps: wanted syscalls, container cgroup roots, path prefixes, the sensor's own config.
static int fill_maps(napi_env env, sensor_t *s, napi_value o) {
  int fd = bpf_object__find_map_fd_by_name(s->obj, "sensor_config");
  struct sensor_config cfg = {
    .include_host = get_num(env, o, "includeHost", 0) != 0,
    .self_pid = (unsigned int)get_num(env, o, "selfPid", 0),
  };
  uint32_t zero = 0;
  if (bpf_map_update_elem(fd, &zero, &cfg, BPF_ANY)) return -errno;

  int kinds = (int)get_num(env, o, "kinds", 0);  // bit per sensor_kind
  fd = bpf_object__find_map_fd_by_name(s->obj, "syscalls");
  for (size_t i = 0; i < sizeof SYSCALLS / sizeof SYSCALLS[0]; i++) {
    if (!(kinds & (1 << SYSCALLS[i].kind))) continue;
    uint32_t key = (uint32_t)SYSCALLS[i].nr, value = (uint32_t)(SYSCALLS[i].kind | SYSCALLS[i].sub << 8);
    if (bpf_map_update_elem(fd, &key, &value, BPF_ANY)) return -errno;
  }

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
  uv_poll_stop(s->poll);
  uv_close((uv_handle_t *)s->poll, free_poll);
  s->poll = NULL;
  napi_delete_reference(env, s->callback);
  s->callback = NULL;
  napi_async_destroy(env, s->async);
  s->async = NULL;
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
  struct uv_loop_s *loop = NULL;
  s->env = env;
  s->poll = calloc(1, sizeof *s->poll);
  if (napi_create_reference(env, argv[1], 1, &s->callback) != napi_ok ||
      napi_async_init(env, NULL, name, &s->async) != napi_ok || napi_get_uv_event_loop(env, &loop) != napi_ok ||
      !s->poll || uv_poll_init(loop, s->poll, ring_buffer__epoll_fd(s->rb)) != 0) {
    free(s->poll);
    s->poll = NULL;
    destroy(s);
    napi_throw_error(env, "ERR_EBPF_SENSOR", "cannot watch the ring buffer from the event loop");
    return NULL;
  }
  s->poll->data = s;
  uv_poll_start(s->poll, UV_READABLE, on_readable);
  napi_value handle, fn;
  napi_create_object(env, &handle);
  napi_create_function(env, "close", NAPI_AUTO_LENGTH, close_sensor, s, &fn);
  napi_set_named_property(env, handle, "close", fn);
  napi_create_function(env, "drops", NAPI_AUTO_LENGTH, read_drops, s, &fn);
  napi_set_named_property(env, handle, "drops", fn);
  napi_create_function(env, "addContainerRoot", NAPI_AUTO_LENGTH, add_container_root, s, &fn);
  napi_set_named_property(env, handle, "addContainerRoot", fn);
  return handle;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "open", NAPI_AUTO_LENGTH, open_sensor, NULL, &fn);
  napi_set_named_property(env, exports, "open", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
