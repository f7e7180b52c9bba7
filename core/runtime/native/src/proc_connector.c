// The kernel's process-events connector (NETLINK_CONNECTOR, CN_IDX_PROC) as a Node addon.
//
// Why native: Node has no netlink sockets. Why the /proc reads happen here, on a thread of their own: a
// `cat` of a token lives about a millisecond; waiting for the JavaScript thread (busy evaluating rules, or
// collecting garbage) loses many of them. So a reader thread reads the few /proc files the rules need the
// moment each exec event arrives, and hands the result to JavaScript through a thread-safe function. Parsing stays in TypeScript (one parser for this and the /proc poller).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/time.h>

#define MAX_FILE 32768   // cmdline and status beyond this are cut (and said to be cut)

typedef struct {
  int fd;
  pthread_t thread;
  napi_threadsafe_function tsfn;
  char proc_root[512];
  volatile int closed;
} watcher_t;

// One event, with what /proc showed of the process, read on the reader thread the moment it arrived.
typedef struct {
  int kind;  // 1 exec, 2 exit, 3 lost
  int pid, tid;
  double seen_at_ms;
  uint32_t lost;
  char *field[8];  // exe, cwd, fd0, fd1, fd2, cmdline, status, cgroup
  ssize_t len[8];
  int cmdline_cut;
} event_t;

static const char *FIELD_KEYS[8] = {"exe", "cwd", "fd0", "fd1", "fd2", "cmdline", "status", "cgroup"};

static char *copy(const char *src, ssize_t n) {
  if (n < 0) return NULL;
  char *out = malloc((size_t)n + 1);
  if (out) memcpy(out, src, (size_t)n);
  return out;
}

// Reads a whole small /proc file into buf; returns the length or -1. Sets *cut when it did not fit.
static ssize_t read_small(const char *path, char *buf, size_t cap, int *cut) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  size_t total = 0;
  for (;;) {
    ssize_t n = read(fd, buf + total, cap - total);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    total += (size_t)n;
    if (total == cap) {
      char extra;
      if (cut && read(fd, &extra, 1) > 0) *cut = 1;
      break;
    }
  }
  close(fd);
  return (ssize_t)total;
}

static void read_exec(const watcher_t *w, event_t *ev, char *buf) {
  static const char *links[5] = {"exe", "cwd", "fd/0", "fd/1", "fd/2"};
  static const char *files[3] = {"cmdline", "status", "cgroup"};
  char path[640];
  for (int i = 0; i < 5; i++) {
    snprintf(path, sizeof path, "%s/%d/%s", w->proc_root, ev->pid, links[i]);
    ssize_t n = readlink(path, buf, 4096);
    ev->len[i] = n;
    ev->field[i] = copy(buf, n);
  }
  for (int i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/%d/%s", w->proc_root, ev->pid, files[i]);
    ssize_t n = read_small(path, buf, MAX_FILE, i == 0 ? &ev->cmdline_cut : NULL);
    ev->len[5 + i] = n;
    ev->field[5 + i] = copy(buf, n);
  }
}

static double now_ms(void) {
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  return (double)now.tv_sec * 1e3 + (double)now.tv_nsec / 1e6;
}

static void emit(watcher_t *w, event_t *ev) {
  if (napi_call_threadsafe_function(w->tsfn, ev, napi_tsfn_nonblocking) != napi_ok) {
    for (int i = 0; i < 8; i++) free(ev->field[i]);
    free(ev);
  }
}

