package dev.mvsim.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * The ordered field types of one payload, written as a string such as {@code "LP[IIPIB]"}:
 * I = u32, L = u64, P = pointer, B = bytes, and brackets enclose the element fields of a list.
 */
public record Schema(List<Slot> slots) {

    /** One position in a schema; {@code element} is non-null only for a list. */
    public record Slot(FieldType type, Schema element) {
    }

    public Schema {
        slots = List.copyOf(slots);
    }

    public static Schema parse(String text) {
        int[] position = {0};
        Schema schema = parseUntil(text, position, false);
        if (position[0] != text.length()) {
            throw new IllegalArgumentException("unbalanced ']' at index " + position[0] + " in schema \"" + text + "\"");
        }
        return schema;
    }

    private static Schema parseUntil(String text, int[] position, boolean insideList) {
        List<Slot> slots = new ArrayList<>();
        while (position[0] < text.length()) {
            char symbol = text.charAt(position[0]++);
            if (symbol == ']') {
                if (!insideList) {
                    position[0]--;
                    break;
                }
                return new Schema(slots);
            }
            FieldType type = FieldType.fromSymbol(symbol);
            if (type == FieldType.LIST) {
                if (insideList) {
                    throw new IllegalArgumentException("nested lists are not allowed in schema \"" + text + "\"");
                }
                slots.add(new Slot(type, parseUntil(text, position, true)));
            } else {
                slots.add(new Slot(type, null));
            }
        }
        if (insideList) {
            throw new IllegalArgumentException("missing ']' in schema \"" + text + "\"");
        }
        return new Schema(slots);
    }

    public int size() {
        return slots.size();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (Slot slot : slots) {
            text.append(slot.type().symbol());
            if (slot.element() != null) {
                text.append(slot.element()).append(']');
            }
        }
        return text.toString();
    }
}
