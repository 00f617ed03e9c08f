/*
 * Measures the most request and reply round trips per second that this machine carries between
 * CLIENTS processes, each blocking on its own socket, and one single-threaded epoll echo server,
 * when neither side does any work but the system calls. A fetch that needs N exchanges over such
 * a socket cannot go faster than this rate divided by N, whatever the server computes.
 *
 *   loopback_floor [CLIENTS] [ROUNDS] [tcp|unix]       (defaults: 1000 150 tcp)
 *
 * The parent is the server. It forks CLIENTS children, each of which connects over loopback TCP
 * (127.0.0.1, TCP_NODELAY) or a Unix stream socket, reports that it is ready and blocks on a
 * pipe. When every child is connected and ready, the parent closes the pipe, which releases them
 * all at once. Each child then makes ROUNDS blocking round trips of a 64-byte message: one write,
 * then reads until the whole message has come back. The server echoes whatever it reads.
 *
 * Prints round trips per second over the window from the release to the last child's last round
 * trip. It also prints the server's and the clients' CPU time per round trip, from getrusage, so
 * the clients' figure covers only their measured round trips, and the machine's busy time from
 * /proc/stat.
 * NOTE: Linux measures each process's total CPU time exactly but splits it into user and system
 * time by sampling at clock ticks, so the split is an estimate. /proc/stat counts whole ticks
 * (10 ms at USER_HZ 100), so its figures mean little for runs shorter than a second.
 *
 * Bounds: at most 4000 clients and 1000000 rounds. The connect phase times out after 60 s, the
 * measured phase after 300 s and each child's socket calls after 30 s. On any failure the parent
 * kills every child. A child whose parent has gone ends on its alarm or on end-of-file.
 */
/* epoll, MAP_ANONYMOUS and /proc/stat make this a Linux-only driver. */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum {
    MESSAGE_BYTES = 64,
    MAX_CLIENTS = 4000,
    MAX_ROUNDS = 1000000,
    CONNECT_TIMEOUT_S = 60,
    RUN_TIMEOUT_S = 300,
    CLIENT_SOCKET_TIMEOUT_S = 30,
    /* How often the server's wait returns without events, to check its deadline and dead children. */
    POLL_INTERVAL_MS = 100,
    MAX_EVENTS = 256,
};

enum transport { TRANSPORT_TCP, TRANSPORT_UNIX };

/* Exit codes of a child, so that the parent can report which step failed. */
enum client_failure {
    CLIENT_OK = 0,
    CLIENT_CONNECT_FAILED = 10,
    CLIENT_RELEASE_FAILED = 11,
    CLIENT_WRITE_FAILED = 12,
    CLIENT_READ_FAILED = 13,
    CLIENT_ECHO_MISMATCH = 14,
};

struct options {
    int clients;
    int rounds;
    enum transport transport;
};

/* A child's results, written into memory shared with the parent after its last round trip. */
struct client_record {
    int64_t end_ns;
    int64_t user_us;
    int64_t system_us;
    int32_t completed;
};

struct listener {
    int fd;
    struct sockaddr_storage address;
    socklen_t address_length;
    /* Directory that contains the Unix socket, removed at the end. Empty for TCP. */
    char unix_directory[96];
};

/* Bytes read from a connection but not yet written back, because the socket's send buffer was full. */
struct connection {
    int fd;
    uint8_t pending[MESSAGE_BYTES];
    size_t pending_length;
    size_t pending_offset;
};

/* Busy and total time of all cores in clock ticks, from the "cpu" line of /proc/stat. */
struct machine_ticks {
    uint64_t busy;
    uint64_t total;
    uint64_t softirq;
    uint64_t steal;
};

static const char *transport_name(enum transport transport)
{
    return transport == TRANSPORT_TCP ? "tcp" : "unix";
}

static int64_t now_ns(void)
{
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return (int64_t)time.tv_sec * 1000000000 + time.tv_nsec;
}

static int64_t timeval_us(struct timeval value)
{
    return (int64_t)value.tv_sec * 1000000 + value.tv_usec;
}

/* Parses a decimal integer in [minimum, maximum] or exits with a message naming the argument. */
static int parse_bounded(const char *text, const char *name, int minimum, int maximum)
{
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < minimum || value > maximum) {
        fprintf(stderr, "loopback_floor: %s must be an integer from %d to %d, got '%s'\n", name, minimum,
                maximum, text);
        exit(2);
    }
    return (int)value;
}

