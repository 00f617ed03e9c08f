/*
 * The bridge transport. One connection per process, used under libmvhost's transport lock, so
 * nothing here needs its own locking. While the simulator is unreachable every syscall gets a
 * local answer (transport_local.c) and the next syscall after a short pause tries to reconnect.
 */
/* getaddrinfo and termios speeds above 38400 baud are POSIX and BSD extensions, hidden under C11. */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L

#include "transport_bridge.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "device_clock.h"
#include "host.h"
#include "local_answers.h"
#include "mvhost.h"
#include "held_reports.h"
#include "lost_request.h"
#include "offline_handles.h"
#include "transport_local.h"
#include "transport_packet.h"
#include "transport_sha256.h"

#define MODULE "libmvhost"
#define BRIDGE_MIN_VERSION 1u
/* Version 1 frames every packet with COBS and a CRC-32, the only framing a serial line uses. */
#define PACKET_FRAMING_VERSION 1u
/* Version 2 sends packets after WELCOME with a length prefix instead, on TCP and Unix sockets. */
#define STREAM_FRAMING_VERSION 2u
#define NONCE_BYTES 16u
#define MAX_SID_BYTES 64u
/* A device SID: UV and 32 hex digits. */
#define SID_BYTES 34u
/* Device keys are 32 random bytes, as `mvsim devices add` makes them. */
#define KEY_BYTES 32u
#define HELLO_TIME_BYTES 16u /* boot id and device time, u64 each, after the SID */
#define DEVICE_LABEL "mvsim-bridge-1 device"
#define SERVER_LABEL "mvsim-bridge-1 server"

/* Defaults; each can be changed in the endpoint's query string. */
#define STREAM_TIMEOUT_MS 30000u /* a loaded simulator may take long; a socket loses nothing */
#define SERIAL_TIMEOUT_MS 250u   /* a lost packet on a line is retried after this */
#define SERIAL_RETRIES 8u
#define RECONNECT_PAUSE_MS 200u  /* between connection attempts while the simulator is away */
/* A firmware started together with `mvsim serve` waits this long at its first connection: a
   JVM start with the REST server, estimated at a few seconds on a loaded laptop, fits in it. */
#define FIRST_CONNECTION_WAIT_MS 10000u
#define WAIT_RETRY_PAUSE_MS 100u /* between attempts while the first connection waits */
/* The whole handshake, however many packets arrive, gives up after this. */
#define HANDSHAKE_TIMEOUT_MS 5000u
/* How often the push reader of interrupt-thread mode looks at an idle or closed link. */
#define READER_IDLE_MS 20

enum endpoint_kind { ENDPOINT_TCP, ENDPOINT_UNIX, ENDPOINT_SERIAL };

/* What waiting for a packet returned, besides a payload length. */
enum { RECEIVE_FAILED = -1, RECEIVE_TIMEOUT = -2 };
/* What one exchange attempt returned, besides a reply length. */
enum { EXCHANGE_FAILED = -1, EXCHANGE_NEEDS_HANDSHAKE = -2 };

struct bridge {
    enum endpoint_kind kind;
    char endpoint[512];
    char host[256];
    char port[16];
    char path[256];
    unsigned baud;
    unsigned timeout_ms;
    unsigned retries;
    unsigned reconnect_ms;
    unsigned wait_ms;
    unsigned handshake_ms;
    uint8_t clock;
    char sid[MAX_SID_BYTES + 1];
    uint8_t key[KEY_BYTES];
    size_t key_length;

    int fd;
    /* The socket's receive timeout is timeout_ms, so a wait of that length can read at once. */
    int reads_time_out;
    int authenticated;
    int first_attempt_done;
    uint64_t handshake_deadline_ms;
    int rejected;
    int down_reported;
    uint64_t next_attempt_ms;
    uint64_t reconnects;

    struct mvhost_packet_reader reader;
    /* Set after a handshake that chose version 2: packets then go through stream_reader. */
    int stream_framing;
    struct mvhost_stream_reader stream_reader;
    /* Reason a version 2 stream was dropped, a static string for the line that reports the loss. */
    const char *stream_failure;
    uint8_t *payload;
    uint8_t *scratch;
    uint8_t *packet;
    uint8_t input[4096];
    size_t input_start;
    size_t input_length;
};

static struct bridge bridge = {.fd = -1};

/* The push reader of interrupt-thread mode. */
static pthread_t reader_thread;
static int reader_running;
static volatile int reader_stop;
static int environment_checked;

static uint64_t now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000u + (uint64_t)now.tv_nsec / 1000000u;
}

/* ---- Endpoint and key parsing ---- */

static int parse_unsigned(const char *text, unsigned *value)
{
    char *end;
    errno = 0;
    unsigned long parsed = strtoul(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || parsed > 100000000ul) {
        return -1;
    }
    *value = (unsigned)parsed;
    return 0;
}

/* Applies "name=value&..." options; returns 0, or -1 with a message on stderr. */
static speed_t baud_constant(unsigned baud);

static int parse_options(char *query, struct bridge *target)
{
    char *save = NULL;
    for (char *option = strtok_r(query, "&", &save); option != NULL; option = strtok_r(NULL, "&", &save)) {
        char *value = strchr(option, '=');
        unsigned number = 0;
        if (value == NULL) {
            fprintf(stderr, "%s: invalid option '%s' in MVHOST_CONNECT: expected NAME=VALUE\n", MODULE, option);
            return -1;
        }
        *value++ = '\0';
        if (strcmp(option, "clock") == 0) {
            if (strcmp(value, "virtual") == 0) {
                target->clock = 1;
            } else if (strcmp(value, "wall") == 0) {
                target->clock = 2;
            } else {
                fprintf(stderr, "%s: invalid clock '%s' in MVHOST_CONNECT: use virtual or wall\n", MODULE, value);
                return -1;
            }
            continue;
        }
        /* timeout_ms and handshake_ms bound a wait, so 0 would give up before any reply could arrive. */
        int positive = strcmp(option, "timeout_ms") == 0 || strcmp(option, "handshake_ms") == 0;
        if (parse_unsigned(value, &number) != 0 || (positive && number == 0)) {
            fprintf(stderr, "%s: invalid value '%s' for option %s in MVHOST_CONNECT: expected a whole number, %s\n",
                    MODULE, value, option, positive ? "above 0" : "0 or above");
            return -1;
        }
        if (strcmp(option, "baud") == 0) {
            if (baud_constant(number) == B0) {
                fprintf(stderr, "%s: invalid baud rate %u in MVHOST_CONNECT: use 9600, 19200, 38400, 57600, 115200, "
                        "230400, 460800 or 921600, as in serial:/dev/ttyUSB0?baud=115200\n", MODULE, number);
                return -1;
            }
            target->baud = number;
        } else if (strcmp(option, "timeout_ms") == 0 && number > 0) {
            target->timeout_ms = number;
        } else if (strcmp(option, "retries") == 0) {
            target->retries = number;
        } else if (strcmp(option, "reconnect_ms") == 0) {
            target->reconnect_ms = number;
        } else if (strcmp(option, "wait_ms") == 0) {
            target->wait_ms = number;
        } else if (strcmp(option, "handshake_ms") == 0 && number > 0) {
            target->handshake_ms = number;
        } else {
            fprintf(stderr, "%s: invalid option %s=%s in MVHOST_CONNECT: use baud, timeout_ms (above 0), retries, "
                    "reconnect_ms, wait_ms, handshake_ms (above 0) or clock, as in "
                    "tcp://127.0.0.1:8461?wait_ms=10000\n", MODULE, option, value);
            return -1;
        }
    }
    return 0;
}

