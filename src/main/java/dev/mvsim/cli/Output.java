package dev.mvsim.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Prints results as JSON or as aligned text on a command's standard output. */
final class Output {

    /** Holds the mapper, so that commands printing text never pay for creating it. */
    private static final class Mapper {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    private final PrintWriter out;

    Output(PrintWriter out) {
        this.out = out;
    }

    /** Prints the node as compact JSON on one line, for output that scripts read line by line. */
    void jsonLine(JsonNode node) {
        try {
            out.println(Mapper.JSON.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Failed to print a JSON tree that was built in memory", e);
        }
        out.flush();
    }

    void json(JsonNode node) {
        try {
            out.println(Mapper.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Failed to print a JSON tree that was parsed from JSON", e);
        }
        out.flush();
    }

    /** Prints each scalar property as "name  value", skipping {@code value} and nested objects. */
    void fields(JsonNode resource) {
        int width = 0;
        for (Iterator<String> names = resource.fieldNames(); names.hasNext(); ) {
            width = Math.max(width, names.next().length());
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = resource.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals("value") || field.getValue().isContainerNode()) {
                continue;
            }
            out.println(pad(field.getKey(), width) + "  " + text(field.getValue()));
        }
        out.flush();
    }

    /** Prints one row per item with the given columns, aligned, under a header of the column names. */
    void table(List<JsonNode> rows, List<String> columns) {
        if (rows.isEmpty()) {
            return;
        }
        int[] widths = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            widths[i] = columns.get(i).length();
            for (JsonNode row : rows) {
                widths[i] = Math.max(widths[i], text(row.path(columns.get(i))).length());
            }
        }

        StringBuilder header = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            header.append(pad(columns.get(i).toUpperCase(), widths[i] + 2));
        }
        out.println(header.toString().stripTrailing());
        for (JsonNode row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns.size(); i++) {
                line.append(pad(text(row.path(columns.get(i))), widths[i] + 2));
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    void line(String text) {
        out.println(text);
        out.flush();
    }

    /** Prints text exactly, followed by a line ending. */
    void raw(String text) {
        out.print(text);
        out.println();
        out.flush();
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? "-" : node.asText();
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