static struct options parse_options(int argc, char **argv)
{
    struct options options = {.clients = 1000, .rounds = 150, .transport = TRANSPORT_TCP};
    if (argc > 4) {
        fprintf(stderr, "usage: loopback_floor [CLIENTS] [ROUNDS] [tcp|unix]\n");
        exit(2);
    }
    if (argc > 1) {
        options.clients = parse_bounded(argv[1], "CLIENTS", 1, MAX_CLIENTS);
    }
    if (argc > 2) {
        options.rounds = parse_bounded(argv[2], "ROUNDS", 1, MAX_ROUNDS);
    }
    if (argc > 3) {
        if (strcmp(argv[3], "tcp") == 0) {
            options.transport = TRANSPORT_TCP;
        } else if (strcmp(argv[3], "unix") == 0) {
            options.transport = TRANSPORT_UNIX;
        } else {
            fprintf(stderr, "loopback_floor: the transport must be tcp or unix, got '%s'\n", argv[3]);
            exit(2);
        }
    }
    return options;
}

/* Raises the soft limit on open files to cover one socket per client plus a few, if the hard limit allows. */
static bool ensure_file_limit(int clients)
{
    struct rlimit limit;
    rlim_t needed = (rlim_t)clients + 32;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        perror("loopback_floor: getrlimit(RLIMIT_NOFILE) failed");
        return false;
    }
    if (limit.rlim_cur >= needed) {
        return true;
    }
    if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < needed) {
        fprintf(stderr,
                "loopback_floor: %d clients need %ju open files, but the hard limit is %ju; "
                "raise it (ulimit -Hn) or use fewer clients\n",
                clients, (uintmax_t)needed, (uintmax_t)limit.rlim_max);
        return false;
    }
    limit.rlim_cur = needed;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
        perror("loopback_floor: setrlimit(RLIMIT_NOFILE) failed");
        return false;
    }
    return true;
}

static bool set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);
    return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

/*
 * Opens the server's listening socket on 127.0.0.1 with a free port, or on a Unix socket in a new
 * temporary directory.
 */
static bool open_listener(enum transport transport, int backlog, struct listener *listener)
{
    memset(listener, 0, sizeof *listener);
    listener->fd = -1;

    if (transport == TRANSPORT_TCP) {
        struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = 0};
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        listener->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (listener->fd < 0 || bind(listener->fd, (struct sockaddr *)&address, sizeof address) != 0) {
            perror("loopback_floor: binding a TCP socket to 127.0.0.1 failed");
            return false;
        }
    } else {
        const char *temporary = getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp";
        struct sockaddr_un address = {.sun_family = AF_UNIX};
        int length = snprintf(listener->unix_directory, sizeof listener->unix_directory, "%s/loopback-floor.XXXXXX",
                              temporary);
        if (length < 0 || (size_t)length >= sizeof listener->unix_directory ||
            mkdtemp(listener->unix_directory) == NULL) {
            fprintf(stderr, "loopback_floor: creating a temporary directory under '%s' failed: %s\n", temporary,
                    strerror(errno));
            listener->unix_directory[0] = '\0';
            return false;
        }
        length = snprintf(address.sun_path, sizeof address.sun_path, "%s/echo.sock", listener->unix_directory);
        if (length < 0 || (size_t)length >= sizeof address.sun_path) {
            fprintf(stderr, "loopback_floor: the socket path under '%s' is longer than %zu bytes; set TMPDIR to a "
                            "shorter directory\n",
                    listener->unix_directory, sizeof address.sun_path - 1);
            return false;
        }
        listener->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (listener->fd < 0 || bind(listener->fd, (struct sockaddr *)&address, sizeof address) != 0) {
            fprintf(stderr, "loopback_floor: binding a Unix socket to '%s' failed: %s\n", address.sun_path,
                    strerror(errno));
            return false;
        }
    }

    if (listen(listener->fd, backlog) != 0) {
        perror("loopback_floor: listen failed");
        return false;
    }
    listener->address_length = sizeof listener->address;
    if (getsockname(listener->fd, (struct sockaddr *)&listener->address, &listener->address_length) != 0) {
        perror("loopback_floor: getsockname failed");
        return false;
    }
    return set_nonblocking(listener->fd);
}

