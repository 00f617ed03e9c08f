#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L

#include "fake_bridge_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "opcodes.h"
#include "transport_bridge.h"
#include "transport_packet.h"
#include "transport_sha256.h"
#include "wire.h"

#define NONCE_BYTES 16u
#define POLL_SLICE_MS 5

struct connection {
    int fd;
    struct mvhost_packet_reader reader;
    struct mvhost_stream_reader stream_reader;
    uint8_t version; /* chosen in the CHALLENGE */
    int stream;      /* set after WELCOME when the version is 2 */
    uint8_t *payload;
    uint8_t *scratch;
    uint8_t *packet;
    uint8_t client_nonce[NONCE_BYTES];
    uint8_t server_nonce[NONCE_BYTES];
    uint8_t hello_times[16];
    uint8_t clock;
    char sid[65];
    int clock_sent;
};

static void sleep_ms(unsigned milliseconds)
{
    struct timespec duration = {(time_t)(milliseconds / 1000u), (long)(milliseconds % 1000u) * 1000000L};
    nanosleep(&duration, NULL);
}

static uint64_t get_u64(const uint8_t *bytes)
{
    uint64_t value = 0;
    for (unsigned i = 0; i < 8; i++) {
        value |= (uint64_t)bytes[i] << (8 * i);
    }
    return value;
}

static void send_packet(struct connection *link, const uint8_t *payload, size_t length)
{
    if (link->stream) {
        mvhost_stream_put_length(link->packet, (uint32_t)length);
        memcpy(link->packet + MVHOST_STREAM_LENGTH_BYTES, payload, length);
        (void)!send(link->fd, link->packet, MVHOST_STREAM_LENGTH_BYTES + length, MSG_NOSIGNAL);
        return;
    }
    long encoded = mvhost_packet_encode(payload, length, link->scratch, link->packet, MVHOST_PACKET_MAX_ENCODED);
    if (encoded > 0) {
        (void)!send(link->fd, link->packet, (size_t)encoded, MSG_NOSIGNAL);
    }
}

static void on_hello(struct fake_bridge *server, struct connection *link, const uint8_t *message, long length)
{
    uint8_t sid_length = message[6];
    memcpy(link->client_nonce, message + 7, NONCE_BYTES);
    memcpy(link->sid, message + 7 + NONCE_BYTES, sid_length);
    link->sid[sid_length] = '\0';
    link->clock = message[5];
    memset(link->server_nonce, 0x5A, NONCE_BYTES);

    pthread_mutex_lock(&server->lock);
    long fields_at = 7 + NONCE_BYTES + sid_length;
    if (length == fields_at + 16) {
        memcpy(link->hello_times, message + fields_at, sizeof link->hello_times);
    }
    link->version = server->stream_framing && message[4] >= 2 ? 2 : 1;
    if (server->hellos < FAKE_MAX_HELLOS) {
        server->hello_max_version[server->hellos] = message[4];
        server->chosen_version[server->hellos] = link->version;
    }
    if (server->hellos < FAKE_MAX_HELLOS && length == fields_at + 16) {
        server->hello_boot_id[server->hellos] = get_u64(message + fields_at);
        server->hello_device_time[server->hellos] = get_u64(message + fields_at + 8);
    }
    /* As the simulator does, the kernel's clock moves forward to the device time, so time never goes back. */
    if (length == fields_at + 16 && get_u64(message + fields_at + 8) > server->kernel_us) {
        server->kernel_us = get_u64(message + fields_at + 8);
    }
    server->hellos++;
    int stale_reject = server->stale_reject_before_challenge;
    pthread_mutex_unlock(&server->lock);

    if (stale_reject) {
        static const char message[] = "no session: send HELLO to start a handshake before any frame";
        uint8_t reject[5 + sizeof message - 1] = {'H', 'S', 5, MVHOST_REJECT_NO_SESSION, (uint8_t)(sizeof message - 1)};
        memcpy(reject + 5, message, sizeof message - 1);
        send_packet(link, reject, sizeof reject);
    }

    uint8_t challenge[4 + 2 * NONCE_BYTES] = {'H', 'S', 2, link->version};
    memcpy(challenge + 4, link->server_nonce, NONCE_BYTES);
    memcpy(challenge + 4 + NONCE_BYTES, link->client_nonce, NONCE_BYTES);
    send_packet(link, challenge, sizeof challenge);
}

