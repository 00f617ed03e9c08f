/*
 * Load benchmark: many devices, each a real firmware process, fetching a secret at once over the
 * bridge from one simulator process.
 *
 *   bridge_load_bench ENDPOINT DEVICES_FILE SECRET_KEY DEVICES FETCHES WARMUP [SERVER_PID]
 *
 * DEVICES_FILE contains one "SID KEY_HEX" line per registered device, each with the device-scoped
 * secret SECRET_KEY. The driver forks DEVICES children. Each connects with libmvhost (virtual
 * clock) and blocks on a pipe until all are connected. Then come two rounds, each started by
 * closing a pipe that releases every child at once:
 *
 *   - the warm-up round: each device runs config_fetch_run WARMUP times, not counted, so that the
 *     simulator's JIT compiler has compiled the bridge path before the measured round;
 *   - the measured round: each device runs FETCHES fetches and writes every latency and its own
 *     finish time into memory shared with the parent, then waits until the parent has read its
 *     CPU time.
 *
 * The measured window runs from the second release to the last device's last fetch. The parent
 * prints fetches per second over that window, the median and 99th percentile of a fetch, and the
 * CPU time used during the window by the simulator, by the firmware processes and by the whole
 * machine (from /proc), so that the time can be split between them. Given SERVER_PID it also
 * prints the simulator's peak VmRSS sampled every 50 ms and its VmHWM. Loopback only; the run is
 * bounded by DEVICES (at most 4000), FETCHES and WARMUP (at most 1000 each).
 */
#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config_fetch.h"
#include "mvhost.h"

#define MAX_DEVICES 4000
#define MAX_FETCHES 1000
#define READY_TIMEOUT_S 300
#define RUN_TIMEOUT_S 600
#define POLL_INTERVAL_US 10000
#define RSS_SAMPLE_EVERY 5 /* polls, so every 50 ms */

struct device {
    char sid[80];
    char key[80];
};

/* Shared between the parent and every child; children write only their own slots and counters. */
struct shared {
    int ready;
    int warmed;
    int measured;
    int connect_failures;
    int warmup_failures;
    int fetch_failures;
    double *finished_us;  /* per device: when its last measured fetch ended */
    double latency_us[];  /* per device and fetch; -1 for a failed fetch */
};

/* The pipes whose closing releases the children: into the warm-up round, into the measured round,
   and out of the wait that keeps each child alive until the parent has read its CPU time. */
struct releases {
    int warmup[2];
    int measure[2];
    int finish[2];
};

/* CPU time of one or more processes: user and system time in clock ticks from /proc/PID/stat, and
   the run time in ns from schedstat. This kernel samples user and system time at each tick. A
   process that runs in bursts shorter than a tick can therefore show 0 ticks, but its run time is
   exact. */
struct cpu_ticks {
    unsigned long long user;
    unsigned long long system;
    unsigned long long run_ns;
};

/* Busy and total clock ticks of the whole machine, from the "cpu" line of /proc/stat. */
struct machine_ticks {
    unsigned long long busy;
    unsigned long long total;
};

static double now_us(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec * 1e6 + (double)now.tv_nsec / 1e3;
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Reads a "VmRSS:" or "VmHWM:" line of /proc/PID/status in kB, or returns -1. */
static long status_kb(int pid, const char *field)
{
    char path[64];
    char line[256];
    long value = -1;
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *status = fopen(path, "r");
    if (status == NULL) {
        return -1;
    }
    size_t length = strlen(field);
    while (fgets(line, sizeof line, status) != NULL) {
        if (strncmp(line, field, length) == 0) {
            value = strtol(line + length, NULL, 10);
            break;
        }
    }
    fclose(status);
    return value;
}

/* Returns the run time in ns of thread TID of process PID: the first field of its schedstat, or 0. */
static unsigned long long thread_run_ns(int pid, const char *tid)
{
    char path[300];
    snprintf(path, sizeof path, "/proc/%d/task/%s/schedstat", pid, tid);
    FILE *schedstat = fopen(path, "r");
    unsigned long long run_ns = 0;
    if (schedstat == NULL) {
        return 0;
    }
    if (fscanf(schedstat, "%llu", &run_ns) != 1) {
        run_ns = 0;
    }
    fclose(schedstat);
    return run_ns;
}

/* Calls VISIT with each thread id of process PID, from /proc/PID/task. */
static void for_each_thread(int pid, void (*visit)(int pid, const char *tid, void *context), void *context)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", pid);
    DIR *tasks = opendir(path);
    if (tasks == NULL) {
        return;
    }
    struct dirent *task;
    while ((task = readdir(tasks)) != NULL) {
        if (task->d_name[0] != '.') {
            visit(pid, task->d_name, context);
        }
    }
    closedir(tasks);
}

