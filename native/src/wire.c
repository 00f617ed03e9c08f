#include "wire.h"

#include <stdlib.h>
#include <string.h>

/* Smallest encoded field: a tag and a u32. Used to reject list counts the payload cannot hold. */
#define MIN_FIELD_BYTES 5u

void mvhost_wire_writer_init(struct mvhost_wire_writer *writer, uint8_t *inline_storage, size_t capacity)
{
    writer->data = inline_storage;
    writer->length = 0;
    writer->capacity = capacity;
    writer->heap = 0;
    writer->failed = 0;
}

void mvhost_wire_writer_release(struct mvhost_wire_writer *writer)
{
    if (writer->heap) {
        free(writer->data);
    }
    writer->data = NULL;
    writer->capacity = 0;
    writer->length = 0;
    writer->heap = 0;
}

static int reserve(struct mvhost_wire_writer *writer, size_t extra)
{
    if (writer->failed) {
        return 0;
    }
    if (extra > MVHOST_WIRE_MAX_FRAME_BYTES || writer->length + extra > MVHOST_WIRE_MAX_FRAME_BYTES) {
        writer->failed = MVHOST_WIRE_ETOO_LARGE;
        return 0;
    }
    if (writer->length + extra <= writer->capacity) {
        return 1;
    }

    size_t capacity = writer->capacity < 256 ? 256 : writer->capacity;
    while (capacity < writer->length + extra) {
        capacity *= 2;
    }
    uint8_t *grown = writer->heap ? realloc(writer->data, capacity) : malloc(capacity);
    if (grown == NULL) {
        writer->failed = MVHOST_WIRE_ETOO_LARGE;
        return 0;
    }
    if (!writer->heap && writer->length > 0) {
        memcpy(grown, writer->data, writer->length);
    }
    writer->data = grown;
    writer->capacity = capacity;
    writer->heap = 1;
    return 1;
}

static void put_raw(struct mvhost_wire_writer *writer, const void *bytes, size_t length)
{
    if (length > 0 && reserve(writer, length)) {
        memcpy(writer->data + writer->length, bytes, length);
        writer->length += length;
    }
}

static void put_le(struct mvhost_wire_writer *writer, uint64_t value, unsigned bytes)
{
    uint8_t buffer[8];
    for (unsigned i = 0; i < bytes; i++) {
        buffer[i] = (uint8_t)(value >> (8 * i));
    }
    put_raw(writer, buffer, bytes);
}

static uint64_t get_le(const uint8_t *bytes, unsigned count)
{
    uint64_t value = 0;
    for (unsigned i = 0; i < count; i++) {
        value |= (uint64_t)bytes[i] << (8 * i);
    }
    return value;
}

void mvhost_wire_begin_frame(struct mvhost_wire_writer *writer, uint8_t kind, uint16_t opcode, uint16_t flags,
                             uint32_t sequence)
{
    writer->length = 0;
    put_le(writer, MVHOST_WIRE_MAGIC, 2);
    put_le(writer, MVHOST_WIRE_VERSION, 1);
    put_le(writer, kind, 1);
    put_le(writer, opcode, 2);
    put_le(writer, flags, 2);
    put_le(writer, sequence, 4);
    put_le(writer, 0, 4);
}

int mvhost_wire_finish_frame(struct mvhost_wire_writer *writer)
{
    if (writer->failed) {
        return writer->failed;
    }
    size_t payload = writer->length - MVHOST_WIRE_HEADER_BYTES;
    if (payload > MVHOST_WIRE_MAX_PAYLOAD_BYTES) {
        return MVHOST_WIRE_ETOO_LARGE;
    }
    for (unsigned i = 0; i < 4; i++) {
        writer->data[12 + i] = (uint8_t)(payload >> (8 * i));
    }
    return MVHOST_WIRE_OK;
}

void mvhost_wire_put_none(struct mvhost_wire_writer *writer)
{
    put_le(writer, MVHOST_WIRE_NONE, 1);
}