static void on_proof(struct fake_bridge *server, struct connection *link)
{
    static const char label[] = "mvsim-bridge-1 server";
    uint8_t version = link->version;
    uint8_t sid_length = (uint8_t)strlen(link->sid);
    uint8_t welcome[3 + MVHOST_SHA256_BYTES] = {'H', 'S', 4};
    struct mvhost_hmac_sha256 hmac;
    mvhost_hmac_sha256_init(&hmac, server->key, server->key_length);
    mvhost_hmac_sha256_update(&hmac, label, strlen(label));
    mvhost_hmac_sha256_update(&hmac, &version, 1);
    mvhost_hmac_sha256_update(&hmac, &link->clock, 1);
    mvhost_hmac_sha256_update(&hmac, &sid_length, 1);
    mvhost_hmac_sha256_update(&hmac, link->sid, sid_length);
    mvhost_hmac_sha256_update(&hmac, link->client_nonce, NONCE_BYTES);
    mvhost_hmac_sha256_update(&hmac, link->server_nonce, NONCE_BYTES);
    mvhost_hmac_sha256_update(&hmac, link->hello_times, sizeof link->hello_times);
    mvhost_hmac_sha256_final(&hmac, welcome + 3);
    send_packet(link, welcome, sizeof welcome);
    link->stream = version >= 2;
}

/* Returns the first u64 field of a request payload, or 0. */
static uint64_t first_u64(const uint8_t *payload, uint32_t length)
{
    struct mvhost_wire_reader reader;
    struct mvhost_wire_field field;
    mvhost_wire_reader_init(&reader, payload, length);
    while (!mvhost_wire_reader_at_end(&reader) && mvhost_wire_read_field(&reader, &field) == MVHOST_WIRE_OK) {
        if (field.tag == MVHOST_WIRE_U64) {
            return field.value;
        }
    }
    return 0;
}

/* Number of outputs after the status, for the opcodes the tests use; the rest get none. */
static unsigned output_count(uint16_t opcode)
{
    switch (opcode) {
    case 0x0002: case 0x000B: case 0x000C: case 0x0014: case 0x0015: case 0x0016: case 0x0018: case 0x001D:
    case 0x0101: case 0x0102: case 0x0104: case 0x0106:
        return 1;
    default:
        return 0;
    }
}

/*
 * Sends the scripted lead frames, then the remembered reply if the RESUME names the last request,
 * else a RESPONSE to the RESUME, which means the request never ran.
 */