static void add_thread_run_ns(int pid, const char *tid, void *total)
{
    ((struct cpu_ticks *)total)->run_ns += thread_run_ns(pid, tid);
}

/* Adds the run time of every thread of process PID to TOTAL. /proc/PID/schedstat alone covers the
   main thread. */
static void add_process_run_ns(int pid, struct cpu_ticks *total)
{
    for_each_thread(pid, add_thread_run_ns, total);
}

/* Adds the user and system time of process PID (fields 14 and 15 of /proc/PID/stat) and its run
   time to TOTAL. */
static void add_process_ticks(int pid, struct cpu_ticks *total)
{
    char path[64];
    char line[1024];
    add_process_run_ns(pid, total);
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *stat = fopen(path, "r");
    if (stat == NULL) {
        return;
    }
    char *read_line = fgets(line, sizeof line, stat);
    fclose(stat);
    /* The command name in field 2 may contain spaces, so counting starts after its ')'. */
    char *after_name = read_line == NULL ? NULL : strrchr(line, ')');
    if (after_name == NULL) {
        return;
    }
    unsigned long long user = 0;
    unsigned long long system = 0;
    if (sscanf(after_name + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &user, &system) == 2) {
        total->user += user;
        total->system += system;
    }
}

static struct machine_ticks read_machine_ticks(void)
{
    struct machine_ticks ticks = {0, 0};
    unsigned long long field[8] = {0};
    FILE *stat = fopen("/proc/stat", "r");
    if (stat == NULL) {
        return ticks;
    }
    /* user nice system idle iowait irq softirq steal */
    int count = fscanf(stat, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &field[0], &field[1], &field[2],
                       &field[3], &field[4], &field[5], &field[6], &field[7]);
    fclose(stat);
    if (count < 7) {
        return ticks;
    }
    for (int i = 0; i < 8; i++) {
        ticks.total += field[i];
    }
    ticks.busy = ticks.total - field[3] - field[4];
    return ticks;
}

#define MAX_THREAD_GROUPS 64

/* Run time of a process's threads, summed by thread name (the comm, at most 15 characters), so
   that the simulator's time splits into selector threads, JIT compiler threads and the GC. */
struct thread_groups {
    int count;
    char name[MAX_THREAD_GROUPS][64];
    unsigned long long run_ns[MAX_THREAD_GROUPS];
};

static void add_to_group(struct thread_groups *groups, const char *name, unsigned long long run_ns)
{
    for (int i = 0; i < groups->count; i++) {
        if (strcmp(groups->name[i], name) == 0) {
            groups->run_ns[i] += run_ns;
            return;
        }
    }
    if (groups->count == MAX_THREAD_GROUPS) {
        return;
    }
    snprintf(groups->name[groups->count], sizeof groups->name[0], "%s", name);
    groups->run_ns[groups->count] = run_ns;
    groups->count++;
}

/* Adds thread TID's run time to the group of its name; a thread whose name cannot be read is left out. */
static void add_thread_to_group(int pid, const char *tid, void *groups)
{
    char path[300];
    char name[64];
    snprintf(path, sizeof path, "/proc/%d/task/%s/comm", pid, tid);
    FILE *comm = fopen(path, "r");
    if (comm == NULL) {
        return;
    }
    int named = fgets(name, sizeof name, comm) != NULL;
    fclose(comm);
    if (!named) {
        return;
    }
    name[strcspn(name, "\n")] = '\0';
    add_to_group(groups, name, thread_run_ns(pid, tid));
}

static void read_thread_groups(int pid, struct thread_groups *groups)
{
    groups->count = 0;
    for_each_thread(pid, add_thread_to_group, groups);
}

/* Prints each thread group's run time in the window, largest first, for groups above 1 ms. */
static void print_thread_groups(const struct thread_groups *before, const struct thread_groups *after)
{
    struct thread_groups delta = {0};
    for (int i = 0; i < after->count; i++) {
        unsigned long long earlier = 0;
        for (int j = 0; j < before->count; j++) {
            if (strcmp(before->name[j], after->name[i]) == 0) {
                earlier = before->run_ns[j];
            }
        }
        /* A thread that ended during the window can make a group smaller than before. */
        add_to_group(&delta, after->name[i], after->run_ns[i] > earlier ? after->run_ns[i] - earlier : 0);
    }
    printf("simulator threads:");
    for (;;) {
        int largest = -1;
        for (int i = 0; i < delta.count; i++) {
            if (delta.run_ns[i] >= 1000000 && (largest < 0 || delta.run_ns[i] > delta.run_ns[largest])) {
                largest = i;
            }
        }
        if (largest < 0) {
            break;
        }
        printf(" %s %.0f ms;", delta.name[largest], (double)delta.run_ns[largest] / 1e6);
        delta.run_ns[largest] = 0;
    }
    printf("\n");
}

