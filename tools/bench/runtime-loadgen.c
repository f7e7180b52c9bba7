// Load for the runtime benchmark, run inside a runc container (tools/bench/runtime.ts), paced in 10 ms steps:
//   loadgen background EXECS_PER_S OPENS_PER_S SECONDS FILE PROGRAM  (irrelevant execs and opens)
//   loadgen opens RATE_PER_S SECONDS FILE                            (opens a rule cares about)
//   loadgen execs COUNT INTERVAL_MS PROGRAM [ARG]                    (short processes a rule cares about)
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_until(double t) {
  double d = t - now_s();
  if (d <= 0) return;
  struct timespec ts = {(time_t)d, (long)((d - (time_t)d) * 1e9)};
  nanosleep(&ts, NULL);
}

static void spawn(char *prog, char *arg) {
  pid_t pid = fork();
  if (pid == 0) {
    char *argv[] = {prog, arg, NULL};
    execv(prog, argv);
    _exit(127);
  }
  while (waitpid(-1, NULL, WNOHANG) > 0) {}
}

static void opens(double rate, double seconds, const char *file) {
  double start = now_s(), done = 0;
  for (int step = 1; now_s() - start < seconds; step++) {
    double due = rate * step * 0.01;
    for (; done < due; done++) {
      int fd = open(file, O_RDONLY);
      if (fd >= 0) close(fd);
    }
    sleep_until(start + step * 0.01);
  }
}

int main(int argc, char **argv) {
  if (argc >= 7 && !strcmp(argv[1], "background")) {
    double execs = atof(argv[2]), rate = atof(argv[3]), seconds = atof(argv[4]);
    if (fork() == 0) {  // the exec half
      double start = now_s();
      for (int i = 1; now_s() - start < seconds; i++) {
        spawn(argv[6], "0");
        sleep_until(start + i / execs);
      }
      while (wait(NULL) > 0) {}
      _exit(0);
    }
    opens(rate, seconds, argv[5]);
    while (wait(NULL) > 0) {}
    return 0;
  }
  if (argc >= 5 && !strcmp(argv[1], "opens")) {
    opens(atof(argv[2]), atof(argv[3]), argv[4]);
    return 0;
  }
  if (argc >= 5 && !strcmp(argv[1], "execs")) {
    int n = atoi(argv[2]);
    double interval = atof(argv[3]) / 1000, start = now_s();
    for (int i = 1; i <= n; i++) {
      spawn(argv[4], argc > 5 ? argv[5] : NULL);
      sleep_until(start + i * interval);
    }
    while (wait(NULL) > 0) {}
    return 0;
  }
  return 2;
}
