package dev.mvsim.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds fields that fit a schema, with values that differ per position so a swap is visible. */
final class SampleFields {

    private SampleFields() {
    }

    static List<Field> forSchema(Schema schema, int seed) {
        List<Field> fields = new ArrayList<>();
        int position = 0;
        for (Schema.Slot slot : schema.slots()) {
            fields.add(forSlot(slot, seed * 31 + position++));
        }
        return fields;
    }

    private static Field forSlot(Schema.Slot slot, int value) {
        return switch (slot.type()) {
            case U32 -> new Field.U32(0x8000_0000 | value);
            case U64 -> new Field.U64(0xF000_0000_0000_0000L | value);
            case POINTER -> value % 2 == 0 ? Field.Pointer.at(0x2000_0000L + value * 16L) : Field.Pointer.ABSENT;
            case BYTES -> new Field.Bytes(("value-" + value).getBytes(StandardCharsets.US_ASCII));
            case LIST -> new Field.FieldList(List.of(forSchema(slot.element(), value), forSchema(slot.element(), value + 1)));
            case NONE -> Field.None.INSTANCE;
        };
    }
}
