/*
 * A fake simulator for the bridge tests: a loopback TCP server on a thread that runs the device
 * side's handshake peer (it checks no PROOF, but proves the key in its WELCOME), answers frames with
 * scripted values, and can push a packet or drop the connection when a test asks.
 */
#ifndef FAKE_BRIDGE_SERVER_H
#define FAKE_BRIDGE_SERVER_H

#include <pthread.h>
#include <stdint.h>

#define FAKE_CENTRE 0x5A17C0DEull
#define FAKE_NETWORK 0x0BADF00Dull
#define FAKE_CHANNEL 0x1234ABCDull
#define FAKE_MAX_HELLOS 8

struct fake_bridge {
    uint16_t port;
    const uint8_t *key;
    unsigned key_length;

    /* Script, set before start or under `lock`. */
    uint32_t clock_kind;       /* CLOCK state kind sent before each connection's first response */
    uint64_t kernel_us;        /* the kernel time; WAIT and SLEEP move it */
    unsigned listen_delay_ms;  /* how long the thread waits before it listens */
    int drop_requested;        /* close the connection at the next chance */
    uint8_t push[256];         /* a packet payload to send on its own at the next chance */
    uint32_t push_length;
    unsigned push_delay_ms;    /* how long after the request the push goes out */
    /* A NOTIFICATION frame sent ahead of the RESPONSE to the next request with reply_opcode, as
       the kernel sends the records a call raised in that call's reply. */
    uint8_t reply_notification[128];
    uint32_t reply_notification_length;
    uint16_t reply_opcode;
    /* Sends the REJECT that answers a frame sent before any handshake ahead of each CHALLENGE, as
       the simulator does for requests that were queued on a serial line while it was down. */
    int stale_reject_before_challenge;
    /* Runs the next request with this opcode but drops the connection instead of sending the
       reply, which it remembers for a BRIDGE_RESUME, as when a link breaks while a reply travels. */
    uint16_t lose_reply_to;
    /* Drops the connection at the next request with this opcode without running it, as when a
       link breaks while a request travels. */
    uint16_t forget_request_to;
    /* NOTIFICATION frames that lead the reply to each BRIDGE_RESUME, as the simulator sends again
       the pushes a broken connection may have carried unread. */
    uint8_t resume_lead[96 * 1024];
    uint32_t resume_lead_length;
    /* The output of the RESPONSE to a BRIDGE_RESUME: 1 for a kernel kept for the reconnect, 0 for a fresh one. */
    uint32_t resume_kept;
    /* Chooses bridge version 2 when the HELLO offers it, as the simulator does on a socket. After
       WELCOME the server then reads and writes packets with a length prefix. */
    int stream_framing;
    /* Sends these bytes raw, with no packet around them, after the next reply to a request with
       raw_after_opcode, as a server whose stream breaks its framing. */
    uint8_t raw_after_reply[32];
    uint32_t raw_after_reply_length;
    uint16_t raw_after_opcode;
    int close_after_raw;       /* closes the connection right after those bytes */

    /* What the server saw. */
    unsigned hellos;
    uint8_t hello_max_version[FAKE_MAX_HELLOS];
    uint8_t chosen_version[FAKE_MAX_HELLOS];
    uint64_t hello_boot_id[FAKE_MAX_HELLOS];
    uint64_t hello_device_time[FAKE_MAX_HELLOS];
    unsigned connections;
    unsigned requests;
    uint16_t opcodes[64];
    uint64_t first_u64[64];    /* the first u64 field of each request, 0 if none */
    unsigned resumes_answered; /* BRIDGE_RESUMEs answered with the remembered reply */
    unsigned resumes;          /* BRIDGE_RESUMEs received */
    uint32_t resume_read_any;  /* the last BRIDGE_RESUME's flag: 1 if it names a notification read */
    uint32_t resume_last_read; /* the last BRIDGE_RESUME's sequence of the last notification read */
    uint8_t restore_payload[1024]; /* the payload of the last BRIDGE_RESTORE, which gets output 1 */
    uint32_t restore_length;

    /* The reply the server sent last, or lost; what a BRIDGE_RESUME gets back. */
    uint8_t last_reply[384];
    uint32_t last_reply_length;
    uint32_t last_sequence;
    uint16_t last_opcode;

    volatile int stop;
    int listen_fd;
    pthread_t thread;
    pthread_mutex_t lock;
};

/* Picks a free loopback port and starts the thread, which listens after listen_delay_ms. */
int fake_bridge_start(struct fake_bridge *server);

/* The thread's body, for a test that restarts a server on a port it already has. */
void *fake_bridge_serve(void *argument);

/* Stops the thread and closes its sockets. */
void fake_bridge_stop(struct fake_bridge *server);

/* Returns the number of requests with `opcode` the server saw. */
unsigned fake_bridge_count(struct fake_bridge *server, uint16_t opcode);

#endif