static void on_resume(struct fake_bridge *server, struct connection *link, const struct mvhost_wire_header *header,
                      const uint8_t *payload)
{
    struct mvhost_wire_reader reader;
    struct mvhost_wire_field lost_opcode;
    struct mvhost_wire_field read_any;
    struct mvhost_wire_field last_read;
    int written = 0;
    mvhost_wire_reader_init(&reader, payload, header->payload_length);
    if (mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &lost_opcode, &written) != MVHOST_WIRE_OK ||
        mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &read_any, &written) != MVHOST_WIRE_OK ||
        mvhost_wire_read_expect(&reader, MVHOST_WIRE_U32, 0, &last_read, &written) != MVHOST_WIRE_OK) {
        return;
    }

    uint8_t reply[sizeof server->resume_lead + sizeof server->last_reply];
    uint32_t reply_length = 0;
    int remembered = 0;
    pthread_mutex_lock(&server->lock);
    server->resumes++;
    server->resume_read_any = (uint32_t)read_any.value;
    server->resume_last_read = (uint32_t)last_read.value;
    uint32_t kept = server->resume_kept;
    memcpy(reply, server->resume_lead, server->resume_lead_length);
    reply_length = server->resume_lead_length;
    if (server->last_reply_length > 0 && server->last_sequence == header->sequence &&
        server->last_opcode == lost_opcode.value) {
        memcpy(reply + reply_length, server->last_reply, server->last_reply_length);
        reply_length += server->last_reply_length;
        server->resumes_answered++;
        remembered = 1;
    }
    pthread_mutex_unlock(&server->lock);

    if (!remembered) {
        uint8_t storage[48];
        struct mvhost_wire_writer writer;
        mvhost_wire_writer_init(&writer, storage, sizeof storage);
        mvhost_wire_begin_frame(&writer, MVHOST_WIRE_RESPONSE, MVHOST_OP_BRIDGE_RESUME, 0, header->sequence);
        mvhost_wire_put_u32(&writer, 0);
        mvhost_wire_put_u32(&writer, kept);
        mvhost_wire_finish_frame(&writer);
        memcpy(reply + reply_length, writer.data, writer.length);
        reply_length += (uint32_t)writer.length;
    }
    send_packet(link, reply, reply_length);
}

