// The record the eBPF sensor writes to its ring buffer, shared by sensor.bpf.c and the loader
// (src/ebpf_sensor.c). The TypeScript parser (core/runtime/ebpf-record.ts) reads the same offsets; the
// _Static_asserts below pin them, so a change here that is not made there fails the build.
#ifndef SECO_SENSOR_H
#define SECO_SENSOR_H

#define SENSOR_ANCESTORS 4
#define SENSOR_STRINGS 6
#define SENSOR_DATA_CAP 8192      // strings area: each string starts below this offset
#define SENSOR_STR_MAX 4096       // one string (argv, a path) is cut at this many bytes
#define SENSOR_PATH_COMPONENTS 32 // a resolved path deeper than this is cut at the top (flag PATH_CUT)
#define SENSOR_PREFIX_CAP 128     // path prefixes the kernel filters on are this long at most
#define SENSOR_MAX_SYSCALL 512

// Event kinds (the TypeScript side names them).
enum sensor_kind {
  K_EXEC = 1, K_EXIT, K_OPEN, K_CONNECT, K_ACCEPT, K_LISTEN, K_DUP, K_MEMFD, K_PTRACE, K_SETUID,
  K_SETGID, K_MOUNT, K_UNSHARE, K_SETNS, K_MODULE, K_BPF, K_KIND_COUNT
};

// Which variant of a syscall fed an event kind (syscalls map value = kind | sub << 8).
enum sensor_sub {
  S_OPEN = 1, S_OPENAT, S_OPENAT2, S_CREAT,
  S_SETID_ONE = 1, S_SETID_RE, S_SETID_RES,
  S_INIT_MODULE = 1, S_FINIT_MODULE,
  S_ACCEPT = 1, S_ACCEPT4, S_DUP2 = 1, S_DUP3
};

enum sensor_flag {
  F_EXE_DELETED = 1 << 0,   // the executable has no link left (deleted, or a memfd)
  F_EXE_MEMFD = 1 << 1,     // the executable is a memfd (memfd_create + fexecve)
  F_ARGS_CUT = 1 << 2,
  F_PATH_CUT = 1 << 3,
  F_CGROUP_NAMES = 1 << 4,  // string 5 holds the cgroup path, leaf first, '/'-separated
  F_IN_CONTAINER = 1 << 5,
};

// Strings in the data area, in this order; each length excludes any NUL.
enum sensor_string { STR_PATH = 0, STR_ARGS, STR_CWD, STR_FILENAME, STR_EXTRA, STR_CGROUP };

struct sensor_event {
  unsigned int size;          // 0: header + strings
  unsigned short kind;        // 4
  unsigned short flags;       // 6
  unsigned int pid;           // 8  thread-group id
  unsigned int tid;           // 12
  unsigned int ppid;          // 16
  unsigned int uid;           // 20
  unsigned int gid;           // 24
  unsigned int sub;           // 28
  unsigned long long time_ns; // 32 CLOCK_BOOTTIME
  unsigned long long cgroup;  // 40 cgroup id (kernfs node id of the deepest cgroup)
  long long ret;              // 48 syscall return value
  unsigned long long arg[4];  // 56
  char comm[16];              // 88
  unsigned char addr[28];     // 104 remote address, as a sockaddr_in / sockaddr_in6
  unsigned char laddr[28];    // 132 local address
  unsigned short str_len[SENSOR_STRINGS];            // 160
  unsigned int anc_pid[SENSOR_ANCESTORS];            // 172
  char anc_comm[SENSOR_ANCESTORS][16];               // 188
  unsigned int pad;                                  // 252
  unsigned long long parent_cgroup;                  // 256 exec: the parent's cgroup id
  unsigned long long repeats;                        // 264 set by the loader: identical opens folded here
  char data[SENSOR_DATA_CAP + SENSOR_STR_MAX];       // 272
};

// exec records: arg[0..2] describe fds 0-2 (S_IFMT mode | socket family << 32 | char-device major << 48),
// arg[3] is the pid inside the process's own PID namespace (1: a container's init).
#define SENSOR_HEADER_SIZE 272
_Static_assert(__builtin_offsetof(struct sensor_event, data) == SENSOR_HEADER_SIZE, "header size");
_Static_assert(__builtin_offsetof(struct sensor_event, str_len) == 160, "str_len offset");
_Static_assert(__builtin_offsetof(struct sensor_event, anc_comm) == 188, "anc_comm offset");

struct sensor_config {
  unsigned int include_host; // 1: every process, not only those in containers
  unsigned int self_pid;     // the watcher itself: never reported
};

struct prefix_key {
  unsigned int prefixlen;    // bits
  unsigned char data[SENSOR_PREFIX_CAP];
};

// What the kernel reports of an open under a prefix (path_prefixes map value).
enum prefix_mode { P_READ = 1, P_WRITE = 2 };

#endif
