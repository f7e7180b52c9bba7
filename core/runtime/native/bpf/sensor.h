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
  // Which exec of which process the record belongs to, from the kernel's process table (`procs`): the time of
  // the process's last exec (0: not in the table — it ran before the sensor, or it forked without exec), and
  // the same for its parent. A pid reused, or a process that exec'd again, has another value.
  unsigned long long exec_ns;                        // 272
  unsigned long long parent_exec_ns;                 // 280
  unsigned long long quiet_key;                      // 288 exec: the kernel's no-match memo key (quiet_execs)
  char data[SENSOR_DATA_CAP + SENSOR_STR_MAX];       // 296
};

// exec records: arg[0..2] describe fds 0-2 (S_IFMT mode | socket family << 32 | char-device major << 48),
// arg[3] is the pid inside the process's own PID namespace (1: a container's init).
#define SENSOR_HEADER_SIZE 296
_Static_assert(__builtin_offsetof(struct sensor_event, data) == SENSOR_HEADER_SIZE, "header size");
_Static_assert(__builtin_offsetof(struct sensor_event, str_len) == 160, "str_len offset");
_Static_assert(__builtin_offsetof(struct sensor_event, anc_comm) == 188, "anc_comm offset");

struct sensor_config {
  unsigned int include_host; // 1: every process, not only those in containers
  unsigned int self_pid;     // the watcher itself: never reported
  unsigned long long key[2]; // SipHash key of the no-match memo (random per load, never leaves the node)
  unsigned int epoch;        // bumped by user space when the rule set changes: every memo key changes with it
  unsigned int pad;
};

// The kernel's process table (`procs`, by pid): what user space needs of a process whose exec never left the
// kernel, when a later event names it or a child. Strings are cut at these sizes (PROC_CUT says so).
#define PROC_EXE 256
#define PROC_ARGS 512
#define PROC_CWD 256
// PROC_SEEN: user space has heard of this process (a record of it or of a child went out, in this exec or an
// earlier one): its exit goes out too, so user space's table forgets it. An exit of a process never seen stays.
// PROC_EXITED: the process ended; its entry stays until user space has read the exit (and every record
// before it, which may name it): it deletes it then (src/ebpf_sensor.c `forgetProcess`).
enum proc_flag { PROC_QUIET = 1, PROC_CUT = 2, PROC_SEEN = 4, PROC_EXITED = 8 };
struct proc_entry {
  unsigned long long exec_ns;    // 0  CLOCK_BOOTTIME of the exec (the exec record's time_ns)
  unsigned long long start_ns;   // 8  task start_time: a reused pid is another process
  unsigned long long facts;      // 16 keyed hash of what a child's rules see of it (exe, argv, name, uid)
  unsigned long long cgroup;     // 24
  unsigned int ppid;             // 32
  unsigned int uid;              // 36
  unsigned int gid;              // 40
  unsigned short flags;          // 44 proc_flag
  unsigned short exe_len;        // 46
  unsigned short args_len;       // 48
  unsigned short cwd_len;        // 50
  unsigned int pad;              // 52
  char comm[16];                 // 56
  char exe[PROC_EXE];            // 72
  char args[PROC_ARGS];          // 328
  char cwd[PROC_CWD];            // 840
  unsigned long long stdio[3];   // 1096 the exec record's arg[0..2]: what fds 0-2 were
  unsigned int ns_pid;           // 1120 the exec record's arg[3]
  unsigned int pad2;             // 1124
};                               // 1128
_Static_assert(sizeof(struct proc_entry) == 1128, "proc_entry size");

// Per-CPU counters of records that stayed in the kernel (`quiet_hits`).
enum quiet_counter { Q_EXECS = 0, Q_EXITS, Q_COUNTERS };

struct prefix_key {
  unsigned int prefixlen;    // bits
  unsigned char data[SENSOR_PREFIX_CAP];
};

// What the kernel reports of an open under a prefix (path_prefixes map value).
enum prefix_mode { P_READ = 1, P_WRITE = 2 };

#endif