static void on_frame(struct fake_bridge *server, struct connection *link, const uint8_t *frame, long length)
{
    struct mvhost_wire_header header;
    if (mvhost_wire_parse_header(frame, (size_t)length, &header) != MVHOST_WIRE_OK) {
        return;
    }
    const uint8_t *payload = frame + MVHOST_WIRE_HEADER_BYTES;
    pthread_mutex_lock(&server->lock);
    int forget = server->forget_request_to == header.opcode;
    if (forget) {
        server->forget_request_to = 0;
    }
    pthread_mutex_unlock(&server->lock);
    if (forget) {
        close(link->fd);
        link->fd = -1;
        return;
    }
    if (header.opcode == MVHOST_OP_BRIDGE_RESUME) {
        on_resume(server, link, &header, payload);
        return;
    }

    pthread_mutex_lock(&server->lock);
    unsigned index = server->requests++;
    if (index < 64) {
        server->opcodes[index] = header.opcode;
        server->first_u64[index] = first_u64(payload, header.payload_length);
    }
    if (header.opcode == 0x0102 || header.opcode == 0x0104) {
        server->kernel_us += first_u64(payload, header.payload_length);
    }
    if (header.opcode == MVHOST_OP_BRIDGE_RESTORE && header.payload_length <= sizeof server->restore_payload) {
        memcpy(server->restore_payload, payload, header.payload_length);
        server->restore_length = header.payload_length;
    }
    uint64_t now = server->kernel_us;
    uint32_t clock_kind = server->clock_kind;
    uint8_t notification[sizeof server->reply_notification];
    uint32_t notification_length = 0;
    if (server->reply_notification_length > 0 && server->reply_opcode == header.opcode) {
        notification_length = server->reply_notification_length;
        memcpy(notification, server->reply_notification, notification_length);
        server->reply_notification_length = 0;
    }
    pthread_mutex_unlock(&server->lock);

    uint8_t storage[128];
    uint8_t reply[384];
    size_t reply_length = 0;
    struct mvhost_wire_writer writer;
    if (!link->clock_sent && clock_kind != 0) {
        mvhost_wire_writer_init(&writer, storage, sizeof storage);
        mvhost_wire_begin_frame(&writer, MVHOST_WIRE_STATE, MVHOST_STATE_CLOCK, 0, 0);
        mvhost_wire_put_u32(&writer, clock_kind);
        mvhost_wire_put_u64(&writer, now);
        mvhost_wire_finish_frame(&writer);
        memcpy(reply, writer.data, writer.length);
        reply_length = writer.length;
        link->clock_sent = 1;
    }

    memcpy(reply + reply_length, notification, notification_length);
    reply_length += notification_length;

    mvhost_wire_writer_init(&writer, storage, sizeof storage);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_RESPONSE, header.opcode, 0, header.sequence);
    mvhost_wire_put_u32(&writer, 0);
    for (unsigned i = 0; i < output_count(header.opcode); i++) {
        uint64_t value = now;
        if (header.opcode == 0x000B) {
            value = FAKE_CENTRE;
        } else if (header.opcode == 0x0014) {
            value = FAKE_NETWORK;
        } else if (header.opcode == 0x0018) {
            value = FAKE_CHANNEL;
        } else if (header.opcode == 0x000C || header.opcode == 0x0015 || header.opcode == 0x001D) {
            value = 0;
        }
        if (header.opcode == 0x0016) {
            mvhost_wire_put_u32(&writer, 1); /* MV_NETWORKSTATUS_CONNECTED */
        } else if (header.opcode == MVHOST_OP_BRIDGE_RESTORE) {
            mvhost_wire_put_u32(&writer, 1); /* objects recreated */
        } else {
            mvhost_wire_put_u64(&writer, value);
        }
    }
    mvhost_wire_finish_frame(&writer);
    memcpy(reply + reply_length, writer.data, writer.length);
    reply_length += writer.length;

    pthread_mutex_lock(&server->lock);
    memcpy(server->last_reply, reply, reply_length);
    server->last_reply_length = (uint32_t)reply_length;
    server->last_sequence = header.sequence;
    server->last_opcode = header.opcode;
    int lose = server->lose_reply_to == header.opcode;
    if (lose) {
        server->lose_reply_to = 0;
    }
    pthread_mutex_unlock(&server->lock);
    if (lose) {
        close(link->fd);
        link->fd = -1;
        return;
    }
    send_packet(link, reply, reply_length);

    pthread_mutex_lock(&server->lock);
    uint8_t raw[sizeof server->raw_after_reply];
    uint32_t raw_length = server->raw_after_opcode == header.opcode ? server->raw_after_reply_length : 0;
    memcpy(raw, server->raw_after_reply, raw_length);
    if (raw_length > 0) {
        server->raw_after_reply_length = 0;
    }
    int close_after_raw = raw_length > 0 && server->close_after_raw;
    pthread_mutex_unlock(&server->lock);
    if (raw_length > 0) {
        (void)!send(link->fd, raw, raw_length, MSG_NOSIGNAL);
    }
    if (close_after_raw) {
        close(link->fd);
        link->fd = -1;
    }
}

/* Sends a scripted push or drops the link if a test asked; returns 0 once the link is dropped. */
static int run_script(struct fake_bridge *server, struct connection *link)
{
    pthread_mutex_lock(&server->lock);
    int drop = server->drop_requested;
    server->drop_requested = 0;
    uint32_t push_length = server->push_length;
    unsigned push_delay = server->push_delay_ms;
    uint8_t push[256];
    memcpy(push, server->push, push_length);
    server->push_length = 0;
    pthread_mutex_unlock(&server->lock);

    if (push_length > 0) {
        sleep_ms(push_delay);
        send_packet(link, push, push_length);
    }
    if (drop) {
        close(link->fd);
        link->fd = -1;
        return 0;
    }
    return 1;
}

