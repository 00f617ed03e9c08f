/*
 * The syscall frame codec, C side (layout in docs/wire-protocol.md).
 *
 * Writers append tagged little-endian fields to a growable buffer; readers walk one payload and
 * check every length against the bytes left before using it. Both are internal to libmvhost.
 */
#ifndef MVHOST_WIRE_H
#define MVHOST_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define MVHOST_WIRE_MAGIC 0x564Du
#define MVHOST_WIRE_VERSION 1u
#define MVHOST_WIRE_HEADER_BYTES 16u
#define MVHOST_WIRE_MAX_PAYLOAD_BYTES (1u << 20)
#define MVHOST_WIRE_MAX_FRAME_BYTES (MVHOST_WIRE_HEADER_BYTES + MVHOST_WIRE_MAX_PAYLOAD_BYTES)
#define MVHOST_WIRE_MAX_LIST_ELEMENTS 256u
#define MVHOST_WIRE_MAX_LIST_WIDTH 16u
#define MVHOST_WIRE_FLAG_NO_REPLY 0x0001u

/* Frame kinds. */
enum {
    MVHOST_WIRE_REQUEST = 1,
    MVHOST_WIRE_RESPONSE = 2,
    MVHOST_WIRE_NOTIFICATION = 3,
    MVHOST_WIRE_CONTROL = 4,
    MVHOST_WIRE_HANDSHAKE = 5,
    MVHOST_WIRE_ERROR = 6,
    MVHOST_WIRE_STATE = 7,
    MVHOST_WIRE_REPORT = 8
};

/* Opcodes of STATE frames: what the kernel state is about. */
enum {
    MVHOST_STATE_CLOCK = 1,
    MVHOST_STATE_CONFIG_RESPONSE = 2,
    MVHOST_STATE_NETWORK = 3,
    MVHOST_STATE_RESERVED_HANDLES = 4,
    MVHOST_STATE_QUIET = 5,
    MVHOST_STATE_OPEN_BUDGET = 6,
    MVHOST_STATE_LIVE_HANDLES = 7
};

/* Conditions bits of a RESERVED_HANDLES state (docs/wire-protocol.md, "State frames"). */
#define MVHOST_RESERVED_SETUP_FREE 1u
#define MVHOST_RESERVED_STATUS_KNOWN 2u
#define MVHOST_RESERVED_HOLDERS_LISTED 4u
#define MVHOST_RESERVED_STATUS_SURVIVES_RELEASE 8u

/* Clock kinds of a CLOCK state. */
enum {
    MVHOST_CLOCK_VIRTUAL = 1,
    MVHOST_CLOCK_WALL = 2
};

/* Field tags. */
enum {
    MVHOST_WIRE_NONE = 0x00,
    MVHOST_WIRE_U32 = 0x01,
    MVHOST_WIRE_U64 = 0x02,
    MVHOST_WIRE_POINTER = 0x03,
    MVHOST_WIRE_BYTES = 0x04,
    MVHOST_WIRE_LIST = 0x05
};

/* Results: 0 or the negated ERROR-frame code. */
enum {
    MVHOST_WIRE_OK = 0,
    MVHOST_WIRE_EMALFORMED = -1,
    MVHOST_WIRE_EUNKNOWN_OPCODE = -2,
    MVHOST_WIRE_ETOO_LARGE = -3,
    MVHOST_WIRE_EVERSION = -4
};

struct mvhost_wire_header {
    uint8_t kind;
    uint16_t opcode;
    uint16_t flags;
    uint32_t sequence;
    uint32_t payload_length;
};

/* Appends to `inline_storage` until it is full, then to a heap buffer it owns. */
struct mvhost_wire_writer {
    uint8_t *data;
    size_t length;
    size_t capacity;
    int heap;
    int failed;
};

void mvhost_wire_writer_init(struct mvhost_wire_writer *writer, uint8_t *inline_storage, size_t capacity);
void mvhost_wire_writer_release(struct mvhost_wire_writer *writer);

/* Starts a frame; the payload length is filled in by mvhost_wire_finish_frame. */
void mvhost_wire_begin_frame(struct mvhost_wire_writer *writer, uint8_t kind, uint16_t opcode, uint16_t flags,
                             uint32_t sequence);
/* Returns MVHOST_WIRE_OK, or MVHOST_WIRE_ETOO_LARGE when the payload is above the maximum. */
int mvhost_wire_finish_frame(struct mvhost_wire_writer *writer);

void mvhost_wire_put_none(struct mvhost_wire_writer *writer);
void mvhost_wire_put_u32(struct mvhost_wire_writer *writer, uint32_t value);
void mvhost_wire_put_u64(struct mvhost_wire_writer *writer, uint64_t value);
void mvhost_wire_put_pointer(struct mvhost_wire_writer *writer, const volatile void *pointer);
void mvhost_wire_put_pointer_raw(struct mvhost_wire_writer *writer, int present, uint64_t address);
void mvhost_wire_put_bytes(struct mvhost_wire_writer *writer, const void *bytes, uint32_t length);
void mvhost_wire_put_list(struct mvhost_wire_writer *writer, uint32_t count, uint8_t width);

/* Reads the 16-byte envelope at the start of `bytes` and checks it against `length`. */
int mvhost_wire_parse_header(const uint8_t *bytes, size_t length, struct mvhost_wire_header *header);

/*
 * Reads the envelope of the last of the back-to-back frames in `frames`, such as the RESPONSE or
 * ERROR that ends a reply. Returns MVHOST_WIRE_OK, or the fault of the first frame that does not parse.
 */
int mvhost_wire_last_header(const uint8_t *frames, size_t length, struct mvhost_wire_header *header);

struct mvhost_wire_reader {
    const uint8_t *data;
    uint32_t length;
    uint32_t position;
};

/* One field as read: `tag`, then the members that tag uses. `bytes` points into the payload. */
struct mvhost_wire_field {
    uint8_t tag;
    uint8_t present;
    uint8_t list_width;
    uint32_t list_count;
    uint64_t value;
    const uint8_t *bytes;
    uint32_t length;
};

void mvhost_wire_reader_init(struct mvhost_wire_reader *reader, const uint8_t *payload, uint32_t length);

/* Reads the next field whatever its tag; a list yields its count and width, its elements follow. */
int mvhost_wire_read_field(struct mvhost_wire_reader *reader, struct mvhost_wire_field *field);

/*
 * Reads the next field and requires `tag`; with `allow_none`, a NONE field is accepted and
 * *written is set to 0 (else 1).
 */
int mvhost_wire_read_expect(struct mvhost_wire_reader *reader, uint8_t tag, int allow_none,
                            struct mvhost_wire_field *field, int *written);

int mvhost_wire_reader_at_end(const struct mvhost_wire_reader *reader);

/*
 * Returns the payload schema of a STATE opcode (letters as in docs/wire-protocol.md, "IL" for
 * CLOCK), or NULL for an opcode this codec does not know.
 */
const char *mvhost_wire_state_schema(uint16_t opcode);

/*
 * Checks that `payload` contains exactly the fields `schema` lists, with "[...]" for a list's element
 * fields. Returns MVHOST_WIRE_OK or the first fault found.
 */
int mvhost_wire_check_schema(const uint8_t *payload, uint32_t length, const char *schema);

/* Writes one field exactly as read, so a decoded payload can be re-encoded byte for byte. */
void mvhost_wire_put_field(struct mvhost_wire_writer *writer, const struct mvhost_wire_field *field);

#endif
