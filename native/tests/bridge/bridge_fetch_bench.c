/*
 * Benchmark: a full single-secret fetch by the example firmware code (notifications, network,
 * channel, request, response, item, close) over the bridge, against a plain loopback round trip
 * measured in the same run.
 *
 *   bridge_fetch_bench ENDPOINT DEVICE_SID DEVICE_KEY_HEX SECRET_KEY [FETCHES [WARM_UP_FETCHES]]
 *
 * The device's kernel runs on the virtual clock, so simulated latencies cost no wall time and the
 * figure is the transport and kernel work alone. Prints medians and 99th percentiles in
 * microseconds. Loopback only; the run is bounded by FETCHES (default 2000).
 */
#define _POSIX_C_SOURCE 200809L

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "config_fetch.h"
#include "mvhost.h"

#define ROUND_TRIP_BYTES 64
#define WARM_UP 200

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

static void report(const char *what, double *samples, int count)
{
    qsort(samples, (size_t)count, sizeof *samples, compare);
    printf("%-34s median %8.1f us   p99 %8.1f us   (%d samples)\n", what, samples[count / 2],
           samples[count * 99 / 100], count);
}

static void *echo(void *argument)
{
    int listener = *(int *)argument;
    int peer = accept(listener, NULL, NULL);
    char buffer[ROUND_TRIP_BYTES];
    ssize_t count;
    while ((count = read(peer, buffer, sizeof buffer)) > 0) {
        if (write(peer, buffer, (size_t)count) != count) {
            break;
        }
    }
    close(peer);
    return NULL;
}

/* Median of loopback TCP round trips of 64 bytes through an echo thread in this process. */
static double measure_round_trip(int rounds, double *samples)
{
    struct sockaddr_in address;
    socklen_t length = sizeof address;
    int one = 1;
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener, (struct sockaddr *)&address, sizeof address);
    listen(listener, 1);
    getsockname(listener, (struct sockaddr *)&address, &length);

    pthread_t thread;
    pthread_create(&thread, NULL, echo, &listener);
    int client = socket(AF_INET, SOCK_STREAM, 0);
    connect(client, (struct sockaddr *)&address, sizeof address);
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

    char buffer[ROUND_TRIP_BYTES] = {1};
    for (int i = 0; i < WARM_UP + rounds; i++) {
        double started = now_us();
        if (write(client, buffer, sizeof buffer) != (ssize_t)sizeof buffer) {
            break;
        }
        size_t received = 0;
        while (received < sizeof buffer) {
            ssize_t count = read(client, buffer + received, sizeof buffer - received);
            if (count <= 0) {
                break;
            }
            received += (size_t)count;
        }
        if (i >= WARM_UP) {
            samples[i - WARM_UP] = now_us() - started;
        }
    }
    close(client);
    pthread_join(thread, NULL);
    close(listener);
    report("loopback TCP round trip (64 B)", samples, rounds);
    return samples[rounds / 2];
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: bridge_fetch_bench ENDPOINT DEVICE_SID DEVICE_KEY_HEX SECRET_KEY [FETCHES "
                "[WARM_UP_FETCHES]]\n");
        return 2;
    }
    int fetches = argc > 5 ? atoi(argv[5]) : 2000;
    if (fetches < 100 || fetches > 1000000) {
        fprintf(stderr, "FETCHES must be 100 to 1000000, got %s\n", argv[5]);
        return 2;
    }
    int warm_up = argc > 6 ? atoi(argv[6]) : WARM_UP;
    if (warm_up < 2 || warm_up > 1000000) {
        fprintf(stderr, "WARM_UP_FETCHES must be 2 to 1000000, got %s\n", argv[6]);
        return 2;
    }
    double *samples = malloc(sizeof *samples * (size_t)fetches);
    double round_trip = measure_round_trip(fetches, samples);

    char endpoint[600];
    snprintf(endpoint, sizeof endpoint, "%s%sclock=virtual", argv[1], strchr(argv[1], '?') ? "&" : "?");
    if (mvhost_connect(endpoint, argv[2], argv[3]) != 0) {
        fprintf(stderr, "cannot connect to %s as %s\n", argv[1], argv[2]);
        return 1;
    }

    struct config_fetch_key key = {MV_CONFIGKEYFETCHSCOPE_DEVICE, MV_CONFIGKEYFETCHSTORE_SECRET, argv[4]};
    struct config_fetch_result result;
    struct mvhost_stats before;
    struct mvhost_stats fetched;
    struct mvhost_stats after;
    for (int i = 0; i < warm_up + fetches; i++) {
        /* The second fetch shows the steady state: the first has no earlier reply to bring reserved handles. */
        if (i == 1) {
            mvhost_get_stats(&before);
        }
        double started = now_us();
        enum config_fetch_outcome outcome = config_fetch_run(&key, 1, NULL, &result);
        if (outcome != CONFIG_FETCH_OK || result.items[0].result != MV_CONFIGKEYFETCHRESULT_OK) {
            fprintf(stderr, "fetch %d failed: %s (syscall status %u)\n", i, config_fetch_outcome_name(outcome),
                    (unsigned)result.status);
            return 1;
        }
        if (i >= warm_up) {
            samples[i - warm_up] = now_us() - started;
        }
        if (i == 1) {
            mvhost_get_stats(&fetched);
        }

        /* The kernel allows 8 channel opens per second of device time, as Microvisor rate-limits them.
           Passing 125 ms of virtual time, untimed, keeps the next fetch under that limit. */
        mvhost_clock_sleep_us(125000);
        if (i == 1) {
            mvhost_get_stats(&after);
            printf("per fetch: %llu syscalls + %llu harness calls; %llu of the syscalls answered locally; "
                   "%llu transport exchanges, %llu of them inside the timed fetch\n",
                   (unsigned long long)(after.syscalls - before.syscalls),
                   (unsigned long long)(after.control_calls - before.control_calls),
                   (unsigned long long)(after.local_answers - before.local_answers),
                   (unsigned long long)(after.exchanges - before.exchanges),
                   (unsigned long long)(fetched.exchanges - before.exchanges));
        }
    }
    report("full single-secret fetch", samples, fetches);
    printf("fetch / round trip: %.1f\n", samples[fetches / 2] / round_trip);
    mvhost_disconnect();
    free(samples);
    return 0;
}