static void close_listener(struct listener *listener)
{
    if (listener->fd >= 0) {
        close(listener->fd);
    }
    if (listener->unix_directory[0] != '\0') {
        char path[sizeof listener->unix_directory + 16];
        snprintf(path, sizeof path, "%s/echo.sock", listener->unix_directory);
        unlink(path);
        rmdir(listener->unix_directory);
    }
}

static bool write_all(int fd, const uint8_t *bytes, size_t length)
{
    while (length > 0) {
        ssize_t written = write(fd, bytes, length);
        if (written < 0 && errno == EINTR) {
            continue;
        }
        if (written <= 0) {
            return false;
        }
        bytes += written;
        length -= (size_t)written;
    }
    return true;
}

static bool read_all(int fd, uint8_t *bytes, size_t length)
{
    while (length > 0) {
        ssize_t count = read(fd, bytes, length);
        if (count < 0 && errno == EINTR) {
            continue;
        }
        if (count <= 0) {
            return false;
        }
        bytes += count;
        length -= (size_t)count;
    }
    return true;
}

static int connect_client(const struct listener *listener, enum transport transport)
{
    int fd = socket(listener->address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    struct timeval timeout = {.tv_sec = CLIENT_SOCKET_TIMEOUT_S};
    int enable = 1;
    bool configured = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout) == 0 &&
                      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout) == 0;
    if (configured && transport == TRANSPORT_TCP) {
        configured = setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &enable, sizeof enable) == 0;
    }
    if (!configured || connect(fd, (const struct sockaddr *)&listener->address, listener->address_length) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/*
 * Runs one client in a forked child and exits with a client_failure code. The child keeps only
 * the read end of the release pipe and the write end of the ready pipe.
 */
static _Noreturn void run_client(int index, const struct options *options, struct listener *listener,
                                 int release_fd, int ready_fd, struct client_record *record)
{
    /* Bounds the whole child even if the parent dies without closing anything. */
    alarm(CONNECT_TIMEOUT_S + RUN_TIMEOUT_S + 10);
    close(listener->fd);

    int fd = connect_client(listener, options->transport);
    if (fd < 0) {
        fprintf(stderr, "loopback_floor: client %d: connect failed: %s\n", index, strerror(errno));
        _exit(CLIENT_CONNECT_FAILED);
    }
    uint8_t ready = 1;
    char released;
    if (!write_all(ready_fd, &ready, 1) || read(release_fd, &released, 1) != 0) {
        fprintf(stderr, "loopback_floor: client %d: waiting for the release failed\n", index);
        _exit(CLIENT_RELEASE_FAILED);
    }

    struct rusage usage_before;
    getrusage(RUSAGE_SELF, &usage_before);
    uint8_t message[MESSAGE_BYTES];
    uint8_t echo[MESSAGE_BYTES];
    memset(message, 0x5a, sizeof message);
    for (int round = 0; round < options->rounds; round++) {
        /* The round number in the message proves that each reply is the echo of this round's request. */
        memcpy(message, &round, sizeof round);
        if (!write_all(fd, message, sizeof message)) {
            fprintf(stderr, "loopback_floor: client %d: write failed in round %d: %s\n", index, round, strerror(errno));
            _exit(CLIENT_WRITE_FAILED);
        }
        errno = 0;
        if (!read_all(fd, echo, sizeof echo)) {
            fprintf(stderr, "loopback_floor: client %d: read failed in round %d: %s\n", index, round,
                    errno != 0 ? strerror(errno) : "end of file");
            _exit(CLIENT_READ_FAILED);
        }
        if (memcmp(message, echo, sizeof message) != 0) {
            fprintf(stderr, "loopback_floor: client %d: the echo of round %d differs from the request\n", index,
                    round);
            _exit(CLIENT_ECHO_MISMATCH);
        }
    }

    struct rusage usage_after;
    getrusage(RUSAGE_SELF, &usage_after);
    record->end_ns = now_ns();
    record->user_us = timeval_us(usage_after.ru_utime) - timeval_us(usage_before.ru_utime);
    record->system_us = timeval_us(usage_after.ru_stime) - timeval_us(usage_before.ru_stime);
    record->completed = 1;
    close(fd);
    _exit(CLIENT_OK);
}

static void kill_children(pid_t *children, int count)
{
    if (children == NULL) {
        return;
    }
    for (int i = 0; i < count; i++) {
        if (children[i] > 0) {
            kill(children[i], SIGKILL);
        }
    }
    for (int i = 0; i < count; i++) {
        if (children[i] > 0) {
            waitpid(children[i], NULL, 0);
            children[i] = 0;
        }
    }
}

/* Returns whether a child's wait status is a success, and names the child and its end if not. */
static bool check_child_status(int index, int status)
{
    if (WIFEXITED(status) && WEXITSTATUS(status) == CLIENT_OK) {
        return true;
    }
    if (WIFEXITED(status)) {
        fprintf(stderr, "loopback_floor: client %d failed with exit code %d\n", index, WEXITSTATUS(status));
    } else {
        fprintf(stderr, "loopback_floor: client %d was killed by signal %d\n", index, WTERMSIG(status));
    }
    return false;
}

/* Reaps children that have already exited. Returns false if one of them failed. */
static bool reap_exited_children(pid_t *children, int count)
{
    int status;
    pid_t pid;
    bool all_ok = true;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (int i = 0; i < count; i++) {
            if (children[i] == pid) {
                children[i] = 0;
                all_ok = check_child_status(i, status) && all_ok;
            }
        }
    }
    return all_ok;
}