static int copy_text(char *target, size_t capacity, const char *source, size_t length, const char *what,
                     const char *example)
{
    if (length == 0 || length >= capacity) {
        fprintf(stderr, "%s: invalid %s in MVHOST_CONNECT: empty or longer than %u bytes; use a form such as %s\n",
                MODULE, what, (unsigned)capacity - 1u, example);
        return -1;
    }
    memcpy(target, source, length);
    target[length] = '\0';
    return 0;
}

/*
 * Parses the "HOST:PORT" after "tcp://" in `text`. An IPv6 literal goes in brackets, as in a URL
 * ("[::1]:8461"), because its own colons would make the port ambiguous.
 */
static int parse_tcp_endpoint(char *host_port, const char *text, struct bridge *target)
{
    char *host = host_port;
    char *host_end = NULL;
    char *colon = NULL;
    if (host[0] == '[') {
        host++;
        host_end = strchr(host, ']');
        colon = host_end != NULL && host_end[1] == ':' ? host_end + 1 : NULL;
        if (colon == NULL || host_end == host) {
            fprintf(stderr, "%s: invalid MVHOST_CONNECT '%s': expected tcp://[IPV6]:PORT with the address in "
                    "brackets and the port after them, such as tcp://[::1]:8461\n", MODULE, text);
            return -1;
        }
    } else {
        colon = strchr(host, ':');
        host_end = colon;
        if (colon != NULL && strchr(colon + 1, ':') != NULL) {
            fprintf(stderr, "%s: invalid MVHOST_CONNECT '%s': write an IPv6 address in brackets, such as "
                    "tcp://[::1]:8461\n", MODULE, text);
            return -1;
        }
    }
    if (colon == NULL) {
        fprintf(stderr, "%s: invalid MVHOST_CONNECT '%s': expected tcp://HOST:PORT\n", MODULE, text);
        return -1;
    }

    unsigned port = 0;
    if (host_end == host || parse_unsigned(colon + 1, &port) != 0 || port == 0 || port > 65535u) {
        fprintf(stderr, "%s: invalid MVHOST_CONNECT '%s': expected tcp://HOST:PORT with a host and a port "
                "from 1 to 65535, such as tcp://127.0.0.1:8461\n", MODULE, text);
        return -1;
    }
    target->kind = ENDPOINT_TCP;
    return copy_text(target->host, sizeof target->host, host, (size_t)(host_end - host), "host",
                     "tcp://127.0.0.1:8461") ||
           copy_text(target->port, sizeof target->port, colon + 1, strlen(colon + 1), "port",
                     "tcp://127.0.0.1:8461");
}

/* Parses "tcp://HOST:PORT", "unix:PATH" or "serial:DEVICE", each with an optional "?OPTIONS". */
static int parse_endpoint(const char *text, struct bridge *target)
{
    char copy[512];
    if (strlen(text) >= sizeof copy) {
        fprintf(stderr, "%s: MVHOST_CONNECT is longer than %u bytes; use a form such as tcp://127.0.0.1:8461\n", MODULE, (unsigned)sizeof copy - 1u);
        return -1;
    }
    strcpy(copy, text);
    strcpy(target->endpoint, text);

    char *query = strchr(copy, '?');
    if (query != NULL) {
        *query++ = '\0';
        if (parse_options(query, target) != 0) {
            return -1;
        }
    }

    if (strncmp(copy, "tcp://", 6) == 0) {
        return parse_tcp_endpoint(copy + 6, text, target);
    }
    if (strncmp(copy, "unix:", 5) == 0) {
        target->kind = ENDPOINT_UNIX;
        return copy_text(target->path, sizeof((struct sockaddr_un *)0)->sun_path, copy + 5, strlen(copy + 5),
                         "socket path", "unix:/tmp/mvsim.sock");
    }
    if (strncmp(copy, "serial:", 7) == 0) {
        target->kind = ENDPOINT_SERIAL;
        return copy_text(target->path, sizeof target->path, copy + 7, strlen(copy + 7), "serial device",
                         "serial:/dev/ttyUSB0?baud=115200");
    }
    fprintf(stderr, "%s: invalid MVHOST_CONNECT '%s': expected tcp://HOST:PORT, unix:PATH or serial:DEVICE?baud=N\n",
            MODULE, text);
    return -1;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Describes what is wrong with text that should have been hex, for the settings messages. */
static const char *whitespace_hint(const char *text)
{
    for (const char *c = text; *c != '\0'; c++) {
        if (*c == ' ' || *c == '\t' || *c == '\n' || *c == '\r') {
            return " (the value contains whitespace: remove it)";
        }
    }
    return "";
}

/* Parses the device key as hex, as `mvsim devices add --json` prints it. The key is never echoed. */
static int parse_key(const char *hex, struct bridge *target)
{
    size_t length = strlen(hex);
    if (length != 2 * KEY_BYTES) {
        fprintf(stderr, "%s: invalid device key in MVHOST_DEVICE_KEY: expected %u hex digits, got %u%s; use the "
                "device_key that `mvsim devices add --json` prints\n", MODULE, 2 * KEY_BYTES, (unsigned)length,
                whitespace_hint(hex));
        return -1;
    }
    for (size_t i = 0; i < length / 2; i++) {
        int high = hex_digit(hex[2 * i]);
        int low = hex_digit(hex[2 * i + 1]);
        if (high < 0 || low < 0) {
            fprintf(stderr, "%s: invalid device key in MVHOST_DEVICE_KEY: character %u is not a hex digit; use "
                    "0-9 and a-f, as `mvsim devices add --json` prints device_key\n", MODULE,
                    (unsigned)(high < 0 ? 2 * i : 2 * i + 1));
            return -1;
        }
        target->key[i] = (uint8_t)(high << 4 | low);
    }
    target->key_length = length / 2;
    return 0;
}

/*
 * Copies the device SID, UV and 32 hex digits, with the digits in lower case as the simulator stores
 * them. Anything else, such as the device's unique name, would reach the simulator only to fail the
 * handshake as an unknown device.
 */
static int parse_sid(const char *sid, struct bridge *target)
{
    size_t length = strlen(sid);
    int valid = length == SID_BYTES && sid[0] == 'U' && sid[1] == 'V';
    for (size_t i = 2; valid && i < length; i++) {
        valid = hex_digit(sid[i]) >= 0;
    }
    if (!valid) {
        fprintf(stderr, "%s: invalid device SID '%.*s' in MVHOST_DEVICE%s: expected UV followed by 32 hex digits, "
                "such as UV0123456789abcdef0123456789abcdef, the sid that `mvsim devices add --json` prints (a "
                "device's unique name does not work here)\n", MODULE, (int)MAX_SID_BYTES, sid,
                whitespace_hint(sid));
        return -1;
    }
    target->sid[0] = 'U';
    target->sid[1] = 'V';
    for (size_t i = 2; i < length; i++) {
        target->sid[i] = (char)tolower((unsigned char)sid[i]);
    }
    target->sid[length] = '\0';
    return 0;
}

/* ---- Links ---- */

static speed_t baud_constant(unsigned baud)
{
    switch (baud) {
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    case 230400: return B230400;
    case 460800: return B460800;
    case 921600: return B921600;
    default: return B0;
    }
}

/* Set once a failure to open the link is printed, so retries every tick do not repeat it. */
static int open_failure_reported;

/* Prints why the link cannot be opened, once until a connection succeeds. */
static void report_open_failure(const char *format, ...)
{
    if (open_failure_reported) {
        return;
    }
    open_failure_reported = 1;
    int saved = errno;
    va_list arguments;
    va_start(arguments, format);
    vfprintf(stderr, format, arguments);
    va_end(arguments);
    errno = saved;
}

/* Raw 8N1 with no flow control or byte translation; a pseudo-terminal takes the speed and ignores it. */
static int configure_serial(int fd)
{
    struct termios settings;
    speed_t speed = baud_constant(bridge.baud);
    if (speed == B0) {
        report_open_failure("%s: unsupported baud rate %u for %s: use 9600 to 921600\n", MODULE, bridge.baud,
                            bridge.path);
        return -1;
    }
    if (tcgetattr(fd, &settings) != 0) {
        report_open_failure("%s: %s is not a serial line: %s\n", MODULE, bridge.path, strerror(errno));
        return -1;
    }
    settings.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON | IXOFF);
    settings.c_oflag &= ~(tcflag_t)OPOST;
    settings.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    settings.c_cflag &= ~(tcflag_t)(CSIZE | PARENB | CSTOPB);
    settings.c_cflag |= CS8 | CLOCAL | CREAD;
    settings.c_cc[VMIN] = 1;
    settings.c_cc[VTIME] = 0;
    cfsetispeed(&settings, speed);
    cfsetospeed(&settings, speed);
    if (tcsetattr(fd, TCSANOW, &settings) != 0) {
        report_open_failure("%s: cannot configure %s at %u baud: %s\n", MODULE, bridge.path, bridge.baud,
                            strerror(errno));
        return -1;
    }
    tcflush(fd, TCIOFLUSH);
    return 0;
}