void mvhost_wire_put_u32(struct mvhost_wire_writer *writer, uint32_t value)
{
    put_le(writer, MVHOST_WIRE_U32, 1);
    put_le(writer, value, 4);
}

void mvhost_wire_put_u64(struct mvhost_wire_writer *writer, uint64_t value)
{
    put_le(writer, MVHOST_WIRE_U64, 1);
    put_le(writer, value, 8);
}

void mvhost_wire_put_pointer_raw(struct mvhost_wire_writer *writer, int present, uint64_t address)
{
    put_le(writer, MVHOST_WIRE_POINTER, 1);
    put_le(writer, present ? 1 : 0, 1);
    put_le(writer, present ? address : 0, 8);
}

void mvhost_wire_put_pointer(struct mvhost_wire_writer *writer, const volatile void *pointer)
{
    mvhost_wire_put_pointer_raw(writer, pointer != NULL, (uint64_t)(uintptr_t)pointer);
}

void mvhost_wire_put_bytes(struct mvhost_wire_writer *writer, const void *bytes, uint32_t length)
{
    put_le(writer, MVHOST_WIRE_BYTES, 1);
    put_le(writer, length, 4);
    put_raw(writer, bytes, length);
}

void mvhost_wire_put_list(struct mvhost_wire_writer *writer, uint32_t count, uint8_t width)
{
    put_le(writer, MVHOST_WIRE_LIST, 1);
    put_le(writer, count, 4);
    put_le(writer, width, 1);
}

void mvhost_wire_put_field(struct mvhost_wire_writer *writer, const struct mvhost_wire_field *field)
{
    switch (field->tag) {
    case MVHOST_WIRE_NONE:
        mvhost_wire_put_none(writer);
        break;
    case MVHOST_WIRE_U32:
        mvhost_wire_put_u32(writer, (uint32_t)field->value);
        break;
    case MVHOST_WIRE_U64:
        mvhost_wire_put_u64(writer, field->value);
        break;
    case MVHOST_WIRE_POINTER:
        mvhost_wire_put_pointer_raw(writer, field->present, field->value);
        break;
    case MVHOST_WIRE_BYTES:
        mvhost_wire_put_bytes(writer, field->bytes, field->length);
        break;
    case MVHOST_WIRE_LIST:
        mvhost_wire_put_list(writer, field->list_count, field->list_width);
        break;
    default:
        writer->failed = MVHOST_WIRE_EMALFORMED;
        break;
    }
}

int mvhost_wire_parse_header(const uint8_t *bytes, size_t length, struct mvhost_wire_header *header)
{
    if (length < MVHOST_WIRE_HEADER_BYTES) {
        return MVHOST_WIRE_EMALFORMED;
    }
    if (get_le(bytes, 2) != MVHOST_WIRE_MAGIC) {
        return MVHOST_WIRE_EMALFORMED;
    }
    if (bytes[2] != MVHOST_WIRE_VERSION) {
        return MVHOST_WIRE_EVERSION;
    }

    header->kind = bytes[3];
    header->opcode = (uint16_t)get_le(bytes + 4, 2);
    header->flags = (uint16_t)get_le(bytes + 6, 2);
    header->sequence = (uint32_t)get_le(bytes + 8, 4);
    header->payload_length = (uint32_t)get_le(bytes + 12, 4);

    if (header->kind < MVHOST_WIRE_REQUEST || header->kind > MVHOST_WIRE_REPORT) {
        return MVHOST_WIRE_EMALFORMED;
    }
    if (header->payload_length > MVHOST_WIRE_MAX_PAYLOAD_BYTES) {
        return MVHOST_WIRE_ETOO_LARGE;
    }
    if (header->payload_length > length - MVHOST_WIRE_HEADER_BYTES) {
        return MVHOST_WIRE_EMALFORMED;
    }
    uint16_t allowed = header->kind == MVHOST_WIRE_REQUEST || header->kind == MVHOST_WIRE_CONTROL
                           ? MVHOST_WIRE_FLAG_NO_REPLY
                           : 0;
    if ((header->flags & (uint16_t)~allowed) != 0) {
        return MVHOST_WIRE_EMALFORMED;
    }
    return MVHOST_WIRE_OK;
}