/* Waits for every remaining child and returns the number that failed. Their alarms bound the wait. */
static int wait_for_children(pid_t *children, int count)
{
    int failed = 0;
    for (int i = 0; i < count; i++) {
        int status;
        if (children[i] <= 0) {
            continue;
        }
        if (waitpid(children[i], &status, 0) != children[i]) {
            fprintf(stderr, "loopback_floor: waiting for client %d failed: %s\n", i, strerror(errno));
            failed++;
        } else if (!check_child_status(i, status)) {
            failed++;
        }
        children[i] = 0;
    }
    return failed;
}

static bool read_machine_ticks(struct machine_ticks *ticks)
{
    unsigned long long user, nice, system, idle, iowait, irq, softirq, steal;
    FILE *stat = fopen("/proc/stat", "r");
    if (stat == NULL) {
        return false;
    }
    int fields = fscanf(stat, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &user, &nice, &system, &idle, &iowait,
                        &irq, &softirq, &steal);
    fclose(stat);
    if (fields != 8) {
        return false;
    }
    /* Steal is time the hypervisor gave to other guests, so it counts as neither busy nor available. */
    ticks->busy = user + nice + system + irq + softirq;
    ticks->total = ticks->busy + idle + iowait;
    ticks->softirq = softirq;
    ticks->steal = steal;
    return true;
}

static bool add_to_epoll(int epoll_fd, int fd, uint32_t events, uint64_t data)
{
    struct epoll_event event = {.events = events, .data.u64 = data};
    return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event) == 0;
}

/* epoll data values that mark the two descriptors that are not connections. */
#define LISTENER_TAG UINT64_MAX
#define READY_PIPE_TAG (UINT64_MAX - 1)

/*
 * Accepts every client's connection and reads every client's ready byte. Returns false on a
 * timeout, an accept error or a child that ended early.
 */
static bool accept_clients(int epoll_fd, const struct listener *listener, int ready_fd, struct connection *connections,
                           int clients, pid_t *children)
{
    int accepted = 0;
    int ready = 0;
    int64_t deadline = now_ns() + (int64_t)CONNECT_TIMEOUT_S * 1000000000;
    struct epoll_event events[MAX_EVENTS];

    while (accepted < clients || ready < clients) {
        if (!reap_exited_children(children, clients)) {
            return false;
        }
        if (now_ns() > deadline) {
            fprintf(stderr,
                    "loopback_floor: connecting timed out: %d of %d clients connected and %d were ready "
                    "within %d s\n",
                    accepted, clients, ready, CONNECT_TIMEOUT_S);
            return false;
        }
        int count = epoll_wait(epoll_fd, events, MAX_EVENTS, POLL_INTERVAL_MS);
        if (count < 0 && errno != EINTR) {
            perror("loopback_floor: epoll_wait failed");
            return false;
        }

        for (int i = 0; i < count; i++) {
            if (events[i].data.u64 == READY_PIPE_TAG) {
                char bytes[256];
                ssize_t length = read(ready_fd, bytes, sizeof bytes);
                if (length > 0) {
                    ready += (int)length;
                }
                continue;
            }
            while (accepted < clients) {
                int fd = accept4(listener->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (fd < 0) {
                    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                        break;
                    }
                    perror("loopback_floor: accept failed");
                    return false;
                }
                /* Stored first, so that the cleanup closes it on any failure below. */
                connections[accepted].fd = fd;
                int enable = 1;
                if (listener->address.ss_family == AF_INET &&
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &enable, sizeof enable) != 0) {
                    perror("loopback_floor: setting TCP_NODELAY failed");
                    return false;
                }
                if (!add_to_epoll(epoll_fd, fd, EPOLLIN, (uint64_t)accepted)) {
                    perror("loopback_floor: epoll_ctl failed");
                    return false;
                }
                accepted++;
            }
        }
    }
    return true;
}