static int open_tcp(void)
{
    struct addrinfo hints;
    struct addrinfo *addresses = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int found = getaddrinfo(bridge.host, bridge.port, &hints, &addresses);
    if (found != 0) {
        report_open_failure("%s: cannot resolve %s: %s\n", MODULE, bridge.endpoint, gai_strerror(found));
        return -1;
    }
    int fd = -1;
    for (struct addrinfo *address = addresses; address != NULL && fd < 0; address = address->ai_next) {
        fd = socket(address->ai_family, address->ai_socktype, address->ai_protocol);
        if (fd >= 0 && connect(fd, address->ai_addr, address->ai_addrlen) != 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(addresses);
    if (fd >= 0) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    return fd;
}

static int open_unix(void)
{
    struct sockaddr_un address;
    memset(&address, 0, sizeof address);
    address.sun_family = AF_UNIX;
    memcpy(address.sun_path, bridge.path, strlen(bridge.path));
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

static int open_serial(void)
{
    int fd = open(bridge.path, O_RDWR | O_NOCTTY);
    if (fd < 0) {
        return -1;
    }
    if (configure_serial(fd) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void close_link(void)
{
    if (bridge.fd >= 0) {
        close(bridge.fd);
        bridge.fd = -1;
    }
    bridge.authenticated = 0;
    bridge.input_start = 0;
    bridge.input_length = 0;
    mvhost_packet_reader_reset(&bridge.reader);
    bridge.stream_framing = 0;
    bridge.stream_failure = NULL;
    mvhost_stream_reader_reset(&bridge.stream_reader);
}

static int write_all(const uint8_t *bytes, size_t length)
{
    while (length > 0) {
        /* MSG_NOSIGNAL: a simulator that went away must not kill the firmware process with SIGPIPE. */
        ssize_t written = bridge.kind == ENDPOINT_SERIAL ? write(bridge.fd, bytes, length)
                                                         : send(bridge.fd, bytes, length, MSG_NOSIGNAL);
        if (written < 0 && errno == EINTR) {
            continue;
        }
        if (written <= 0) {
            return -1;
        }
        bytes += written;
        length -= (size_t)written;
    }
    return 0;
}

/* Writes a version 2 packet of `length` bytes at `target`, which has `capacity` bytes; returns its length or -1. */
static long put_stream_packet(const uint8_t *payload, size_t length, uint8_t *target, size_t capacity)
{
    if (length > MVHOST_PACKET_MAX_PAYLOAD || MVHOST_STREAM_LENGTH_BYTES + length > capacity) {
        return -1;
    }
    mvhost_stream_put_length(target, (uint32_t)length);
    memcpy(target + MVHOST_STREAM_LENGTH_BYTES, payload, length);
    return (long)(MVHOST_STREAM_LENGTH_BYTES + length);
}

static int send_payload(const uint8_t *payload, size_t length)
{
    if (bridge.stream_framing) {
        long packet_length = put_stream_packet(payload, length, bridge.packet, MVHOST_PACKET_MAX_ENCODED);
        return packet_length < 0 ? -1 : write_all(bridge.packet, (size_t)packet_length);
    }
    long packet_length = mvhost_packet_encode(payload, length, bridge.scratch, bridge.packet, MVHOST_PACKET_MAX_ENCODED);
    if (packet_length < 0) {
        return -1;
    }
    return write_all(bridge.packet, (size_t)packet_length);
}

/*
 * Sends a batch of frames, each in its own packet and all in one write: REPORT frames of calls
 * answered locally, then the frame that wants a reply. The server serves one frame per packet.
 */
static int send_frames(const uint8_t *frames, uint32_t length)
{
    size_t used = 0;
    uint32_t offset = 0;
    while (offset < length) {
        struct mvhost_wire_header header;
        if (mvhost_wire_parse_header(frames + offset, length - offset, &header) != MVHOST_WIRE_OK) {
            return -1;
        }
        uint32_t frame_length = MVHOST_WIRE_HEADER_BYTES + header.payload_length;
        long packet_length = bridge.stream_framing
            ? put_stream_packet(frames + offset, frame_length, bridge.packet + used, MVHOST_PACKET_MAX_ENCODED - used)
            : mvhost_packet_encode(frames + offset, frame_length, bridge.scratch, bridge.packet + used,
                                   MVHOST_PACKET_MAX_ENCODED - used);
        if (packet_length < 0) {
            return -1;
        }
        used += (size_t)packet_length;
        offset += frame_length;
    }
    return write_all(bridge.packet, used);
}

static void report_drops(uint64_t before)
{
    if (bridge.reader.dropped != before) {
        fprintf(stderr, "%s: dropped a damaged packet from %s (%s; %llu dropped so far)\n", MODULE, bridge.endpoint,
                bridge.reader.last_drop, (unsigned long long)bridge.reader.dropped);
    }
}

/* Waits up to `timeout_ms` for the next valid packet; returns its length in bridge.payload. */
static long receive_payload(unsigned timeout_ms)
{
    uint64_t deadline = now_ms() + timeout_ms;
    for (;;) {
        while (bridge.stream_framing && bridge.input_start < bridge.input_length) {
            size_t consumed = 0;
            long length = mvhost_stream_reader_feed(&bridge.stream_reader, bridge.input + bridge.input_start,
                                                    bridge.input_length - bridge.input_start, &consumed, bridge.payload);
            bridge.input_start += consumed;
            if (length == MVHOST_STREAM_BROKEN) {
                bridge.stream_failure = bridge.stream_reader.failure;
                return RECEIVE_FAILED;
            }
            if (length >= 0) {
                return length;
            }
        }
        while (!bridge.stream_framing && bridge.input_start < bridge.input_length) {
            size_t consumed = 0;
            uint64_t dropped = bridge.reader.dropped;
            long length = mvhost_packet_reader_feed(&bridge.reader, bridge.input + bridge.input_start,
                                                    bridge.input_length - bridge.input_start, &consumed, bridge.payload);
            bridge.input_start += consumed;
            report_drops(dropped);
            if (length >= 0) {
                return length;
            }
        }

        /* A wait of the socket's own receive timeout reads at once and lets the timeout end it, which
           saves a poll per exchange. Other waits poll first. At or past the deadline the socket is
           still checked once, so a zero timeout drains what arrived. */
        int blocking_read = bridge.reads_time_out && timeout_ms == bridge.timeout_ms;
        if (!blocking_read) {
            uint64_t now = now_ms();
            int wait_ms = now >= deadline ? 0 : (int)(deadline - now);
            struct pollfd waiting = {.fd = bridge.fd, .events = POLLIN};
            int ready = poll(&waiting, 1, wait_ms);
            if (ready < 0 && errno == EINTR) {
                continue;
            }
            if (ready < 0) {
                return RECEIVE_FAILED;
            }
            if (ready == 0) {
                return RECEIVE_TIMEOUT;
            }
        }
        ssize_t count = read(bridge.fd, bridge.input, sizeof bridge.input);
        if (count < 0 && errno == EINTR) {
            continue;
        }
        if (count < 0 && blocking_read && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return RECEIVE_TIMEOUT;
        }
        if (count <= 0 && bridge.stream_framing && mvhost_stream_reader_partial(&bridge.stream_reader) > 0) {
            bridge.stream_failure = "the simulator closed the connection inside a packet";
        }
        if (count <= 0) {
            return RECEIVE_FAILED;
        }
        bridge.input_start = 0;
        bridge.input_length = (size_t)count;
    }
}

/* ---- Handshake ---- */

static int fill_random(uint8_t *bytes, size_t length)
{
    int fd = open("/dev/urandom", O_RDONLY);
    if (fd < 0) {
        return -1;
    }
    ssize_t count = read(fd, bytes, length);
    close(fd);
    return count == (ssize_t)length ? 0 : -1;
}

static void transcript_mac(const char *label, uint8_t version, const uint8_t *client_nonce,
                           const uint8_t *server_nonce, const uint8_t *hello_times, uint8_t mac[MVHOST_SHA256_BYTES])
{
    struct mvhost_hmac_sha256 hmac;
    uint8_t sid_length = (uint8_t)strlen(bridge.sid);
    mvhost_hmac_sha256_init(&hmac, bridge.key, bridge.key_length);
    mvhost_hmac_sha256_update(&hmac, label, strlen(label));
    mvhost_hmac_sha256_update(&hmac, &version, 1);
    mvhost_hmac_sha256_update(&hmac, &bridge.clock, 1);
    mvhost_hmac_sha256_update(&hmac, &sid_length, 1);
    mvhost_hmac_sha256_update(&hmac, bridge.sid, sid_length);
    mvhost_hmac_sha256_update(&hmac, client_nonce, NONCE_BYTES);
    mvhost_hmac_sha256_update(&hmac, server_nonce, NONCE_BYTES);
    mvhost_hmac_sha256_update(&hmac, hello_times, HELLO_TIME_BYTES);
    mvhost_hmac_sha256_final(&hmac, mac);
}

static int is_handshake(const uint8_t *payload, long length)
{
    return length >= 3 && payload[0] == 'H' && payload[1] == 'S';
}

/*
 * Prints the REJECT the server sent. Returns MVHOST_EAUTH when retrying cannot help (wrong key,
 * unknown SID, no common version), else MVHOST_ETRANSPORT, as for a message garbled on a line.
 */
static int report_reject(long length)
{
    const char *reasons[] = {"other", "unsupported version", "authentication failed", "replayed handshake",
                             "malformed handshake", "session failed", "no session"};
    unsigned reason = length >= 4 ? bridge.payload[3] : 0;
    int message_length = length >= 5 ? (int)bridge.payload[4] : 0;
    if (message_length > length - 5) {
        message_length = length >= 5 ? (int)(length - 5) : 0;
    }
    const char *reason_name = reason < sizeof reasons / sizeof reasons[0] ? reasons[reason] : "unknown reason";
    if (reason != 1 && reason != 2) {
        fprintf(stderr, "%s: the simulator at %s rejected device %s (%s): %.*s\n", MODULE, bridge.endpoint,
                bridge.sid, reason_name, message_length, (const char *)bridge.payload + 5);
        return MVHOST_ETRANSPORT;
    }

    /* A wrong key, an unknown SID or a version mismatch fails again on every attempt, so it is a setting error. */
    const char *advice = reason == 1
        ? "build libmvhost from the same mvsim release as the simulator"
        : "check that MVHOST_DEVICE is the sid of a device registered in this simulator and that MVHOST_DEVICE_KEY "
          "is the device_key that `mvsim devices add --json` printed for it";
    fprintf(stderr, "%s: the simulator at %s rejected device %s (%s: %.*s). This is a setting error, not a lost "
            "link, so libmvhost does not connect again: %s\n", MODULE, bridge.endpoint, bridge.sid, reason_name,
            message_length, (const char *)bridge.payload + 5, advice);
    return MVHOST_EAUTH;
}

static void report_handshake_timeout(void)
{
    fprintf(stderr, "%s: the handshake with %s timed out after %u ms without a reply from the simulator; "
            "check that MVHOST_CONNECT names an mvsim bridge (raise the limit with ?handshake_ms=N)\n", MODULE,
            bridge.endpoint, bridge.handshake_ms);
}

/*
 * Waits for the handshake message of `type` that `accept` takes. Anything else is a late message
 * of an earlier attempt and is skipped. Returns 0, MVHOST_EAUTH (from a REJECT or from `accept`),
 * or MVHOST_ETRANSPORT on a timeout or a failed link.
 */
static int expect_handshake(uint8_t type, long expected_length, int (*accept)(const uint8_t *message, void *state),
                            void *state)
{
    for (;;) {
        uint64_t now = now_ms();
        if (now >= bridge.handshake_deadline_ms) {
            report_handshake_timeout();
            return MVHOST_ETRANSPORT;
        }
        unsigned left_ms = (unsigned)(bridge.handshake_deadline_ms - now);
        long length = receive_payload(left_ms < bridge.timeout_ms ? left_ms : bridge.timeout_ms);
        if (length == RECEIVE_TIMEOUT && now_ms() >= bridge.handshake_deadline_ms) {
            report_handshake_timeout();
            return MVHOST_ETRANSPORT;
        }
        if (length < 0) {
            return MVHOST_ETRANSPORT;
        }
        if (!is_handshake(bridge.payload, length)) {
            continue; /* a late reply to a frame sent before the server restarted */
        }
        if (bridge.payload[2] == MVHOST_HS_REJECT) {
            if (length >= 4 && bridge.payload[3] == MVHOST_REJECT_NO_SESSION) {
                continue; /* it rejects a request queued on a serial line before the server restarted */
            }
            return report_reject(length);
        }
        if (bridge.payload[2] != type || length != expected_length) {
            continue;
        }
        int verdict = accept(bridge.payload, state);
        if (verdict == 1) {
            return 0;
        }
        if (verdict != 0) {
            return verdict;
        }
    }
}

struct handshake_state {
    uint8_t client_nonce[NONCE_BYTES];
    uint8_t server_nonce[NONCE_BYTES];
    /* The HELLO's boot id and device time as sent, which both MACs cover. */
    uint8_t hello_times[HELLO_TIME_BYTES];
    uint8_t max_version; /* the highest version the HELLO offered */
    uint8_t version;
};

/*
 * Takes the CHALLENGE that echoes this attempt's client nonce. A version outside the HELLO's offer
 * comes from a simulator that speaks another protocol, so retrying cannot help.
 */
static int accept_challenge(const uint8_t *message, void *state)
{
    struct handshake_state *handshake = state;
    if (memcmp(message + 4 + NONCE_BYTES, handshake->client_nonce, NONCE_BYTES) != 0) {
        return 0;
    }
    if (message[3] < BRIDGE_MIN_VERSION || message[3] > handshake->max_version) {
        fprintf(stderr, "%s: the simulator at %s chose bridge version %u, but device %s offered %u to %u; "
                "build libmvhost from the same mvsim release as the simulator\n", MODULE, bridge.endpoint,
                (unsigned)message[3], bridge.sid, BRIDGE_MIN_VERSION, (unsigned)handshake->max_version);
        return MVHOST_EAUTH;
    }
    handshake->version = message[3];
    memcpy(handshake->server_nonce, message + 4, NONCE_BYTES);
    return 1;
}

/*
 * Takes a WELCOME whose MAC proves the server holds the device key. On a serial line a WELCOME
 * that fails may be a late one from an earlier attempt, so it is skipped; on a fresh socket it
 * can only come from a server without the key.
 */
static int accept_welcome(const uint8_t *message, void *state)
{
    struct handshake_state *handshake = state;
    uint8_t mac[MVHOST_SHA256_BYTES];
    transcript_mac(SERVER_LABEL, handshake->version, handshake->client_nonce, handshake->server_nonce,
                   handshake->hello_times, mac);
    if (mvhost_equal_constant_time(mac, message + 3, sizeof mac)) {
        return 1;
    }
    if (bridge.kind == ENDPOINT_SERIAL) {
        return 0;
    }
    fprintf(stderr, "%s: the server at %s could not prove it holds the key of device %s; disconnecting. "
            "Check that MVHOST_CONNECT names the right simulator\n", MODULE, bridge.endpoint, bridge.sid);
    return MVHOST_EAUTH;
}

static void put_u64_le(uint8_t *target, uint64_t value)
{
    for (unsigned i = 0; i < 8; i++) {
        target[i] = (uint8_t)(value >> (8 * i));
    }
}

static int handshake_once(void)
{
    struct handshake_state state;
    uint8_t hello[7 + NONCE_BYTES + MAX_SID_BYTES + HELLO_TIME_BYTES];
    uint8_t proof[3 + MVHOST_SHA256_BYTES];
    size_t sid_length = strlen(bridge.sid);

    if (fill_random(state.client_nonce, NONCE_BYTES) != 0) {
        fprintf(stderr, "%s: cannot read a nonce from /dev/urandom\n", MODULE);
        return MVHOST_ETRANSPORT;
    }
    hello[0] = 'H';
    hello[1] = 'S';
    hello[2] = MVHOST_HS_HELLO;
    /* A serial line keeps version 1: its noise needs the COBS delimiters and the CRC. */
    state.max_version = bridge.kind == ENDPOINT_SERIAL ? PACKET_FRAMING_VERSION : STREAM_FRAMING_VERSION;
    hello[3] = BRIDGE_MIN_VERSION;
    hello[4] = state.max_version;
    hello[5] = bridge.clock;
    hello[6] = (uint8_t)sid_length;
    memcpy(hello + 7, state.client_nonce, NONCE_BYTES);
    memcpy(hello + 7 + NONCE_BYTES, bridge.sid, sid_length);
    size_t hello_length = 7 + NONCE_BYTES + sid_length;
    put_u64_le(state.hello_times, mvhost_boot_id());
    put_u64_le(state.hello_times + 8, mvhost_device_clock_for_hello());
    memcpy(hello + hello_length, state.hello_times, HELLO_TIME_BYTES);
    hello_length += HELLO_TIME_BYTES;
    if (send_payload(hello, hello_length) != 0) {
        return MVHOST_ETRANSPORT;
    }

    int result = expect_handshake(MVHOST_HS_CHALLENGE, 4 + 2 * NONCE_BYTES, accept_challenge, &state);
    if (result != 0) {
        return result;
    }
    proof[0] = 'H';
    proof[1] = 'S';
    proof[2] = MVHOST_HS_PROOF;
    transcript_mac(DEVICE_LABEL, state.version, state.client_nonce, state.server_nonce, state.hello_times, proof + 3);
    if (send_payload(proof, sizeof proof) != 0) {
        return MVHOST_ETRANSPORT;
    }
    result = expect_handshake(MVHOST_HS_WELCOME, 3 + MVHOST_SHA256_BYTES, accept_welcome, &state);
    if (result == 0 && state.version >= STREAM_FRAMING_VERSION) {
        /* The server switched right after WELCOME, and bridge.input keeps the bytes behind it. */
        bridge.stream_framing = 1;
        mvhost_stream_reader_reset(&bridge.stream_reader);
    }
    return result;
}

/*
 * Runs the handshake; on a serial line a lost message restarts it, up to `retries` times. Every
 * attempt has its own handshake_ms deadline, so a peer that never answers cannot hold it longer.
 */
static int handshake(void)
{
    unsigned attempts = bridge.kind == ENDPOINT_SERIAL ? bridge.retries + 1u : 1u;
    int result = MVHOST_ETRANSPORT;
    for (unsigned attempt = 0; attempt < attempts && result == MVHOST_ETRANSPORT; attempt++) {
        bridge.handshake_deadline_ms = now_ms() + bridge.handshake_ms;
        if (bridge.kind == ENDPOINT_SERIAL) {
            /* A lone delimiter ends any partial packet in the server's reader from an earlier run. */
            uint8_t delimiter = 0;
            write_all(&delimiter, 1);
        }
        result = handshake_once();
    }
    return result;
}

/* ---- Connection life cycle ---- */

static void mark_down(const char *why)
{
    char stream_why[160];
    if (bridge.stream_failure != NULL) {
        snprintf(stream_why, sizeof stream_why, "invalid stream: %s", bridge.stream_failure);
        why = stream_why;
        bridge.stream_failure = NULL;
    }
    int was_connected = bridge.authenticated;
    close_link();
    mvhost_device_clock_go_offline();
    /* Offline, calls get the offline answers (channels closed), which cached responses must not override. */
    mvhost_local_forget_all();
    if (was_connected) {
        /* The app learns of the loss from its rings, as on a device whose cloud connection dropped. */
        mvhost_link_lost(mvhost_device_clock_offline_now());
    }
    bridge.next_attempt_ms = now_ms() + bridge.reconnect_ms;
    if (!bridge.down_reported) {
        fprintf(stderr, "%s: %s the simulator at %s (%s); syscalls get local answers (network CONNECTING, "
                "channels closed) until it is back\n", MODULE, bridge.reconnects > 0 ? "lost" : "cannot reach",
                bridge.endpoint, why);
        bridge.down_reported = 1;
    }
}

/* Sets a stream socket's receive timeout to the usual wait for a reply; a failure only costs a poll per exchange. */
static int set_receive_timeout(int fd)
{
    struct timeval timeout = {.tv_sec = bridge.timeout_ms / 1000u, .tv_usec = (bridge.timeout_ms % 1000u) * 1000u};
    return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout) == 0;
}

static int open_link(void)
{
    bridge.reads_time_out = 0;
    if (bridge.kind == ENDPOINT_SERIAL) {
        return open_serial();
    }
    int fd = bridge.kind == ENDPOINT_TCP ? open_tcp() : open_unix();
    if (fd >= 0) {
        bridge.reads_time_out = set_receive_timeout(fd);
    }
    return fd;
}

/*
 * Opens the link. The first connection of a configuration waits up to wait_ms for a simulator
 * that is not listening yet, as when the firmware starts before `mvsim serve` is up.
 */
/* Describes why opening the link failed; failures that printed their own line leave errno 0. */
static const char *link_failure(void)
{
    return errno != 0 ? strerror(errno) : "see the line above";
}

static int open_link_waiting(void)
{
    errno = 0;
    int fd = open_link();
    if (fd >= 0 || bridge.first_attempt_done) {
        bridge.first_attempt_done = 1;
        return fd;
    }
    bridge.first_attempt_done = 1;
    if (bridge.wait_ms == 0) {
        return fd;
    }

    fprintf(stderr, "%s: waiting up to %u ms for the simulator at %s (%s); set ?wait_ms=N in MVHOST_CONNECT to "
            "change this\n", MODULE, bridge.wait_ms, bridge.endpoint, link_failure());
    uint64_t deadline = now_ms() + bridge.wait_ms;
    while (fd < 0 && now_ms() < deadline) {
        uint64_t left = deadline - now_ms();
        uint64_t pause = left < WAIT_RETRY_PAUSE_MS ? left : WAIT_RETRY_PAUSE_MS;
        struct timespec duration = {0, (long)pause * 1000000L};
        nanosleep(&duration, NULL);
        errno = 0;
        fd = open_link();
    }
    return fd;
}

static int32_t send_and_wait(const uint8_t *request, uint32_t length, uint32_t sequence, uint8_t *reply,
                             uint32_t capacity);

/*
 * Requests what the last connection lost (a reply, pushed notifications), then replays the calls
 * made offline with handles of libmvhost's own, so the kernel issues its own.
 */
static int replay_offline_calls(void)
{
    static uint8_t *reply;
    if (!mvhost_offline_active() && !mvhost_lost_request_resume_due()) {
        return 0;
    }
    /*
     * A resumed reply is the remembered reply of any request plus the pushes sent again, so it gets
     * the room of any reply. A smaller buffer would fail that resume at every reconnect.
     */
    uint32_t capacity = mvhost_reply_capacity();
    if (reply == NULL) {
        reply = malloc(capacity);
    }
    if (reply == NULL || mvhost_lost_request_resume(send_and_wait, reply, capacity) != 0 ||
        mvhost_offline_replay(send_and_wait, reply, capacity) != 0) {
        fprintf(stderr, "%s: could not replay the calls answered offline to %s; trying again at the next "
                "connection\n", MODULE, bridge.endpoint);
        return -1;
    }
    return 0;
}

/* Opens the link and authenticates; returns 0, MVHOST_EAUTH or MVHOST_ETRANSPORT. */
static int connect_now(void)
{
    if (bridge.rejected) {
        return MVHOST_EAUTH;
    }
    bridge.fd = open_link_waiting();
    if (bridge.fd < 0) {
        mark_down(link_failure());
        return MVHOST_ETRANSPORT;
    }

    int result = handshake();
    if (result == MVHOST_EAUTH) {
        bridge.rejected = 1;
        close_link();
        return result;
    }
    if (result != 0) {
        mark_down("the handshake failed");
        return result;
    }
    if (bridge.down_reported || bridge.reconnects > 0) {
        /* A connection after a wait or a loss is reported; a first connection made at once is not. */
        fprintf(stderr, "%s: connected to the simulator at %s%s as device %s\n", MODULE, bridge.endpoint,
                bridge.reconnects > 0 ? " again" : "", bridge.sid);
    }
    bridge.reconnects++;
    bridge.down_reported = 0;
    open_failure_reported = 0;
    /*
     * The server may have opened a fresh kernel, to which the handles libmvhost tracked mean
     * nothing. A kernel kept for the reconnect lists the app's handles in a LIVE_HANDLES state
     * ahead of its first RESPONSE, which may lead the reply to a replayed call below, so nothing
     * may be forgotten after the replay.
     */
    mvhost_local_forget_all();
    /*
     * The kept REPORTs are of calls made before the loss, so they go ahead of the calls made offline.
     * Until both reached the kernel the device is not back: a request sent now could fail in its turn
     * and take the place of the lost one that the next connection must resume.
     */
    int caught_up = mvhost_held_reports_send(send_frames) == 0 && replay_offline_calls() == 0;
    /* From now on the server may push, and a later connection must resume what this one loses. */
    mvhost_lost_request_note_connected();
    if (!caught_up) {
        /* The kept REPORTs stay kept: the server may not have read them before the link broke. */
        mark_down("it broke while the calls made before it were sent again");
        return MVHOST_ETRANSPORT;
    }
    /* The resume's reply came after them on the same stream, so the server has read them. */
    mvhost_held_reports_delivered();
    bridge.authenticated = 1;
    return 0;
}

/* Returns 1 if `payload` ends in the RESPONSE or ERROR frame for `sequence`. */
static int answers(const uint8_t *payload, long length, uint32_t sequence)
{
    struct mvhost_wire_header header;
    if (length <= 0 || mvhost_wire_last_header(payload, (size_t)length, &header) != MVHOST_WIRE_OK) {
        return 0;
    }
    return (header.kind == MVHOST_WIRE_RESPONSE || header.kind == MVHOST_WIRE_ERROR) && header.sequence == sequence;
}

/* Returns 1 if every frame of the packet is a NOTIFICATION or STATE frame, as in a server's push. */
static int is_push(const uint8_t *payload, long length)
{
    uint32_t offset = 0;
    while (offset < (uint32_t)length) {
        struct mvhost_wire_header header;
        if (mvhost_wire_parse_header(payload + offset, (size_t)length - offset, &header) != MVHOST_WIRE_OK ||
            (header.kind != MVHOST_WIRE_NOTIFICATION && header.kind != MVHOST_WIRE_STATE)) {
            return 0;
        }
        offset += MVHOST_WIRE_HEADER_BYTES + header.payload_length;
    }
    return length > 0;
}

/* Delivers a pushed packet into the rings and the clock cache; other packets are left alone. */
static void deliver_if_push(long length)
{
    if (is_push(bridge.payload, length)) {
        mvhost_deliver_pushed(bridge.payload, (uint32_t)length, "bridge push");
    }
}

/*
 * Waits up to `max_us` for pushed packets and delivers them, returning once a notification was
 * written; the push waiter of a wall-clock HAL_Delay. Returns -1 when the link is down or fails.
 */
static int wait_for_pushes(uint64_t max_us)
{
    if (bridge.fd < 0) {
        return -1;
    }
    uint64_t written_before = mvhost_counters.notifications_written;
    uint64_t deadline_us = mvhost_monotonic_us() + max_us;
    for (;;) {
        uint64_t now_us = mvhost_monotonic_us();
        if (now_us >= deadline_us) {
            return 0;
        }
        long received = receive_payload((unsigned)((deadline_us - now_us + 999u) / 1000u));
        if (received == RECEIVE_TIMEOUT) {
            return 0;
        }
        if (received < 0) {
            mark_down("the connection failed");
            return -1;
        }
        deliver_if_push(received);
        if (mvhost_counters.notifications_written != written_before) {
            return 0;
        }
    }
}

/*
 * The push waiter of a serial line, whose server pushes nothing: sleeps `max_us` (at most a tick)
 * on the host clock, then polls the kernel, whose reply carries the notifications that fell due.
 * Returns -1 when the poll found no simulator, so the delay goes on offline.
 */
static int wait_by_polling(uint64_t max_us)
{
    if (bridge.fd < 0) {
        return -1;
    }
    struct timespec duration = {(time_t)(max_us / 1000000u), (long)(max_us % 1000000u) * 1000L};
    nanosleep(&duration, NULL);
    return mvhost_poll() == 0 ? 0 : -1;
}

/*
 * Sends the request and waits for its reply. On a serial line a timeout resends the same bytes;
 * the server sends its stored reply to a repeat, so the syscall runs once.
 */
static int32_t send_and_wait(const uint8_t *request, uint32_t length, uint32_t sequence, uint8_t *reply,
                             uint32_t capacity)
{
    unsigned sends = bridge.kind == ENDPOINT_SERIAL ? bridge.retries + 1u : 1u;
    for (unsigned send = 0; send < sends; send++) {
        if (send_frames(request, length) != 0) {
            return EXCHANGE_FAILED;
        }
        for (;;) {
            long received = receive_payload(bridge.timeout_ms);
            if (received == RECEIVE_TIMEOUT) {
                break;
            }
            if (received < 0) {
                return EXCHANGE_FAILED;
            }
            if (is_handshake(bridge.payload, received)) {
                if (bridge.payload[2] == MVHOST_HS_REJECT) {
                    return EXCHANGE_NEEDS_HANDSHAKE;
                }
                continue;
            }
            if (!answers(bridge.payload, received, sequence)) {
                /* A push from the server, or a duplicate reply to an earlier send of an earlier request. */
                deliver_if_push(received);
                continue;
            }
            if ((uint32_t)received > capacity) {
                return EXCHANGE_FAILED;
            }
            memcpy(reply, bridge.payload, (size_t)received);
            return (int32_t)received;
        }
    }
    return EXCHANGE_FAILED;
}

/* Exchanges over the open link; on failure marks it down and returns EXCHANGE_FAILED. */
static int32_t exchange_online(const uint8_t *request, uint32_t request_length, uint32_t sequence, uint8_t *reply,
                               uint32_t capacity)
{
    int32_t result = send_and_wait(request, request_length, sequence, reply, capacity);
    if (result == EXCHANGE_NEEDS_HANDSHAKE) {
        /* The server lost this device's session, as after a restart: authenticate again, resend once. */
        result = handshake() == 0 ? send_and_wait(request, request_length, sequence, reply, capacity)
                                  : EXCHANGE_FAILED;
    }
    if (result < 0) {
        mark_down(bridge.kind == ENDPOINT_SERIAL ? "no reply after retries" : "the connection failed");
        return EXCHANGE_FAILED;
    }
    return result;
}

/* Returns the offline handle a local reply gave the app for a call that issues one, else 0. */
static uint64_t offline_handle_of(uint16_t opcode, const uint8_t *answer, uint32_t length)
{
    if (opcode != MVHOST_OP_SETUP_NOTIFICATIONS && opcode != MVHOST_OP_REQUEST_NETWORK) {
        return 0;
    }
    return mvhost_offline_handle_in_reply(answer, length);
}

static int32_t bridge_exchange(void *context, const uint8_t *request, uint32_t request_length, uint8_t *reply,
                               uint32_t capacity)
{
    (void)context;

    /* Posted REPORT frames may lead the batch; the last frame decides whether a reply follows. */
    struct mvhost_wire_header header;
    uint32_t last = 0;
    uint32_t offset = 0;
    while (offset < request_length) {
        if (mvhost_wire_parse_header(request + offset, request_length - offset, &header) != MVHOST_WIRE_OK) {
            return -1;
        }
        last = offset;
        offset += MVHOST_WIRE_HEADER_BYTES + header.payload_length;
    }
    if (request_length == 0) {
        return -1;
    }

    if (bridge.fd < 0 && !bridge.rejected && now_ms() >= bridge.next_attempt_ms) {
        connect_now();
    }
    if (header.kind == MVHOST_WIRE_REPORT) {
        /* A flush: nothing answers REPORT frames. While the link is down they wait for the next handshake. */
        if (bridge.fd < 0 || send_frames(request, request_length) != 0) {
            if (bridge.fd >= 0) {
                mark_down("the connection failed");
            }
            mvhost_held_reports_keep(request, request_length);
        } else {
            /* Written is not read: kept until a reply on this link shows the server got past them. */
            mvhost_held_reports_keep_sent(request, request_length);
        }
        if (bridge.fd < 0) {
            mvhost_note_offline_exchange();
        }
        return 0;
    }
    int sent_to_kernel = bridge.fd >= 0;
    if (sent_to_kernel) {
        /* Requests name the kernel's handles in place of those libmvhost issued offline. */
        int offline_handles_exist = mvhost_offline_active();
        uint8_t *translated = offline_handles_exist ? malloc(request_length) : NULL;
        const uint8_t *sent = translated != NULL ? mvhost_offline_translate(request, request_length, translated)
                                                 : request;
        int32_t result = exchange_online(sent, request_length, header.sequence, reply, capacity);
        free(translated);
        if (result >= 0) {
            /* The server wrote this reply after it read every frame sent before on this link. */
            mvhost_held_reports_delivered();
            if (offline_handles_exist && (header.opcode == MVHOST_OP_CLOSE_CHANNEL ||
                                       header.opcode == MVHOST_OP_RELEASE_NETWORK ||
                                       header.opcode == MVHOST_OP_CLOSE_NOTIFICATIONS)) {
                mvhost_offline_forget_closed(request + last, request_length - last);
            }
            return result;
        }
    }
    /*
     * NOTE: a link that broke after the simulator read the batch may have run these REPORTs already.
     * Sending them again makes the kernel count the repeats as divergences.
     */
    mvhost_held_reports_keep(request, last);
    mvhost_note_offline_exchange();
    int32_t answered = mvhost_local_answer(request + last, request_length - last, reply, capacity);
    if (sent_to_kernel) {
        /* The kernel may have run the request before the connection broke, so the next handshake requests its reply. */
        mvhost_lost_request_note(request + last, request_length - last,
                                 answered > 0 ? offline_handle_of(header.opcode, reply, (uint32_t)answered) : 0);
    }
    return answered;
}

/* ---- Push reader for interrupt-thread mode ---- */

static void pause_ms(long milliseconds)
{
    struct timespec duration = {0, milliseconds * 1000000L};
    nanosleep(&duration, NULL);
}

/*
 * Delivers pushes while the app makes no syscall, so the interrupt thread runs their handlers at
 * once. It reads only when it holds the transport lock, so it never takes a reply that an
 * exchange waits for, and it only tries the lock, so stopping it never waits on a lock holder.
 */
static void *read_pushes(void *unused)
{
    (void)unused;
    while (!reader_stop) {
        int fd = bridge.fd;
        if (fd < 0) {
            pause_ms(READER_IDLE_MS);
            continue;
        }
        struct pollfd waiting = {.fd = fd, .events = POLLIN};
        if (poll(&waiting, 1, READER_IDLE_MS) <= 0) {
            continue;
        }
        if (!mvhost_trylock()) {
            pause_ms(1); /* an exchange is reading the socket */
            continue;
        }
        while (bridge.fd == fd) {
            long received = receive_payload(0);
            if (received == RECEIVE_TIMEOUT) {
                break;
            }
            if (received < 0) {
                mark_down("the connection failed");
                break;
            }
            deliver_if_push(received);
        }
        mvhost_unlock();
    }
    return NULL;
}

static void on_interrupt_mode(enum mvhost_interrupt_mode mode)
{
    if (mode == MVHOST_INTERRUPTS_THREAD && !reader_running) {
        reader_stop = 0;
        reader_running = pthread_create(&reader_thread, NULL, read_pushes, NULL) == 0;
        if (!reader_running) {
            fprintf(stderr, "%s: cannot start the bridge's push reader; pushes wait for the next syscall\n", MODULE);
        }
    } else if (mode != MVHOST_INTERRUPTS_THREAD && reader_running) {
        reader_stop = 1;
        pthread_join(reader_thread, NULL);
        reader_running = 0;
    }
}

/* Hooks the bridge into the call cycle: its exchange, its push waiter and its push reader. */
static int install(void)
{
    int result = mvhost_set_inprocess_transport(bridge_exchange, &bridge);
    if (result != 0) {
        return result;
    }
    /* A lost posted frame would lose a syscall, and a serial line loses frames. */
    mvhost_set_posting(bridge.kind != ENDPOINT_SERIAL);
    mvhost_set_push_waiter(bridge.kind == ENDPOINT_SERIAL ? wait_by_polling : wait_for_pushes);
    mvhost_set_mode_listener(on_interrupt_mode);
    on_interrupt_mode(mvhost_get_interrupt_mode());
    return 0;
}

/* ---- Set-up ---- */

static int allocate_buffers(void)
{
    if (bridge.payload != NULL) {
        return 0;
    }
    bridge.payload = malloc(MVHOST_PACKET_MAX_ENCODED);
    bridge.scratch = malloc(MVHOST_PACKET_MAX_PAYLOAD + MVHOST_PACKET_CRC_BYTES);
    bridge.packet = malloc(MVHOST_PACKET_MAX_ENCODED);
    if (bridge.payload == NULL || bridge.scratch == NULL || bridge.packet == NULL ||
        mvhost_packet_reader_init(&bridge.reader, MVHOST_PACKET_MAX_ENCODED) != 0) {
        fprintf(stderr, "%s: cannot allocate the bridge's %u-byte packet buffers\n", MODULE,
                (unsigned)MVHOST_PACKET_MAX_ENCODED);
        return -1;
    }
    mvhost_stream_reader_init(&bridge.stream_reader, MVHOST_PACKET_MAX_PAYLOAD);
    return 0;
}

/* Fills the bridge's settings; the caller holds the transport lock. Returns 0 or MVHOST_EINVAL. */
static int configure(const char *endpoint, const char *device_sid, const char *device_key_hex)
{
    if (endpoint == NULL) {
        fprintf(stderr, "%s: missing endpoint: set MVHOST_CONNECT to tcp://HOST:PORT, unix:PATH or "
                "serial:DEVICE, such as tcp://127.0.0.1:8461\n", MODULE);
        return MVHOST_EINVAL;
    }
    if (device_sid == NULL) {
        fprintf(stderr, "%s: missing device SID: set MVHOST_DEVICE to the sid that `mvsim devices add --json` "
                "prints, such as UV0123456789abcdef0123456789abcdef\n", MODULE);
        return MVHOST_EINVAL;
    }
    if (device_key_hex == NULL) {
        fprintf(stderr, "%s: missing device key: set MVHOST_DEVICE_KEY to the device_key in hex that "
                "`mvsim devices add --json` prints\n", MODULE);
        return MVHOST_EINVAL;
    }
    close_link();
    bridge.baud = 115200;
    bridge.retries = SERIAL_RETRIES;
    bridge.reconnect_ms = RECONNECT_PAUSE_MS;
    bridge.wait_ms = FIRST_CONNECTION_WAIT_MS;
    bridge.handshake_ms = HANDSHAKE_TIMEOUT_MS;
    bridge.first_attempt_done = 0;
    bridge.authenticated = 0;
    bridge.clock = 0;
    bridge.timeout_ms = 0;
    bridge.rejected = 0;
    bridge.down_reported = 0;
    bridge.next_attempt_ms = 0;
    bridge.reconnects = 0;
    if (parse_endpoint(endpoint, &bridge) != 0 || parse_key(device_key_hex, &bridge) != 0) {
        return MVHOST_EINVAL;
    }
    if (parse_sid(device_sid, &bridge) != 0) {
        return MVHOST_EINVAL;
    }
    if (bridge.timeout_ms == 0) {
        bridge.timeout_ms = bridge.kind == ENDPOINT_SERIAL ? SERIAL_TIMEOUT_MS : STREAM_TIMEOUT_MS;
    }
    if (bridge.kind != ENDPOINT_SERIAL) {
        bridge.retries = 0;
    }
    return allocate_buffers() == 0 ? 0 : MVHOST_ETRANSPORT;
}

MVHOST_API int mvhost_connect(const char *endpoint, const char *device_sid, const char *device_key_hex)
{
    mvhost_lock();
    int result = configure(endpoint, device_sid, device_key_hex);
    if (result == 0) {
        result = install();
    }
    if (result == 0) {
        result = connect_now();
    }
    if (result == MVHOST_EAUTH) {
        /* As after invalid settings, a rejected device has no transport, so syscalls fail at once. */
        mvhost_clear_transport();
    }
    mvhost_unlock();
    return result;
}

MVHOST_API void mvhost_disconnect(void)
{
    /* Posted REPORTs leave on the open link. Flushed after close_link, they would open a connection of their own. */
    if (mvhost_bridge_connected()) {
        (void)mvhost_flush();
    }
    mvhost_lock();
    close_link();
    mvhost_clear_transport();
    mvhost_unlock();
}

MVHOST_API int mvhost_bridge_connected(void)
{
    mvhost_lock();
    int connected = bridge.fd >= 0;
    mvhost_unlock();
    return connected;
}

int mvhost_bridge_install_from_environment(void)
{
    if (environment_checked) {
        return 0;
    }
    environment_checked = 1;
    const char *endpoint = getenv("MVHOST_CONNECT");
    if (endpoint == NULL || endpoint[0] == '\0') {
        return 0;
    }
    if (configure(endpoint, getenv("MVHOST_DEVICE"), getenv("MVHOST_DEVICE_KEY")) != 0) {
        fprintf(stderr, "%s: not connecting to %s; fix the settings above and restart the program\n", MODULE, endpoint);
        return 0;
    }
    if (install() != 0) {
        return 0;
    }

    /*
     * Connecting here, within the first syscall, lets a REJECT be handled like invalid settings:
     * with the transport cleared, every syscall returns MV_STATUS_UNAVAILABLE at once, where the
     * local answers of a lost link would keep the firmware waiting for a network.
     */
    if (connect_now() == MVHOST_EAUTH) {
        mvhost_clear_transport();
        return 0;
    }
    return 1;
}