int mvhost_wire_last_header(const uint8_t *frames, size_t length, struct mvhost_wire_header *header)
{
    if (length == 0) {
        return MVHOST_WIRE_EMALFORMED;
    }
    size_t offset = 0;
    while (offset < length) {
        int parsed = mvhost_wire_parse_header(frames + offset, length - offset, header);
        if (parsed != MVHOST_WIRE_OK) {
            return parsed;
        }
        offset += MVHOST_WIRE_HEADER_BYTES + header->payload_length;
    }
    return MVHOST_WIRE_OK;
}

void mvhost_wire_reader_init(struct mvhost_wire_reader *reader, const uint8_t *payload, uint32_t length)
{
    reader->data = payload;
    reader->length = length;
    reader->position = 0;
}

static int take(struct mvhost_wire_reader *reader, uint32_t count, const uint8_t **out)
{
    if (reader->length - reader->position < count) {
        return 0;
    }
    *out = reader->data + reader->position;
    reader->position += count;
    return 1;
}

int mvhost_wire_read_field(struct mvhost_wire_reader *reader, struct mvhost_wire_field *field)
{
    const uint8_t *bytes;
    memset(field, 0, sizeof *field);
    if (!take(reader, 1, &bytes)) {
        return MVHOST_WIRE_EMALFORMED;
    }
    field->tag = bytes[0];

    switch (field->tag) {
    case MVHOST_WIRE_NONE:
        return MVHOST_WIRE_OK;
    case MVHOST_WIRE_U32:
        if (!take(reader, 4, &bytes)) {
            return MVHOST_WIRE_EMALFORMED;
        }
        field->value = get_le(bytes, 4);
        return MVHOST_WIRE_OK;
    case MVHOST_WIRE_U64:
        if (!take(reader, 8, &bytes)) {
            return MVHOST_WIRE_EMALFORMED;
        }
        field->value = get_le(bytes, 8);
        return MVHOST_WIRE_OK;
    case MVHOST_WIRE_POINTER:
        if (!take(reader, 9, &bytes)) {
            return MVHOST_WIRE_EMALFORMED;
        }
        field->present = bytes[0];
        field->value = get_le(bytes + 1, 8);
        if (field->present > 1 || (field->present == 0 && field->value != 0)) {
            return MVHOST_WIRE_EMALFORMED;
        }
        return MVHOST_WIRE_OK;
    case MVHOST_WIRE_BYTES:
        if (!take(reader, 4, &bytes)) {
            return MVHOST_WIRE_EMALFORMED;
        }
        field->length = (uint32_t)get_le(bytes, 4);
        if (field->length > MVHOST_WIRE_MAX_PAYLOAD_BYTES) {
            return MVHOST_WIRE_ETOO_LARGE;
        }
        if (!take(reader, field->length, &field->bytes)) {
            return MVHOST_WIRE_EMALFORMED;
        }
        return MVHOST_WIRE_OK;
    case MVHOST_WIRE_LIST:
        if (!take(reader, 5, &bytes)) {
            return MVHOST_WIRE_EMALFORMED;
        }
        field->list_count = (uint32_t)get_le(bytes, 4);
        field->list_width = bytes[4];
        if (field->list_count > MVHOST_WIRE_MAX_LIST_ELEMENTS || field->list_width > MVHOST_WIRE_MAX_LIST_WIDTH) {
            return MVHOST_WIRE_ETOO_LARGE;
        }
        if ((uint64_t)field->list_count * field->list_width * MIN_FIELD_BYTES > reader->length - reader->position) {
            return MVHOST_WIRE_EMALFORMED;
        }
        return MVHOST_WIRE_OK;
    default:
        return MVHOST_WIRE_EMALFORMED;
    }
}