/* Writes back what is pending on a connection. Returns false if the peer is gone. */
static bool flush_pending(int epoll_fd, struct connection *connection, uint64_t tag)
{
    while (connection->pending_offset < connection->pending_length) {
        ssize_t written = write(connection->fd, connection->pending + connection->pending_offset,
                                connection->pending_length - connection->pending_offset);
        if (written < 0 && errno == EINTR) {
            continue;
        }
        if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            /* Wait for room instead of reading more, because a client never has more than one message in flight. */
            struct epoll_event event = {.events = EPOLLOUT, .data.u64 = tag};
            return epoll_ctl(epoll_fd, EPOLL_CTL_MOD, connection->fd, &event) == 0;
        }
        if (written <= 0) {
            return false;
        }
        connection->pending_offset += (size_t)written;
    }
    connection->pending_length = 0;
    connection->pending_offset = 0;
    return true;
}

/* Echoes what one ready connection sent. Returns false once the connection is closed. */
static bool serve_connection(int epoll_fd, struct connection *connection, uint64_t tag, uint32_t ready_events)
{
    if (connection->pending_length > 0) {
        /* The connection waits for room to write, and it reads nothing more until the echo is out. */
        if (!(ready_events & EPOLLOUT)) {
            return !(ready_events & (EPOLLERR | EPOLLHUP));
        }
        if (!flush_pending(epoll_fd, connection, tag)) {
            return false;
        }
        if (connection->pending_length > 0) {
            return true;
        }
        struct epoll_event event = {.events = EPOLLIN, .data.u64 = tag};
        return epoll_ctl(epoll_fd, EPOLL_CTL_MOD, connection->fd, &event) == 0;
    }

    ssize_t length = read(connection->fd, connection->pending, sizeof connection->pending);
    if (length < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
        return true;
    }
    if (length <= 0) {
        return false;
    }
    connection->pending_length = (size_t)length;
    connection->pending_offset = 0;
    return flush_pending(epoll_fd, connection, tag);
}

/*
 * Echoes until every client has closed its connection. Returns false on a timeout or an epoll
 * error. A client that fails closes its socket too, and the parent finds it when it reaps.
 */
static bool echo_until_all_closed(int epoll_fd, struct connection *connections, int clients)
{
    int open_connections = clients;
    int64_t deadline = now_ns() + (int64_t)RUN_TIMEOUT_S * 1000000000;
    struct epoll_event events[MAX_EVENTS];

    while (open_connections > 0) {
        int count = epoll_wait(epoll_fd, events, MAX_EVENTS, POLL_INTERVAL_MS);
        if (count < 0 && errno != EINTR) {
            perror("loopback_floor: epoll_wait failed");
            return false;
        }
        /* clock_gettime runs in the vDSO, without a system call, so this check costs the server little. */
        if (now_ns() > deadline) {
            fprintf(stderr,
                    "loopback_floor: the run timed out: %d of %d clients were still running after %d s; "
                    "use fewer ROUNDS\n",
                    open_connections, clients, RUN_TIMEOUT_S);
            return false;
        }

        for (int i = 0; i < count; i++) {
            uint64_t tag = events[i].data.u64;
            struct connection *connection = &connections[tag];
            if (connection->fd >= 0 && !serve_connection(epoll_fd, connection, tag, events[i].events)) {
                close(connection->fd);
                connection->fd = -1;
                open_connections--;
            }
        }
    }
    return true;
}

static void print_report(const struct options *options, int64_t connect_ns, int64_t release_ns,
                         const struct client_record *records, struct rusage server_before, struct rusage server_after,
                         struct machine_ticks machine_before, struct machine_ticks machine_after)
{
    int64_t first_end_ns = INT64_MAX;
    int64_t last_end_ns = 0;
    int64_t clients_user_us = 0;
    int64_t clients_system_us = 0;
    for (int i = 0; i < options->clients; i++) {
        first_end_ns = records[i].end_ns < first_end_ns ? records[i].end_ns : first_end_ns;
        last_end_ns = records[i].end_ns > last_end_ns ? records[i].end_ns : last_end_ns;
        clients_user_us += records[i].user_us;
        clients_system_us += records[i].system_us;
    }