static int read_devices(const char *path, struct device *devices, int wanted)
{
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        fprintf(stderr, "cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    int count = 0;
    while (count < wanted && fscanf(file, "%79s %79s", devices[count].sid, devices[count].key) == 2) {
        count++;
    }
    fclose(file);
    return count;
}

/* Blocks until the parent closes the write end of the pipe that FD reads. */
static void await_release(int fd)
{
    char byte;
    while (read(fd, &byte, 1) < 0 && errno == EINTR) {
    }
}

/* Runs one fetch and returns its latency in microseconds, or -1 if it failed. */
static double timed_fetch(const char *secret)
{
    struct config_fetch_key key = {MV_CONFIGKEYFETCHSCOPE_DEVICE, MV_CONFIGKEYFETCHSTORE_SECRET, secret};
    struct config_fetch_result result;
    double started = now_us();
    enum config_fetch_outcome outcome = config_fetch_run(&key, 1, NULL, &result);
    double elapsed = now_us() - started;

    /* The kernel allows 8 channel opens per second of device time, as Microvisor rate-limits
       them. 125 ms of virtual time, untimed, keeps the next fetch under that limit. */
    mvhost_clock_sleep_us(125000);
    if (outcome != CONFIG_FETCH_OK || result.items[0].result != MV_CONFIGKEYFETCHRESULT_OK) {
        return -1;
    }
    return elapsed;
}

/* One device: connect, warm up, fetch and record, then wait for the parent. Never returns. */
static void run_device(const char *endpoint, const struct device *device, const char *secret, int fetches,
                       int warmup, const struct releases *releases, struct shared *shared, int index)
{
    if (mvhost_connect(endpoint, device->sid, device->key) != 0) {
        /* Counted in every round, so that the parent does not wait for this device. */
        __atomic_fetch_add(&shared->connect_failures, 1, __ATOMIC_SEQ_CST);
        __atomic_fetch_add(&shared->ready, 1, __ATOMIC_SEQ_CST);
        __atomic_fetch_add(&shared->warmed, 1, __ATOMIC_SEQ_CST);
        __atomic_fetch_add(&shared->measured, 1, __ATOMIC_SEQ_CST);
        _exit(1);
    }
    __atomic_fetch_add(&shared->ready, 1, __ATOMIC_SEQ_CST);

    await_release(releases->warmup[0]);
    for (int i = 0; i < warmup; i++) {
        if (timed_fetch(secret) < 0) {
            __atomic_fetch_add(&shared->warmup_failures, 1, __ATOMIC_SEQ_CST);
        }
    }
    __atomic_fetch_add(&shared->warmed, 1, __ATOMIC_SEQ_CST);

    await_release(releases->measure[0]);
    for (int i = 0; i < fetches; i++) {
        double elapsed = timed_fetch(secret);
        if (elapsed < 0) {
            __atomic_fetch_add(&shared->fetch_failures, 1, __ATOMIC_SEQ_CST);
        }
        shared->latency_us[(size_t)index * (size_t)fetches + (size_t)i] = elapsed;
    }
    shared->finished_us[index] = now_us();
    __atomic_fetch_add(&shared->measured, 1, __ATOMIC_SEQ_CST);

    /* Staying alive until the parent has read this process's CPU time keeps it in the figure. */
    await_release(releases->finish[0]);
    mvhost_disconnect();
    _exit(0);
}

static void stop_children(const pid_t *children, int count)
{
    for (int i = 0; i < count; i++) {
        kill(children[i], SIGKILL);
    }
    while (waitpid(-1, NULL, 0) > 0) {
    }
}

/*
 * Waits until COUNTER reaches WANTED, sampling the server's VmRSS into *RSS_PEAK when SERVER_PID is
 * set. Returns 0, or -1 after TIMEOUT_S seconds.
 */
static int await_count(const int *counter, int wanted, int timeout_s, int server_pid, long *rss_peak)
{
    double started = now_us();
    for (int poll = 0; __atomic_load_n(counter, __ATOMIC_SEQ_CST) < wanted; poll++) {
        if (server_pid > 0 && rss_peak != NULL && poll % RSS_SAMPLE_EVERY == 0) {
            long rss = status_kb(server_pid, "VmRSS:");
            *rss_peak = rss > *rss_peak ? rss : *rss_peak;
        }
        if (now_us() - started > timeout_s * 1e6) {
            return -1;
        }
        usleep(POLL_INTERVAL_US);
    }
    return 0;
}

static struct cpu_ticks children_ticks(const pid_t *children, int count)
{
    struct cpu_ticks total = {0, 0, 0};
    for (int i = 0; i < count; i++) {
        add_process_ticks(children[i], &total);
    }
    return total;
}

static struct cpu_ticks server_ticks(int server_pid)
{
    struct cpu_ticks total = {0, 0, 0};
    if (server_pid > 0) {
        add_process_ticks(server_pid, &total);
    }
    return total;
}

static double ticks_ms(unsigned long long ticks)
{
    return (double)ticks * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

/* Prints the CPU time of the window in ms, as cores and per fetch, with the user and system split. */
static void print_cpu(const char *who, struct cpu_ticks before, struct cpu_ticks after, double seconds,
                      size_t fetches)
{
    double run_ms = (double)(after.run_ns - before.run_ns) / 1e6;
    double user_ms = ticks_ms(after.user - before.user);
    double system_ms = ticks_ms(after.system - before.system);
    printf("%s CPU: %.0f ms = %.2f cores, %.0f us per fetch (sampled: %.0f ms user, %.0f ms system)\n", who,
           run_ms, run_ms / 1000.0 / seconds, run_ms * 1000.0 / (double)fetches, user_ms, system_ms);
}

/* Prints the rate and latencies of the measured round and returns how many fetches succeeded. */
static size_t print_results(struct shared *shared, int wanted, int fetches, double seconds)
{
    size_t samples = (size_t)wanted * (size_t)fetches;
    double *latencies = malloc(samples * sizeof(double));
    size_t ok = 0;
    for (size_t i = 0; latencies != NULL && i < samples; i++) {
        if (shared->latency_us[i] > 0) {
            latencies[ok++] = shared->latency_us[i];
        }
    }
    if (ok == 0) {
        fprintf(stderr, "no measured fetch succeeded (%d failed, %d devices did not connect)\n",
                shared->fetch_failures, shared->connect_failures);
        free(latencies);
        return 0;
    }
    qsort(latencies, ok, sizeof(double), compare);
    printf("measured: %zu fetches by %d devices in %.2f s: %.0f fetches/s (%d failed, %d devices did not connect)\n",
           ok, wanted, seconds, (double)ok / seconds, shared->fetch_failures, shared->connect_failures);
    printf("fetch median %.0f us, p99 %.0f us, max %.0f us\n", latencies[ok / 2], latencies[ok * 99 / 100],
           latencies[ok - 1]);
    free(latencies);
    return ok;
}

int main(int argc, char **argv)
{
    if (argc < 7) {
        fprintf(stderr, "usage: bridge_load_bench ENDPOINT DEVICES_FILE SECRET_KEY DEVICES FETCHES WARMUP "
                        "[SERVER_PID]\n");
        return 2;
    }
    int wanted = atoi(argv[4]);
    int fetches = atoi(argv[5]);
    int warmup = atoi(argv[6]);
    int server_pid = argc > 7 ? atoi(argv[7]) : 0;
    if (wanted < 1 || wanted > MAX_DEVICES || fetches < 1 || fetches > MAX_FETCHES || warmup < 0
        || warmup > MAX_FETCHES) {
        fprintf(stderr, "DEVICES must be 1 to %d, FETCHES 1 to %d and WARMUP 0 to %d, got %s, %s and %s\n",
                MAX_DEVICES, MAX_FETCHES, MAX_FETCHES, argv[4], argv[5], argv[6]);
        return 2;
    }
    static struct device devices[MAX_DEVICES];
    int count = read_devices(argv[2], devices, wanted);
    if (count < wanted) {
        fprintf(stderr, "%s lists %d devices; %d are needed\n", argv[2], count < 0 ? 0 : count, wanted);
        return 2;
    }
    char endpoint[600];
    /* A cold simulator that takes 1,000 handshakes at once on a loaded machine can need more than
       libmvhost's default 5 s for some of them. */
    snprintf(endpoint, sizeof endpoint, "%s%sclock=virtual&handshake_ms=30000", argv[1],
             strchr(argv[1], '?') ? "&" : "?");

    size_t samples = (size_t)wanted * (size_t)fetches;
    size_t bytes = sizeof(struct shared) + samples * sizeof(double) + (size_t)wanted * sizeof(double);
    struct shared *shared = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED) {
        fprintf(stderr, "cannot map %zu bytes of shared memory: %s\n", bytes, strerror(errno));
        return 1;
    }
    shared->finished_us = shared->latency_us + samples;
    struct releases releases;
    if (pipe(releases.warmup) != 0 || pipe(releases.measure) != 0 || pipe(releases.finish) != 0) {
        fprintf(stderr, "cannot make the release pipes: %s\n", strerror(errno));
        return 1;
    }

    static pid_t children[MAX_DEVICES];
    for (int i = 0; i < wanted; i++) {
        pid_t child = fork();
        if (child < 0) {
            fprintf(stderr, "fork failed after %d devices: %s; stopping them\n", i, strerror(errno));
            stop_children(children, i);
            return 1;
        }
        if (child == 0) {
            close(releases.warmup[1]);
            close(releases.measure[1]);
            close(releases.finish[1]);
            run_device(endpoint, &devices[i], argv[3], fetches, warmup, &releases, shared, i);
        }
        children[i] = child;
    }
    close(releases.warmup[0]);
    close(releases.measure[0]);
    close(releases.finish[0]);

    double connecting_since = now_us();
    if (await_count(&shared->ready, wanted, READY_TIMEOUT_S, 0, NULL) != 0) {
        fprintf(stderr, "only %d of %d devices connected within %d s; stopping them\n", shared->ready, wanted,
                READY_TIMEOUT_S);
        stop_children(children, wanted);
        return 1;
    }
    long rss_connected = server_pid > 0 ? status_kb(server_pid, "VmRSS:") : -1;
    printf("%d devices connected in %.1f s (%d failed); server VmRSS %ld kB\n", wanted,
           (now_us() - connecting_since) / 1e6, shared->connect_failures, rss_connected);

    double warming_since = now_us();
    close(releases.warmup[1]);
    long rss_peak = rss_connected;
    if (await_count(&shared->warmed, wanted, RUN_TIMEOUT_S, server_pid, &rss_peak) != 0) {
        fprintf(stderr, "the warm-up round exceeded %d s; stopping the devices\n", RUN_TIMEOUT_S);
        stop_children(children, wanted);
        return 1;
    }
    printf("warm-up: %d fetches per device in %.2f s, not counted (%d failed)\n", warmup,
           (now_us() - warming_since) / 1e6, shared->warmup_failures);
    fflush(stdout);

    static struct thread_groups threads_before;
    static struct thread_groups threads_after;
    read_thread_groups(server_pid, &threads_before);
    struct cpu_ticks server_before = server_ticks(server_pid);
    struct cpu_ticks firmware_before = children_ticks(children, wanted);
    struct machine_ticks machine_before = read_machine_ticks();
    double started = now_us();
    close(releases.measure[1]);
    if (await_count(&shared->measured, wanted, RUN_TIMEOUT_S, server_pid, &rss_peak) != 0) {
        fprintf(stderr, "the measured round exceeded %d s; stopping the devices\n", RUN_TIMEOUT_S);
        stop_children(children, wanted);
        return 1;
    }
    struct cpu_ticks server_after = server_ticks(server_pid);
    read_thread_groups(server_pid, &threads_after);
    struct cpu_ticks firmware_after = children_ticks(children, wanted);
    struct machine_ticks machine_after = read_machine_ticks();

    double ended = started;
    for (int i = 0; i < wanted; i++) {
        ended = shared->finished_us[i] > ended ? shared->finished_us[i] : ended;
    }
    double seconds = (ended - started) / 1e6;
    close(releases.finish[1]);
    while (waitpid(-1, NULL, 0) > 0) {
    }

    size_t measured = print_results(shared, wanted, fetches, seconds);
    if (measured == 0) {
        return 1;
    }
    if (server_pid > 0) {
        print_cpu("simulator", server_before, server_after, seconds, measured);
        print_thread_groups(&threads_before, &threads_after);
    }
    print_cpu("firmware processes", firmware_before, firmware_after, seconds, measured);
    double machine_busy_ms = ticks_ms(machine_after.busy - machine_before.busy);
    double machine_total_ms = ticks_ms(machine_after.total - machine_before.total);
    printf("machine CPU: %.0f ms busy of %.0f ms (%ld cores), including other users' work\n", machine_busy_ms,
           machine_total_ms, sysconf(_SC_NPROCESSORS_ONLN));
    if (server_pid > 0) {
        printf("server VmRSS peak %ld kB (sampled every %d ms), VmHWM %ld kB\n", rss_peak,
               POLL_INTERVAL_US * RSS_SAMPLE_EVERY / 1000, status_kb(server_pid, "VmHWM:"));
    }
    return shared->fetch_failures == 0 && shared->connect_failures == 0 ? 0 : 1;
}