static void serve_connection(struct fake_bridge *server, int fd)
{
    struct connection link = {.fd = fd};
    link.payload = malloc(MVHOST_PACKET_MAX_ENCODED);
    link.scratch = malloc(MVHOST_PACKET_MAX_PAYLOAD + MVHOST_PACKET_CRC_BYTES);
    link.packet = malloc(MVHOST_PACKET_MAX_ENCODED);
    mvhost_packet_reader_init(&link.reader, MVHOST_PACKET_MAX_ENCODED);
    mvhost_stream_reader_init(&link.stream_reader, MVHOST_PACKET_MAX_PAYLOAD);

    uint8_t input[4096];
    while (!server->stop && link.fd >= 0 && run_script(server, &link)) {
        struct pollfd waiting = {.fd = link.fd, .events = POLLIN};
        if (poll(&waiting, 1, POLL_SLICE_MS) <= 0) {
            continue;
        }
        ssize_t count = read(link.fd, input, sizeof input);
        if (count <= 0) {
            break;
        }
        size_t offset = 0;
        while (offset < (size_t)count && link.fd >= 0) {
            size_t consumed = 0;
            long length = link.stream
                ? mvhost_stream_reader_feed(&link.stream_reader, input + offset, (size_t)count - offset, &consumed,
                                            link.payload)
                : mvhost_packet_reader_feed(&link.reader, input + offset, (size_t)count - offset, &consumed,
                                            link.payload);
            offset += consumed;
            if (length == MVHOST_STREAM_BROKEN) {
                close(link.fd);
                link.fd = -1;
                break;
            }
            if (length < 3) {
                continue;
            }
            if (link.payload[0] == 'H' && link.payload[1] == 'S' && link.payload[2] == 1) {
                on_hello(server, &link, link.payload, length);
            } else if (link.payload[0] == 'H' && link.payload[1] == 'S' && link.payload[2] == 3) {
                on_proof(server, &link);
            } else {
                on_frame(server, &link, link.payload, length);
            }
        }
    }
    if (link.fd >= 0) {
        close(link.fd);
    }
    mvhost_packet_reader_release(&link.reader);
    free(link.payload);
    free(link.scratch);
    free(link.packet);
}

void *fake_bridge_serve(void *argument)
{
    struct fake_bridge *server = argument;
    sleep_ms(server->listen_delay_ms);

    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(server->port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    server->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(server->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(server->listen_fd, (struct sockaddr *)&address, sizeof address) != 0 ||
        listen(server->listen_fd, 4) != 0) {
        return NULL;
    }

    while (!server->stop) {
        struct pollfd waiting = {.fd = server->listen_fd, .events = POLLIN};
        if (poll(&waiting, 1, POLL_SLICE_MS) <= 0) {
            continue;
        }
        int fd = accept(server->listen_fd, NULL, NULL);
        if (fd < 0) {
            continue;
        }
        pthread_mutex_lock(&server->lock);
        server->connections++;
        pthread_mutex_unlock(&server->lock);
        serve_connection(server, fd);
    }
    return NULL;
}

int fake_bridge_start(struct fake_bridge *server)
{
    /* Bind port 0 to learn a free port, then let the thread listen on it after its delay. */
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = 0};
    socklen_t size = sizeof address;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int probe = socket(AF_INET, SOCK_STREAM, 0);
    if (probe < 0 || bind(probe, (struct sockaddr *)&address, sizeof address) != 0 ||
        getsockname(probe, (struct sockaddr *)&address, &size) != 0) {
        return -1;
    }
    close(probe);
    server->port = ntohs(address.sin_port);
    server->listen_fd = -1;
    pthread_mutex_init(&server->lock, NULL);
    return pthread_create(&server->thread, NULL, fake_bridge_serve, server);
}

void fake_bridge_stop(struct fake_bridge *server)
{
    server->stop = 1;
    pthread_join(server->thread, NULL);
    if (server->listen_fd >= 0) {
        close(server->listen_fd);
    }
    pthread_mutex_destroy(&server->lock);
}

unsigned fake_bridge_count(struct fake_bridge *server, uint16_t opcode)
{
    unsigned count = 0;
    pthread_mutex_lock(&server->lock);
    for (unsigned i = 0; i < server->requests && i < 64; i++) {
        count += server->opcodes[i] == opcode;
    }
    pthread_mutex_unlock(&server->lock);
    return count;
}
