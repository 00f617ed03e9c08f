/*
 * Load benchmark: many devices, each a real firmware process, fetching a secret at once over the
 * bridge from one simulator process.
 *
 *   bridge_load_bench ENDPOINT DEVICES_FILE SECRET_KEY DEVICES FETCHES [SERVER_PID]
 *
 * DEVICES_FILE contains one "SID KEY_HEX" line per registered device, each with the device-scoped
 * secret SECRET_KEY. The driver forks DEVICES children. Each connects with libmvhost (virtual
 * clock), reports ready and blocks on a pipe; when all are ready the parent closes the pipe,
 * which releases them together. Each then runs config_fetch_run FETCHES times and writes the
 * latency of every fetch into memory shared with the parent. The parent prints fetches per second
 * over the whole run, the median and 99th percentile of a fetch, and, given SERVER_PID, the
 * simulator's peak VmRSS sampled every 50 ms and its VmHWM from /proc. Loopback only; the run is
 * bounded by DEVICES (at most 4000) and FETCHES (at most 1000).
 */
#define _GNU_SOURCE

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
#define SAMPLE_INTERVAL_US 50000

struct device {
    char sid[80];
    char key[80];
};

/* Shared between the parent and every child; children write only their own slots. */
struct shared {
    int ready;
    int connect_failures;
    int fetch_failures;
    double latency_us[];
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

/* One device: connect, wait for the release, fetch, record. Never returns. */
static void run_device(const char *endpoint, const struct device *device, const char *secret, int fetches,
                       int release_fd, struct shared *shared, int index)
{
    if (mvhost_connect(endpoint, device->sid, device->key) != 0) {
        __atomic_fetch_add(&shared->connect_failures, 1, __ATOMIC_SEQ_CST);
        __atomic_fetch_add(&shared->ready, 1, __ATOMIC_SEQ_CST);
        _exit(1);
    }
    __atomic_fetch_add(&shared->ready, 1, __ATOMIC_SEQ_CST);

    /* The parent closes the write end to release every device at once; read returns 0 then. */
    char byte;
    while (read(release_fd, &byte, 1) < 0 && errno == EINTR) {
    }

    struct config_fetch_key key = {MV_CONFIGKEYFETCHSCOPE_DEVICE, MV_CONFIGKEYFETCHSTORE_SECRET, secret};
    struct config_fetch_result result;
    for (int i = 0; i < fetches; i++) {
        double started = now_us();
        enum config_fetch_outcome outcome = config_fetch_run(&key, 1, NULL, &result);
        double elapsed = now_us() - started;
        if (outcome != CONFIG_FETCH_OK || result.items[0].result != MV_CONFIGKEYFETCHRESULT_OK) {
            __atomic_fetch_add(&shared->fetch_failures, 1, __ATOMIC_SEQ_CST);
            elapsed = -1;
        }
        shared->latency_us[(size_t)index * (size_t)fetches + (size_t)i] = elapsed;

        /* The kernel allows 8 channel opens per second of device time, as Microvisor rate-limits
           them. 125 ms of virtual time, untimed, keeps the next fetch under that limit. */
        mvhost_clock_sleep_us(125000);
    }
    mvhost_disconnect();
    _exit(0);
}

int main(int argc, char **argv)
{
    if (argc < 6) {
        fprintf(stderr, "usage: bridge_load_bench ENDPOINT DEVICES_FILE SECRET_KEY DEVICES FETCHES [SERVER_PID]\n");
        return 2;
    }
    int wanted = atoi(argv[4]);
    int fetches = atoi(argv[5]);
    int server_pid = argc > 6 ? atoi(argv[6]) : 0;
    if (wanted < 1 || wanted > MAX_DEVICES || fetches < 1 || fetches > MAX_FETCHES) {
        fprintf(stderr, "DEVICES must be 1 to %d and FETCHES 1 to %d, got %s and %s\n", MAX_DEVICES, MAX_FETCHES,
                argv[4], argv[5]);
        return 2;
    }
    static struct device devices[MAX_DEVICES];
    int count = read_devices(argv[2], devices, wanted);
    if (count < wanted) {
        fprintf(stderr, "%s lists %d devices; %d are needed\n", argv[2], count < 0 ? 0 : count, wanted);
        return 2;
    }
    char endpoint[600];
    snprintf(endpoint, sizeof endpoint, "%s%sclock=virtual", argv[1], strchr(argv[1], '?') ? "&" : "?");

    size_t samples = (size_t)wanted * (size_t)fetches;
    size_t bytes = sizeof(struct shared) + samples * sizeof(double);
    struct shared *shared = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED) {
        fprintf(stderr, "cannot map %zu bytes of shared memory: %s\n", bytes, strerror(errno));
        return 1;
    }
    int release[2];
    if (pipe(release) != 0) {
        fprintf(stderr, "cannot make the release pipe: %s\n", strerror(errno));
        return 1;
    }