// The reader thread: blocks on the socket and reads /proc at once, whatever the JavaScript thread is doing.
static void *reader(void *arg) {
  watcher_t *w = arg;
  static char msg[8192];
  char *buf = malloc(MAX_FILE);
  while (!w->closed && buf) {
    ssize_t n = recv(w->fd, msg, sizeof msg, 0);
    if (n < 0) {
      if (errno == ENOBUFS) {  // the kernel dropped events: say so, keep going
        event_t *ev = calloc(1, sizeof *ev);
        if (ev) { ev->kind = 3; ev->lost = 1; emit(w, ev); }
      }
      continue;  // EAGAIN: the receive timeout, to notice close
    }
    struct nlmsghdr *nl = (struct nlmsghdr *)msg;
    if (!NLMSG_OK(nl, (size_t)n) || nl->nlmsg_type != NLMSG_DONE) continue;
    struct cn_msg *cn = NLMSG_DATA(nl);
    if (cn->id.idx != CN_IDX_PROC || cn->id.val != CN_VAL_PROC) continue;
    struct proc_event *pe = (struct proc_event *)cn->data;
    if (pe->what == PROC_EVENT_EXEC) {
      event_t *ev = calloc(1, sizeof *ev);
      if (!ev) continue;
      ev->kind = 1;
      ev->pid = pe->event_data.exec.process_tgid;
      ev->tid = pe->event_data.exec.process_pid;
      ev->seen_at_ms = now_ms();
      read_exec(w, ev, buf);
      emit(w, ev);
    } else if (pe->what == PROC_EVENT_EXIT &&
               pe->event_data.exit.process_pid == pe->event_data.exit.process_tgid) {
      event_t *ev = calloc(1, sizeof *ev);
      if (!ev) continue;
      ev->kind = 2;
      ev->pid = pe->event_data.exit.process_tgid;
      emit(w, ev);
    }
  }
  free(buf);
  return NULL;
}

static void set_num(napi_env env, napi_value obj, const char *key, double n) {
  napi_value v;
  napi_create_double(env, n, &v);
  napi_set_named_property(env, obj, key, v);
}

static void set_str(napi_env env, napi_value obj, const char *key, const char *s, size_t len) {
  napi_value v;
  napi_create_string_utf8(env, s, len, &v);
  napi_set_named_property(env, obj, key, v);
}

// On the JavaScript thread: one event as an object, handed to the callback as a batch of one.
static void call_js(napi_env env, napi_value cb, void *context, void *data) {
  (void)context;
  event_t *ev = data;
  if (env && cb) {
    napi_value obj, raw, batch, global, result;
    napi_create_object(env, &obj);
    static const char *kinds[4] = {"", "exec", "exit", "lost"};
    set_str(env, obj, "kind", kinds[ev->kind], strlen(kinds[ev->kind]));
    if (ev->kind == 3) {
      set_num(env, obj, "count", ev->lost);
    } else {
      set_num(env, obj, "pid", ev->pid);
    }
    if (ev->kind == 1) {
      set_num(env, obj, "tid", ev->tid);
      set_num(env, obj, "seenAtMs", ev->seen_at_ms);
      napi_create_object(env, &raw);
      for (int i = 0; i < 8; i++) {
        if (!ev->field[i]) continue;  // unreadable: left out, TypeScript reports it as unknown
        if (i < 5) {
          set_str(env, raw, FIELD_KEYS[i], ev->field[i], (size_t)ev->len[i]);
        } else {
          // cmdline and friends may hold any bytes: a Buffer, not a string.
          napi_value b;
          void *dest;
          napi_create_buffer_copy(env, (size_t)ev->len[i], ev->field[i], &dest, &b);
          napi_set_named_property(env, raw, FIELD_KEYS[i], b);
        }
      }
      if (ev->cmdline_cut) {
        napi_value t;
        napi_get_boolean(env, 1, &t);
        napi_set_named_property(env, raw, "cmdlineCut", t);
      }
      napi_set_named_property(env, obj, "raw", raw);
    }
    napi_create_array_with_length(env, 1, &batch);
    napi_set_element(env, batch, 0, obj);
    napi_get_global(env, &global);
    napi_call_function(env, global, cb, 1, &batch, &result);
  }
  for (int i = 0; i < 8; i++) free(ev->field[i]);
  free(ev);
}

static napi_value throw_errno(napi_env env, const char *what) {
  char text[256];
  snprintf(text, sizeof text, "%s: %s", what, strerror(errno));
  napi_throw_error(env, "ERR_PROC_CONNECTOR", text);
  return NULL;
}