int mvhost_wire_read_expect(struct mvhost_wire_reader *reader, uint8_t tag, int allow_none,
                            struct mvhost_wire_field *field, int *written)
{
    int result = mvhost_wire_read_field(reader, field);
    if (result != MVHOST_WIRE_OK) {
        return result;
    }
    if (field->tag == MVHOST_WIRE_NONE && allow_none) {
        *written = 0;
        return MVHOST_WIRE_OK;
    }
    if (field->tag != tag) {
        return MVHOST_WIRE_EMALFORMED;
    }
    *written = 1;
    return MVHOST_WIRE_OK;
}

int mvhost_wire_reader_at_end(const struct mvhost_wire_reader *reader)
{
    return reader->position == reader->length;
}

const char *mvhost_wire_state_schema(uint16_t opcode)
{
    switch (opcode) {
    case MVHOST_STATE_CLOCK:
        return "IL";
    case MVHOST_STATE_CONFIG_RESPONSE:
        return "LI[IB]";
    case MVHOST_STATE_NETWORK:
        return "LI";
    case MVHOST_STATE_RESERVED_HANDLES:
        return "II[L][L]";
    case MVHOST_STATE_QUIET:
        return "L";
    case MVHOST_STATE_OPEN_BUDGET:
        return "IIL[L]";
    case MVHOST_STATE_LIVE_HANDLES:
        return "[LLI][L][LLILLILII]";
    default:
        return NULL;
    }
}

static int tag_of_letter(char letter)
{
    switch (letter) {
    case 'I': return MVHOST_WIRE_U32;
    case 'L': return MVHOST_WIRE_U64;
    case 'P': return MVHOST_WIRE_POINTER;
    case 'B': return MVHOST_WIRE_BYTES;
    case '[': return MVHOST_WIRE_LIST;
    default: return -1;
    }
}

/* Checks the fields of one list element against the letters between `start` and the ']'. */
static int check_element(struct mvhost_wire_reader *reader, const char *start, size_t width)
{
    struct mvhost_wire_field field;
    for (size_t i = 0; i < width; i++) {
        int result = mvhost_wire_read_field(reader, &field);
        if (result != MVHOST_WIRE_OK) {
            return result;
        }
        int tag = tag_of_letter(start[i]);
        if (tag < 0 || tag == MVHOST_WIRE_LIST || field.tag != tag) {
            return MVHOST_WIRE_EMALFORMED;
        }
    }
    return MVHOST_WIRE_OK;
}

int mvhost_wire_check_schema(const uint8_t *payload, uint32_t length, const char *schema)
{
    struct mvhost_wire_reader reader;
    struct mvhost_wire_field field;
    mvhost_wire_reader_init(&reader, payload, length);

    for (const char *letter = schema; *letter != '\0'; letter++) {
        int result = mvhost_wire_read_field(&reader, &field);
        if (result != MVHOST_WIRE_OK) {
            return result;
        }
        if (field.tag != tag_of_letter(*letter)) {
            return MVHOST_WIRE_EMALFORMED;
        }
        if (field.tag != MVHOST_WIRE_LIST) {
            continue;
        }

        const char *element = letter + 1;
        const char *close = strchr(element, ']');
        if (close == NULL || (size_t)(close - element) != field.list_width) {
            return MVHOST_WIRE_EMALFORMED;
        }
        for (uint32_t i = 0; i < field.list_count; i++) {
            result = check_element(&reader, element, field.list_width);
            if (result != MVHOST_WIRE_OK) {
                return result;
            }
        }
        letter = close;
    }
    return mvhost_wire_reader_at_end(&reader) ? MVHOST_WIRE_OK : MVHOST_WIRE_EMALFORMED;
}