    double round_trips = (double)options->clients * options->rounds;
    double window_s = (double)(last_end_ns - release_ns) / 1e9;
    int64_t server_user_us = timeval_us(server_after.ru_utime) - timeval_us(server_before.ru_utime);
    int64_t server_system_us = timeval_us(server_after.ru_stime) - timeval_us(server_before.ru_stime);
    double ms_per_tick = 1000.0 / (double)sysconf(_SC_CLK_TCK);
    double busy_ms = (double)(machine_after.busy - machine_before.busy) * ms_per_tick;
    double total_ms = (double)(machine_after.total - machine_before.total) * ms_per_tick;
    double attributed_ms = (double)(server_user_us + server_system_us + clients_user_us + clients_system_us) / 1000;

    printf("transport: %s, %d clients x %d rounds, %d-byte messages\n", transport_name(options->transport),
           options->clients, options->rounds, MESSAGE_BYTES);
    printf("connected and ready in: %.0f ms\n", (double)connect_ns / 1e6);
    printf("round trips per second: %.0f (%.0f round trips in %.3f s)\n", round_trips / window_s, round_trips,
           window_s);
    printf("clients finished after the release: first %.0f ms, last %.0f ms\n",
           (double)(first_end_ns - release_ns) / 1e6, (double)(last_end_ns - release_ns) / 1e6);
    printf("server CPU per round trip: %.2f us (user %.2f, system %.2f), %.0f ms in all\n",
           (double)(server_user_us + server_system_us) / round_trips, (double)server_user_us / round_trips,
           (double)server_system_us / round_trips, (double)(server_user_us + server_system_us) / 1000);
    printf("clients' CPU per round trip: %.2f us (user %.2f, system %.2f), %.0f ms in all\n",
           (double)(clients_user_us + clients_system_us) / round_trips, (double)clients_user_us / round_trips,
           (double)clients_system_us / round_trips, (double)(clients_user_us + clients_system_us) / 1000);
    /*
     * Softirq time includes TCP's loopback receive path. On a kernel without
     * CONFIG_IRQ_TIME_ACCOUNTING it is also part of the CPU time of the process that it interrupted,
     * so it is printed apart and not added to the server's or the clients' time.
     */
    double softirq_ms = (double)(machine_after.softirq - machine_before.softirq) * ms_per_tick;
    printf("softirq per round trip: %.2f us, %.0f ms in all\n", softirq_ms * 1000 / round_trips, softirq_ms);
    printf("machine busy: %.0f of %.0f ms (%ld cores), of which %.0f ms not in the server or the clients; "
           "steal %.0f ms\n",
           busy_ms, total_ms, sysconf(_SC_NPROCESSORS_ONLN), busy_ms - attributed_ms,
           (double)(machine_after.steal - machine_before.steal) * ms_per_tick);
}

/* Everything the parent sets up before forking, so that one function can release it all. */
struct run {
    struct options options;
    struct listener listener;
    int release_pipe[2];
    int ready_pipe[2];
    int epoll_fd;
    pid_t *children;
    struct connection *connections;
    struct client_record *records;
    size_t records_bytes;
};