static int subscribe(int fd, enum proc_cn_mcast_op op) {
  char buf[NLMSG_SPACE(sizeof(struct cn_msg) + sizeof(enum proc_cn_mcast_op))];
  memset(buf, 0, sizeof buf);
  struct nlmsghdr *nl = (struct nlmsghdr *)buf;
  nl->nlmsg_len = sizeof buf;
  nl->nlmsg_type = NLMSG_DONE;
  nl->nlmsg_pid = 0;  // the kernel assigns the port id at bind
  struct cn_msg *cn = NLMSG_DATA(nl);
  cn->id.idx = CN_IDX_PROC;
  cn->id.val = CN_VAL_PROC;
  cn->len = sizeof(enum proc_cn_mcast_op);
  memcpy(cn->data, &op, sizeof op);
  return send(fd, buf, sizeof buf, 0) < 0 ? -1 : 0;
}

// open(procRoot, callback) -> close(): starts delivering events to callback (each call a batch).
static napi_value close_watcher(napi_env env, napi_callback_info info) {
  void *data;
  napi_get_cb_info(env, info, NULL, NULL, NULL, &data);
  watcher_t *w = data;
  if (w->closed) return NULL;
  w->closed = 1;
  subscribe(w->fd, PROC_CN_MCAST_IGNORE);
  pthread_join(w->thread, NULL);  // wakes within the receive timeout
  close(w->fd);
  napi_release_threadsafe_function(w->tsfn, napi_tsfn_abort);
  // w itself is left allocated: a few hundred bytes per watcher, and call_js never touches it.
  return NULL;
}

static napi_value open_watcher(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_valuetype t0, t1;
  if (argc < 2 || napi_typeof(env, argv[0], &t0) != napi_ok || t0 != napi_string ||
      napi_typeof(env, argv[1], &t1) != napi_ok || t1 != napi_function) {
    napi_throw_type_error(env, NULL, "open(procRoot: string, callback: function)");
    return NULL;
  }
  watcher_t *w = calloc(1, sizeof *w);
  size_t len;
  napi_get_value_string_utf8(env, argv[0], w->proc_root, sizeof w->proc_root, &len);
  w->fd = socket(PF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_CONNECTOR);
  if (w->fd < 0) { free(w); return throw_errno(env, "socket(NETLINK_CONNECTOR)"); }
  int rcvbuf = 8 << 20;  // a burst of forks/execs must not overflow the queue before we read it
  if (setsockopt(w->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
    setsockopt(w->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  struct timeval timeout = {.tv_sec = 0, .tv_usec = 200000};
  setsockopt(w->fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  struct sockaddr_nl addr = {.nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC, .nl_pid = 0};
  if (bind(w->fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
    close(w->fd); free(w); return throw_errno(env, "bind(CN_IDX_PROC)");
  }
  if (subscribe(w->fd, PROC_CN_MCAST_LISTEN) < 0) {
    close(w->fd); free(w); return throw_errno(env, "PROC_CN_MCAST_LISTEN");
  }
  napi_value name;
  napi_create_string_utf8(env, "seco.procConnector", NAPI_AUTO_LENGTH, &name);
  if (napi_create_threadsafe_function(env, argv[1], NULL, name, 0, 1, NULL, NULL, NULL, call_js, &w->tsfn) != napi_ok) {
    close(w->fd); free(w); napi_throw_error(env, NULL, "napi_create_threadsafe_function failed"); return NULL;
  }
  if (pthread_create(&w->thread, NULL, reader, w) != 0) {
    napi_release_threadsafe_function(w->tsfn, napi_tsfn_abort);
    close(w->fd); free(w); return throw_errno(env, "pthread_create");
  }
  napi_value closer;
  napi_create_function(env, "close", NAPI_AUTO_LENGTH, close_watcher, w, &closer);
  return closer;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "open", NAPI_AUTO_LENGTH, open_watcher, NULL, &fn);
  napi_set_named_property(env, exports, "open", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