    static pid_t children[MAX_DEVICES];
    for (int i = 0; i < wanted; i++) {
        pid_t child = fork();
        if (child < 0) {
            fprintf(stderr, "fork failed after %d devices: %s; stopping them\n", i, strerror(errno));
            for (int j = 0; j < i; j++) {
                kill(children[j], SIGKILL);
            }
            return 1;
        }
        if (child == 0) {
            close(release[1]);
            run_device(endpoint, &devices[i], argv[3], fetches, release[0], shared, i);
        }
        children[i] = child;
    }
    close(release[0]);

    double waited_from = now_us();
    while (__atomic_load_n(&shared->ready, __ATOMIC_SEQ_CST) < wanted) {
        if (now_us() - waited_from > READY_TIMEOUT_S * 1e6) {
            fprintf(stderr, "only %d of %d devices connected within %d s; stopping them\n", shared->ready, wanted,
                    READY_TIMEOUT_S);
            for (int i = 0; i < wanted; i++) {
                kill(children[i], SIGKILL);
            }
            return 1;
        }
        usleep(10000);
    }
    long rss_connected = server_pid > 0 ? status_kb(server_pid, "VmRSS:") : -1;
    printf("%d devices connected in %.1f s (%d failed); server VmRSS %ld kB\n", wanted,
           (now_us() - waited_from) / 1e6, shared->connect_failures, rss_connected);
    fflush(stdout);

    double started = now_us();
    close(release[1]);
    long rss_peak = rss_connected;
    int running = wanted;
    while (running > 0) {
        pid_t done = waitpid(-1, NULL, WNOHANG);
        if (done > 0) {
            running--;
            continue;
        }
        if (server_pid > 0) {
            long rss = status_kb(server_pid, "VmRSS:");
            rss_peak = rss > rss_peak ? rss : rss_peak;
        }
        if (now_us() - started > RUN_TIMEOUT_S * 1e6) {
            fprintf(stderr, "the run exceeded %d s; stopping %d devices\n", RUN_TIMEOUT_S, running);
            for (int i = 0; i < wanted; i++) {
                kill(children[i], SIGKILL);
            }
            while (waitpid(-1, NULL, 0) > 0) {
            }
            return 1;
        }
        usleep(SAMPLE_INTERVAL_US);
    }
    double seconds = (now_us() - started) / 1e6;

    double *latencies = malloc(samples * sizeof(double));
    size_t ok = 0;
    for (size_t i = 0; i < samples; i++) {
        if (shared->latency_us[i] > 0) {
            latencies[ok++] = shared->latency_us[i];
        }
    }
    if (ok == 0) {
        fprintf(stderr, "no fetch succeeded (%d failed)\n", shared->fetch_failures);
        return 1;
    }
    qsort(latencies, ok, sizeof(double), compare);
    printf("%zu fetches by %d devices in %.2f s: %.0f fetches/s (%d failed)\n", ok, wanted, seconds,
           (double)ok / seconds, shared->fetch_failures);
    printf("fetch median %.0f us, p99 %.0f us, max %.0f us\n", latencies[ok / 2], latencies[ok * 99 / 100],
           latencies[ok - 1]);
    if (server_pid > 0) {
        printf("server VmRSS peak %ld kB (sampled every %d ms), VmHWM %ld kB\n", rss_peak, SAMPLE_INTERVAL_US / 1000,
               status_kb(server_pid, "VmHWM:"));
    }
    free(latencies);
    return shared->fetch_failures == 0 && shared->connect_failures == 0 ? 0 : 1;
}