static void close_if_open(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

static void release_run(struct run *run)
{
    kill_children(run->children, run->options.clients);
    for (int i = 0; run->connections != NULL && i < run->options.clients; i++) {
        close_if_open(&run->connections[i].fd);
    }
    close_if_open(&run->release_pipe[0]);
    close_if_open(&run->release_pipe[1]);
    close_if_open(&run->ready_pipe[0]);
    close_if_open(&run->ready_pipe[1]);
    close_if_open(&run->epoll_fd);
    close_listener(&run->listener);
    if (run->records != NULL) {
        munmap(run->records, run->records_bytes);
    }
    free(run->connections);
    free(run->children);
}

static bool prepare_run(struct run *run)
{
    run->children = calloc((size_t)run->options.clients, sizeof *run->children);
    run->connections = calloc((size_t)run->options.clients, sizeof *run->connections);
    run->records_bytes = (size_t)run->options.clients * sizeof *run->records;
    void *records = mmap(NULL, run->records_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    run->records = records == MAP_FAILED ? NULL : records;
    if (run->children == NULL || run->connections == NULL || run->records == NULL) {
        fprintf(stderr, "loopback_floor: out of memory for %d clients\n", run->options.clients);
        return false;
    }
    for (int i = 0; i < run->options.clients; i++) {
        run->connections[i].fd = -1;
    }

    if (!ensure_file_limit(run->options.clients) ||
        !open_listener(run->options.transport, run->options.clients, &run->listener)) {
        return false;
    }
    if (pipe2(run->release_pipe, O_CLOEXEC) != 0 || pipe2(run->ready_pipe, O_CLOEXEC) != 0) {
        perror("loopback_floor: pipe failed");
        return false;
    }
    return true;
}

/*
 * Forks every client. Each child inherits only the listener and the pipes, because the parent
 * creates epoll and accepts the connections after the last fork.
 */
static bool fork_clients(struct run *run)
{
    fflush(NULL);
    for (int i = 0; i < run->options.clients; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            fprintf(stderr, "loopback_floor: fork failed after %d of %d clients: %s\n", i, run->options.clients,
                    strerror(errno));
            return false;
        }
        if (pid == 0) {
            close(run->release_pipe[1]);
            close(run->ready_pipe[0]);
            run_client(i, &run->options, &run->listener, run->release_pipe[0], run->ready_pipe[1], &run->records[i]);
        }
        run->children[i] = pid;
    }
    close_if_open(&run->release_pipe[0]);
    close_if_open(&run->ready_pipe[1]);
    return true;
}

/* Runs the benchmark once and returns the process's exit code. */
static int run_benchmark(struct run *run)
{
    int64_t started_ns = now_ns();
    if (!prepare_run(run) || !fork_clients(run)) {
        return 1;
    }

    run->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (run->epoll_fd < 0 || !add_to_epoll(run->epoll_fd, run->listener.fd, EPOLLIN, LISTENER_TAG) ||
        !set_nonblocking(run->ready_pipe[0]) ||
        !add_to_epoll(run->epoll_fd, run->ready_pipe[0], EPOLLIN, READY_PIPE_TAG)) {
        perror("loopback_floor: setting up epoll failed");
        return 1;
    }
    if (!accept_clients(run->epoll_fd, &run->listener, run->ready_pipe[0], run->connections, run->options.clients,
                        run->children)) {
        return 1;
    }
    epoll_ctl(run->epoll_fd, EPOLL_CTL_DEL, run->listener.fd, NULL);
    epoll_ctl(run->epoll_fd, EPOLL_CTL_DEL, run->ready_pipe[0], NULL);

    struct machine_ticks machine_before;
    struct machine_ticks machine_after;
    struct rusage server_before;
    struct rusage server_after;
    if (!read_machine_ticks(&machine_before)) {
        fprintf(stderr, "loopback_floor: reading /proc/stat failed\n");
        return 1;
    }
    getrusage(RUSAGE_SELF, &server_before);
    int64_t release_ns = now_ns();
    close_if_open(&run->release_pipe[1]);

    if (!echo_until_all_closed(run->epoll_fd, run->connections, run->options.clients)) {
        return 1;
    }
    getrusage(RUSAGE_SELF, &server_after);
    if (!read_machine_ticks(&machine_after)) {
        fprintf(stderr, "loopback_floor: reading /proc/stat failed\n");
        return 1;
    }

    /* A child that exits 0 has written its record, so a missing record means a failed child. */
    int failed = wait_for_children(run->children, run->options.clients);
    int incomplete = 0;
    for (int i = 0; i < run->options.clients; i++) {
        incomplete += run->records[i].completed != 1;
    }
    failed = failed > incomplete ? failed : incomplete;
    if (failed > 0) {
        fprintf(stderr, "loopback_floor: %d of %d clients failed\n", failed,
                run->options.clients);
        return 1;
    }
    print_report(&run->options, release_ns - started_ns, release_ns, run->records, server_before, server_after,
                 machine_before, machine_after);
    return 0;
}

int main(int argc, char **argv)
{
    struct run run = {
        .options = parse_options(argc, argv),
        .listener = {.fd = -1},
        .release_pipe = {-1, -1},
        .ready_pipe = {-1, -1},
        .epoll_fd = -1,
    };
    /* A client that has gone must show as a failed write, not kill the server. */
    signal(SIGPIPE, SIG_IGN);

    int exit_code = run_benchmark(&run);
    release_run(&run);
    return exit_code;
}
